import type { Alert } from '../alerts/alert.js';
import { alertFacts, utc } from './alert-facts.js';
import { buttonLink, escapeHtml, factsTable, factsText, htmlDocument, paragraph } from './html.js';
import { type Headline, headlineTag } from './news.js';

/** Subject and both parts of an email. */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Acknowledge / resolve links of one alert for one recipient (those its state allows). */
export interface ActionUrls {
  readonly kind: 'links';
  readonly acknowledge?: string;
  readonly resolve?: string;
  readonly expiresAt: Date;
}

export interface AlertEmailInput {
  readonly alert: Alert;
  /** The source's IANA time zone, for the window in local time. */
  readonly timeZone: string;
  readonly headline: Headline;
  readonly actions: ActionUrls;
  /** A sentence that says why this email came (fallback, escalation). */
  readonly note?: string | undefined;
}

const INTRO: Record<Headline, string> = {
  opened: 'A payment alert is open.',
  acknowledged: 'Someone is on this alert: it was acknowledged.',
  recovered: 'The metric of this alert is back to normal.',
  resolved: 'This alert is resolved.',
  escalated: 'This alert has not been acknowledged in time and is escalated to you.',
};

/** `[RESOLVED] [HIGH] card-eu/production failed — failed rate 3.1% (expected 0.9%)`. Pure. */
export function alertSubject(alert: Alert, headline: Headline): string {
  return `${headlineTag(headline)}[${alert.severity.toUpperCase()}] ${alert.source}/${alert.environment} ${alert.metric} — ${alert.title}`;
}

/** One alert's email: the same facts as its Slack card, in HTML and plain text, with action links. Pure. */
export function buildAlertEmail(input: AlertEmailInput): EmailContent {
  const { alert, headline } = input;
  const facts = alertFacts(alert, input.timeZone);
  const subject = alertSubject(alert, headline);
  const lines = [INTRO[headline], ...(input.note ? [input.note] : []), '', alert.title, '', factsText(facts)];
  const text = [...lines, '', ...actionText(alert, input.actions), '', FOOTER].join('\n');
  const html = htmlDocument(
    subject,
    [
      paragraph(INTRO[headline]),
      input.note ? paragraph(input.note) : '',
      `<h2 style="font-size:18px">${escapeHtml(alert.title)}</h2>`,
      factsTable(facts),
      actionHtml(alert, input.actions),
      `<p style="color:#6b7280;font-size:12px">${escapeHtml(FOOTER)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

const FOOTER = 'Sent by ratewatch. You get this because alert routing names your address.';

/** Plain-text lines about acting on the alert. */
export function actionText(alert: Alert, actions: ActionUrls): string[] {
  if (alert.status === 'resolved') return [];
  const lines = [];
  if (actions.acknowledge) lines.push(`Acknowledge: ${actions.acknowledge}`);
  if (actions.resolve) lines.push(`Resolve: ${actions.resolve}`);
  lines.push(expiryNote(actions.expiresAt));
  return lines;
}

/** HTML buttons for acting on the alert. */
export function actionHtml(alert: Alert, actions: ActionUrls): string {
  if (alert.status === 'resolved') return '';
  const buttons = [
    actions.acknowledge ? buttonLink(actions.acknowledge, `Acknowledge #${alert.id}`) : '',
    actions.resolve ? buttonLink(actions.resolve, `Resolve #${alert.id}`) : '',
  ].join('');
  return `<p>${buttons}</p>\n<p style="font-size:12px;color:#6b7280">${escapeHtml(expiryNote(actions.expiresAt))}</p>`;
}

function expiryNote(expiresAt: Date): string {
  return `Each link works once, until ${utc(expiresAt)}, and asks you to confirm before it changes anything.`;
}
