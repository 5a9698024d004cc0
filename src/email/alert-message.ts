import type { Alert } from '../alerts/alert.js';
import { alertHeadline, clockText, dataWindowOf, findingStory } from '../alerts/alert-text.js';
import { alertFacts, utc } from './alert-facts.js';
import {
  buttonLink,
  escapeHtml,
  factsTable,
  factsText,
  htmlDocument,
  paragraph,
  SEVERITY_BADGE,
  severityBadgeHtml,
} from './html.js';
import { type Headline, headlineTag } from './news.js';

/** Subject and both parts of an email, and the images its HTML shows inline (`cid:` parts). */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly InlineImage[];
}

/** A PNG sent as a part of the email and shown by the HTML as `<img src="cid:…">`: no remote image to load. */
export interface InlineImage {
  readonly filename: string;
  readonly content: Buffer;
  /** The part's Content-ID, without angle brackets (`chart-12-3@example.com`). */
  readonly cid: string;
  readonly contentType: 'image/png';
}

/** An alert's chart as an email shows it: the inline part, and the words for whoever cannot see it. */
export interface ChartImage {
  readonly image: InlineImage;
  readonly alt: string;
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
  /** The alert page for this recipient ("View alert": chart, facts, audit trail); undefined when links are off. */
  readonly viewUrl?: string | undefined;
  /** A sentence that says why this email came (fallback, escalation). */
  readonly note?: string | undefined;
  /** The alert's chart, shown inline; undefined: the email goes without it. */
  readonly chart?: ChartImage | undefined;
}

const INTRO: Record<Headline, string> = {
  opened: 'A payment alert is open.',
  acknowledged: 'Someone is on this alert: it was acknowledged.',
  recovered: 'The metric of this alert is back to normal.',
  resolved: 'This alert is resolved.',
  escalated: 'This alert has not been acknowledged in time and is escalated to you.',
};

/** `[RESOLVED] [HIGH] card-eu (production) · failed rate 3.1 % (normal 0.9 %)`. Pure. */
/** The email's first sentence: `A payment alert is open.` (`An API alert is open.` for one of API calls). */
function introOf(alert: Alert, headline: Headline): string {
  return headline === 'opened' && alert.api !== null ? 'An API alert is open.' : INTRO[headline];
}

export function alertSubject(alert: Alert, headline: Headline): string {
  return `${headlineTag(headline)}[${alert.severity.toUpperCase()}] ${alertHeadline(alert)}`;
}

/**
 * The line mail clients show after the subject: what happened, in the source's time — `Since 18:40
 * Europe/Berlin: ≈ 1,086 more failures than normal …`, or the news for a change (acknowledged by whom).
 */
export function preheaderText(alert: Alert, headline: Headline, timeZone: string): string {
  const since = `Since ${clockText(dataWindowOf(alert).start, timeZone)} ${timeZone}`;
  const what = alert.lastFinding ? findingStory(alert.lastFinding) : (alert.summary ?? alert.title);
  if (headline === 'acknowledged') return `Acknowledged by ${alert.acknowledgedBy ?? 'someone'}. ${what}`;
  if (headline === 'resolved') return `Resolved by ${alert.resolvedBy ?? 'someone'}. ${what}`;
  if (headline === 'recovered') return `Back to normal. ${what}`;
  return `${since}: ${what}`;
}

/**
 * One alert's email: the same headline and facts as its Slack card, in HTML and plain text — a hidden preheader
 * that says what happened, a bar and badge in the severity's colour, "View alert" (the alert page) and the
 * action links. Pure.
 */
export function buildAlertEmail(input: AlertEmailInput): EmailContent {
  const { alert, headline } = input;
  const facts = alertFacts(alert, input.timeZone);
  const subject = alertSubject(alert, headline);
  const title = alertHeadline(alert);
  const view = input.viewUrl ? [`View alert (chart, facts, audit trail): ${input.viewUrl}`] : [];
  const intro = introOf(alert, headline);
  const lines = [
    intro,
    ...(input.note ? [input.note] : []),
    '',
    title,
    '',
    factsText(facts),
    ...chartText(input.chart),
  ];
  const text = [...lines, '', ...view, ...actionText(alert, input.actions), '', FOOTER].join('\n');
  const colour = alert.status === 'resolved' ? '#4b5563' : (SEVERITY_BADGE[alert.severity] ?? '#475569');
  const html = htmlDocument(
    subject,
    [
      preheaderHtml(preheaderText(alert, headline, input.timeZone)),
      `<div style="border-left:6px solid ${colour};padding-left:14px">`,
      `<p>${severityBadgeHtml(alert.severity, alert.status === 'resolved')} ${escapeHtml(intro)}</p>`,
      input.note ? paragraph(input.note) : '',
      `<h2 style="font-size:18px">${escapeHtml(title)}</h2>`,
      factsTable(facts),
      chartHtml(input.chart),
      viewHtml(input.viewUrl),
      actionHtml(alert, input.actions),
      '</div>',
      `<p style="color:#4b5563;font-size:12px">${escapeHtml(FOOTER)}</p>`,
    ].join('\n'),
  );
  return { subject, text, html, ...(input.chart ? { attachments: [input.chart.image] } : {}) };
}

/** The chart inline (the `cid:` part), scaled down on narrow screens; nothing without a chart. */
export function chartHtml(chart: ChartImage | undefined): string {
  if (!chart) return '';
  return (
    `<p><img src="cid:${escapeHtml(chart.image.cid)}" alt="${escapeHtml(chart.alt)}" width="640" ` +
    `style="display:block;width:100%;max-width:640px;height:auto;border:1px solid #e5e7eb"></p>`
  );
}

/** What the plain-text part says of the chart: it travels with the email as an image. */
export function chartText(chart: ChartImage | undefined): string[] {
  return chart
    ? ['', `Chart: ${chart.alt} — attached as ${chart.image.filename} (inline in the HTML version).`]
    : [];
}

/** Text the mail client shows in its list, hidden in the message itself. */
export function preheaderHtml(text: string): string {
  return `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${escapeHtml(text)}</div>`;
}

/** The "View alert" button (the alert page), or nothing. */
export function viewHtml(url: string | undefined): string {
  return url ? `<p>${buttonLink(url, 'View alert')}</p>` : '';
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
  return `<p>${buttons}</p>\n<p style="font-size:12px;color:#4b5563">${escapeHtml(expiryNote(actions.expiresAt))}</p>`;
}

function expiryNote(expiresAt: Date): string {
  return `Each link works once, until ${utc(expiresAt)}, and asks you to confirm before it changes anything.`;
}
