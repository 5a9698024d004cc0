import { createHash } from 'node:crypto';
import type { Alert, AlertEvent } from '../alerts/alert.js';
import { alertAbout, alertHeadline } from '../alerts/alert-text.js';
import type { Fact } from '../email/alert-facts.js';
import { alertFacts } from '../email/alert-facts.js';
import { escapeHtml, SEVERITY_BADGE } from '../email/html.js';
import { auditTrailHtml } from './audit-trail-html.js';
import { asksForName } from './page-actor.js';
import type { PageAudience } from './page-links.js';

/** What the alert page shows. */
export interface AlertPageInput {
  readonly alert: Alert;
  readonly events: readonly AlertEvent[];
  /** The source's IANA time zone (the window on its clock). */
  readonly timeZone: string;
  /** The page's own token: its image and its forms carry it. */
  readonly token: string;
  readonly audience: PageAudience;
  /** The chart as an image, or why there is none. */
  readonly chart: { readonly kind: 'image' } | { readonly kind: 'none'; readonly reason: string };
  readonly runbookUrl?: string | undefined;
  /** What just happened, after a form was sent. */
  readonly notice?: { readonly ok: boolean; readonly text: string } | undefined;
}

/**
 * The page's whole style sheet: one column that fits a phone, text at least 16 px, contrast of at least 4.5:1
 * everywhere (body #111827, secondary #4b5563 on white; white on the buttons' #1d4ed8 and #b91c1c), a visible
 * focus ring. Inline, and allowed by its hash in the page's Content-Security-Policy.
 */
