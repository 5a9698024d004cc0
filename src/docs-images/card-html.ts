import type { Block } from '../slack/blocks/common.js';

/** How Slack draws our badges' emoji, without an emoji font: a coloured dot (or a check mark). */
const EMOJI: Readonly<Record<string, string>> = {
  ':red_circle:': '<span class="dot" style="background:#dd2e44"></span>',
  ':large_orange_circle:': '<span class="dot" style="background:#f4900c"></span>',
  ':large_yellow_circle:': '<span class="dot" style="background:#fdcb58"></span>',
  ':white_circle:': '<span class="dot" style="background:#e6e7e8"></span>',
  ':white_check_mark:': '<span class="dot" style="background:#77b255"></span>',
  ':envelope:': '✉',
};

/**
 * A Block Kit message drawn as Slack draws it, near enough for a picture in the README: header, sections and
 * fields, context, and the actions row (buttons, the select). Only the parts our cards use. Pure.
 */
export function cardHtml(blocks: readonly Block[], fontUrls: { regular: string; semibold: string }): string {
  const body = blocks.map(blockHtml).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
@font-face{font-family:Inter;src:url("${fontUrls.regular}")}
@font-face{font-family:Inter;font-weight:600;src:url("${fontUrls.semibold}")}
body{margin:0;background:#fff;font:15px/1.46 Inter,sans-serif;color:#1d1c1d}
.message{display:flex;gap:10px;padding:14px 20px 16px;width:640px;box-sizing:border-box}
.avatar{width:36px;height:36px;border-radius:6px;background:#1d3557;color:#fff;font-weight:600;display:flex;align-items:center;justify-content:center}
.name{font-weight:600}.app{font-size:11px;background:#e8e8e8;color:#616061;border-radius:3px;padding:1px 4px;margin:0 6px}
.time{color:#616061;font-size:12px}
.header{font-size:18px;font-weight:600;margin:6px 0 4px}
.section{margin:6px 0}.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin:6px 0}
.context{color:#616061;font-size:12.5px;margin:6px 0}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
.button,.select{border:1px solid #bbbabb;border-radius:4px;padding:3px 12px;font-weight:600;font-size:14px;background:#fff}
.primary{background:#007a5a;border-color:#007a5a;color:#fff}.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.select{font-weight:400;color:#616061}.select::after{content:" ▾"}
.dot{display:inline-block;width:14px;height:14px;border-radius:50%;vertical-align:-2px}
a{color:#1264a3;text-decoration:none}
</style></head><body><div class="message"><div class="avatar">rw</div><div>
<div><span class="name">ratewatch</span><span class="app">APP</span><span class="time">19:42</span></div>
${body}
</div></div></body></html>`;
}

function blockHtml(block: Block): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${emoji(escapeMarkup(block.text.text))}</div>`;
    case 'section': {
      const text = block.text ? `<div class="section">${mrkdwn(block.text.text)}</div>` : '';
      const fields = block.fields?.length
        ? `<div class="fields">${block.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join('')}</div>`
        : '';
      return text + fields;
    }
    case 'context':
      return `<div class="context">${block.elements.map((e) => ('text' in e ? mrkdwn(e.text) : '')).join(' ')}</div>`;
    case 'actions':
      return `<div class="actions">${block.elements.map(elementHtml).join('')}</div>`;
    default:
      return '';
  }
}

function elementHtml(block: { type: string }): string {
  const element = block as { type: string } & Record<string, unknown>;
  const text = (element.text as { text?: string } | undefined)?.text ?? '';
  if (element.type === 'button')
    return `<span class="button ${String(element.style ?? '')}">${escapeMarkup(text)}</span>`;
  const placeholder = (element.placeholder as { text?: string } | undefined)?.text ?? '';
  return `<span class="select">${escapeMarkup(placeholder)}</span>`;
}

/** Slack's mrkdwn as HTML: *bold*, <url|label> links, line breaks, our emoji. Text is already Slack-escaped. */
function mrkdwn(text: string): string {
  return emoji(
    text
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
      .replace(/\*([^*\n]+)\*/g, '<b>$1</b>')
      .replace(/\n/g, '<br>'),
  );
}

function emoji(text: string): string {
  return text.replace(/:[a-z_]+:/g, (code) => EMOJI[code] ?? code);
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
