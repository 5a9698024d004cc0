import type { Alert } from '../alerts/alert.js';
import { alertHeadline } from '../alerts/alert-text.js';
import { SEVERITIES } from '../detection/types.js';
import { alertFacts, utc } from './alert-facts.js';
import {
  type ActionUrls,
  actionHtml,
  actionText,
  alertSubject,
  type ChartImage,
  chartHtml,
  chartText,
  type EmailContent,
  preheaderHtml,
  viewHtml,
} from './alert-message.js';
import { escapeHtml, factsTable, factsText, htmlDocument, paragraph, severityBadgeHtml } from './html.js';
import type { Headline } from './news.js';

/** One alert in a digest. */
export interface DigestEntry {
  readonly alert: Alert;
  readonly timeZone: string;
  readonly headline: Headline;
  readonly actions: ActionUrls;
  /** The alert page for this recipient; undefined when links are off. */
  readonly viewUrl?: string | undefined;
  /** Its chart inline; only the first DIGEST_CHARTS entries (in digest order) get one. */
  readonly chart?: ChartImage | undefined;
}

/**
 * Charts in one digest at most: each is 57–97 KiB of PNG (`npm run bench:chart`), ≈ 37 % more in base64, so ten
 * add at most ≈ 1.3 MB to a storm's digest; the other alerts' charts are on their pages.
 */
export const DIGEST_CHARTS = 10;

/** The digest's order: most severe first, then oldest. Pure. */
export function digestOrder<T extends { readonly alert: Alert }>(entries: readonly T[]): T[] {
  return [...entries].sort(
    (a, b) =>
      SEVERITIES.indexOf(b.alert.severity) - SEVERITIES.indexOf(a.alert.severity) || a.alert.id - b.alert.id,
  );
}

/**
 * One email for the alerts one evaluation run brought a recipient (several at once, e.g. an acquirer outage
 * hitting every source): a summary line, then each alert with its facts and links, most severe first. Pure.
 */
export function buildDigestEmail(input: { hourStart: Date; entries: readonly DigestEntry[] }): EmailContent {
  const entries = digestOrder(input.entries).map((entry, i) =>
    i < DIGEST_CHARTS ? entry : { ...entry, chart: undefined },
  );
  const capped = entries.length > DIGEST_CHARTS ? [chartCapNote(entries.length)] : [];
  const subject = `[ratewatch] ${entries.length} alerts from the hour starting ${utc(input.hourStart)}: ${severityCounts(entries.map((e) => e.alert))}`;
  const intro = `The evaluation of the hour starting ${utc(input.hourStart)} brought ${entries.length} alerts at once; they are summed up in this one email.`;
  const text = [
    intro,
    ...capped,
    '',
    ...entries.flatMap((entry) => [
      `=== ${alertSubject(entry.alert, entry.headline)}`,
      '',
      factsText(alertFacts(entry.alert, entry.timeZone)),
      ...chartText(entry.chart),
      '',
      ...(entry.viewUrl ? [`View alert: ${entry.viewUrl}`] : []),
      ...actionText(entry.alert, entry.actions),
      '',
    ]),
    'Sent by ratewatch. You get this because alert routing names your address.',
  ].join('\n');
  const html = htmlDocument(
    subject,
    [
      preheaderHtml(entries.map((e) => alertHeadline(e.alert)).join(' · ')),
      paragraph(intro),
      ...capped.map(paragraph),
      ...entries.map(
        (entry) =>
          `<h2 style="font-size:16px;margin-top:24px">${severityBadgeHtml(entry.alert.severity, entry.alert.status === 'resolved')} ` +
          `${escapeHtml(alertHeadline(entry.alert))}</h2>\n` +
          `${factsTable(alertFacts(entry.alert, entry.timeZone))}\n${chartHtml(entry.chart)}\n` +
          `${viewHtml(entry.viewUrl)}\n${actionHtml(entry.alert, entry.actions)}`,
      ),
    ].join('\n'),
  );
  const attachments = entries.flatMap((entry) => (entry.chart ? [entry.chart.image] : []));
  return { subject, text, html, ...(attachments.length > 0 ? { attachments } : {}) };
}

function chartCapNote(count: number): string {
  return `Charts are shown for the first ${DIGEST_CHARTS} of these ${count} alerts, to keep this email small; each alert's page has its own.`;
}

/** "1 critical, 2 high". */
function severityCounts(alerts: readonly Alert[]): string {
  return [...SEVERITIES]
    .reverse()
    .map((severity) => [severity, alerts.filter((a) => a.severity === severity).length] as const)
    .filter(([, n]) => n > 0)
    .map(([severity, n]) => `${n} ${severity}`)
    .join(', ');
}