export const PAGE_CSS = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#111827;background:#fff}
main{max-width:760px;margin:0 auto;padding:16px}
h1{font-size:1.35rem;line-height:1.3;margin:8px 0}
h2{font-size:1.1rem;margin:28px 0 8px}
.sub{color:#4b5563;font-size:.9rem}
figure{margin:12px 0}
img{display:block;width:100%;height:auto;border:1px solid #e5e7eb;border-radius:6px}
figcaption{color:#4b5563;font-size:.9rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
form{margin:0 0 16px}
label{display:block;font-weight:600;margin:8px 0 4px}
input[type=text],textarea{box-sizing:border-box;width:100%;max-width:480px;font:inherit;padding:8px;border:1px solid #6b7280;border-radius:4px}
button{font:inherit;font-weight:600;padding:10px 18px;margin-top:8px;border:0;border-radius:4px;color:#fff;background:#1d4ed8;min-height:44px;cursor:pointer}
button.danger{background:#b91c1c}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.notice{padding:10px 12px;border-radius:4px;background:#ecfdf5;border:1px solid #047857}
.notice.refused{background:#fef2f2;border-color:#b91c1c}
.trail{padding-left:20px}.trail li{margin:6px 0}.trail .what{font-weight:600;margin-left:6px}
.trail .who{display:block;color:#4b5563;font-size:.9rem}
a{color:#1d4ed8}
.badge{display:inline-block;padding:2px 8px;border-radius:4px;color:#fff;font-weight:600;font-size:.8rem;letter-spacing:.04em}
${Object.entries(SEVERITY_BADGE)
  .map(([severity, colour]) => `.sev-${severity}{background:${colour}}`)
  .join('\n')}
.sev-resolved{background:#4b5563}
@media (max-width:480px){dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:8px}}
`.trim();

/** `'sha256-…'` of PAGE_CSS, for `style-src`. */
export const PAGE_CSS_HASH = `'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'`;

/** The alert as a web page: headline, chart, how to act, the facts, the audit trail. Pure; all text escaped. */
export function alertPageHtml(input: AlertPageInput): string {
  const { alert } = input;
  const headline = alertHeadline(alert);
  const body = [
    `<p>${badge(alert)} <span class="sub">Alert #${alert.id} · ${escapeHtml(alert.status)}</span></p>`,
    `<h1>${escapeHtml(headline)}</h1>`,
    input.notice
      ? `<p class="notice${input.notice.ok ? '' : ' refused'}" role="status">${escapeHtml(input.notice.text)}</p>`
      : '',
    chartHtml(input),
    section('act', 'Act on it', actionsHtml(input)),
    section('facts', 'Facts', factsHtml(alertFacts(alert, input.timeZone)) + runbookHtml(input.runbookUrl)),
    section('trail', 'Audit trail', auditTrailHtml(input.events)),
  ].join('\n');
  return document(`#${alert.id} ${headline}`, body);
}

/** The severity badge by class (the page's CSP allows no inline style attributes). */
function badge(alert: Alert): string {
  const resolved = alert.status === 'resolved';
  const label = resolved ? `RESOLVED (${alert.severity})` : alert.severity.toUpperCase();
  const kind = resolved ? 'resolved' : alert.severity;
  return `<span class="badge sev-${escapeHtml(kind)}">${escapeHtml(label)}</span>`;
}

function chartHtml(input: AlertPageInput): string {
  if (input.chart.kind === 'none') return `<p class="sub">No chart: ${escapeHtml(input.chart.reason)}.</p>`;
  const { alert } = input;
  const src = `/alerts/${alert.id}/chart.png?t=${encodeURIComponent(input.token)}`;
  const alt = `Chart of ${alert.metric} for ${alertAbout(alert)} over the last 48 hours: observed against its normal range, the alert's window marked.`;
  return (
    `<figure><img src="${escapeHtml(src)}" width="640" height="360" alt="${escapeHtml(alt)}">` +
    `<figcaption>Times in ${escapeHtml(input.timeZone)}. Grey: the range within which ratewatch would not alert.</figcaption></figure>`
  );
}

function actionsHtml(input: AlertPageInput): string {
  const { alert } = input;
  if (alert.status === 'resolved') return '<p>This alert is resolved: nothing more to do here.</p>';
  const action = (verb: string) => `/alerts/${alert.id}/${verb}?t=${encodeURIComponent(input.token)}`;
  const who = asksForName(input.audience)
    ? (id: string) =>
        `<label for="${id}">Your name (recorded with what you do)</label>` +
        `<input type="text" id="${id}" name="actor" maxlength="80" autocomplete="name">`
    : () => '';
  const acknowledge =
    alert.status === 'new'
      ? `<form method="post" action="${escapeHtml(action('acknowledge'))}">${who('ack-name')}` +
        `<button type="submit">Acknowledge</button></form>`
      : '';
  const resolve =
    `<form method="post" action="${escapeHtml(action('resolve'))}">${who('resolve-name')}` +
    `<label for="note">Resolution note (optional)</label>` +
    `<textarea id="note" name="note" rows="3" maxlength="1000"></textarea>` +
    `<button type="submit" class="danger">Resolve</button></form>`;
  return `${acknowledge}\n${resolve}\n<p class="sub">${escapeHtml(recordedAs(input.audience))}</p>`;
}

function recordedAs(audience: PageAudience): string {
  return audience.kind === 'email'
    ? `Recorded as ${audience.recipient}, the address this link was sent to.`
    : `This link came from the Slack card in ${audience.where}: what you do is recorded with the name you give.`;
}

/** The facts as a description list (the email's table has inline styles, which this page's CSP refuses). */
function factsHtml(facts: readonly Fact[]): string {
  const rows = facts.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`);
  return `<dl class="facts">\n${rows.join('\n')}\n</dl>`;
}

function runbookHtml(url: string | undefined): string {
  if (!url) return '';
  return `<p><a href="${escapeHtml(url)}" rel="noreferrer noopener">Runbook for this source</a></p>`;
}

function section(id: string, title: string, content: string): string {
  return `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>\n${content}\n</section>`;
}

/** A whole page around already-escaped body markup. */
export function document(title: string, body: string): string {
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="robots" content="noindex, nofollow">' +
    `<title>${escapeHtml(title)} · ratewatch</title><style>${PAGE_CSS}</style></head>\n` +
    `<body><main>\n${body}\n</main></body></html>`
  );
}
