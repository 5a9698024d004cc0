import type { Fact } from './alert-facts.js';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** A two-column table of facts; every label and value escaped. */
export function factsTable(facts: readonly Fact[]): string {
  const rows = facts
    .map(
      (f) =>
        `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top">${escapeHtml(f.label)}</th>` +
        `<td style="padding:2px 0">${escapeHtml(f.value)}</td></tr>`,
    )
    .join('\n');
  return `<table style="border-collapse:collapse;font-size:14px">\n${rows}\n</table>`;
}

/** Facts as aligned plain-text lines: `Observed:     3.10% vs 0.90% expected`. */
export function factsText(facts: readonly Fact[]): string {
  const width = Math.max(...facts.map((f) => f.label.length)) + 2;
  return facts.map((f) => `${`${f.label}:`.padEnd(width)}${f.value}`).join('\n');
}

/** A button-like link (escaped URL and label). */
export function buttonLink(url: string, label: string): string {
  return (
    `<a href="${escapeHtml(url)}" style="display:inline-block;padding:8px 14px;margin-right:8px;` +
    `background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(label)}</a>`
  );
}

/** A whole HTML document around already-escaped body markup. */
export function htmlDocument(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n` +
    `<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#111827;max-width:680px">\n` +
    `${body}\n</body></html>`
  );
}

/** A paragraph of escaped text. */
export function paragraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/**
 * The severity's colour as a badge background under white text, in the email and on the alert page: the
 * chart's hues, darkened where needed for a contrast of at least 4.5:1 with white (WCAG AA for normal text).
 */
export const SEVERITY_BADGE: Readonly<Record<string, string>> = {
  low: '#475569',
  medium: '#a16207',
  high: '#c2410c',
  critical: '#b91c1c',
};

/** `CRITICAL` on the severity's colour (or a grey RESOLVED), as an inline-styled badge. */
export function severityBadgeHtml(severity: string, resolved: boolean): string {
  const colour = resolved ? '#4b5563' : (SEVERITY_BADGE[severity] ?? '#475569');
  const label = resolved ? `RESOLVED (${severity})` : severity.toUpperCase();
  return (
    `<span style="display:inline-block;padding:2px 8px;border-radius:4px;background:${colour};color:#ffffff;` +
    `font-weight:600;font-size:12px;letter-spacing:0.04em">${escapeHtml(label)}</span>`
  );
}
