import type { Alert } from '../alerts/alert.js';
import { alertHeadline } from '../alerts/alert-text.js';
import { SEVERITIES } from '../detection/types.js';
import { alertFacts, utc } from './alert-facts.js';
import {
  type ActionUrls,
  actionHtml,
  actionText,
  alertSubject,
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
}

/**
 * One email for the alerts one evaluation run brought a recipient (several at once, e.g. an acquirer outage
 * hitting every source): a summary line, then each alert with its facts and links, most severe first. Pure.
 */
export function buildDigestEmail(input: {
  hourStart: Date;
  /** The run was a tick between the hourly runs: `hourStart` is then its instant. */
  tick?: boolean | undefined;
  entries: readonly DigestEntry[];
}): EmailContent {
  const entries = [...input.entries].sort(
    (a, b) =>
      SEVERITIES.indexOf(b.alert.severity) - SEVERITIES.indexOf(a.alert.severity) || a.alert.id - b.alert.id,
  );
  const run = input.tick
    ? {
        from: `the check at ${utc(input.hourStart)}`,
        of: `The check of the minutes before ${utc(input.hourStart)}`,
      }
    : {
        from: `the hour starting ${utc(input.hourStart)}`,
        of: `The evaluation of the hour starting ${utc(input.hourStart)}`,
      };
  const subject = `[ratewatch] ${entries.length} alerts from ${run.from}: ${severityCounts(entries.map((e) => e.alert))}`;
  const intro = `${run.of} brought ${entries.length} alerts at once; they are summed up in this one email.`;
  const text = [
    intro,
    '',
    ...entries.flatMap((entry) => [
      `=== ${alertSubject(entry.alert, entry.headline)}`,
      '',
      factsText(alertFacts(entry.alert, entry.timeZone)),
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
      ...entries.map(
        (entry) =>
          `<h2 style="font-size:16px;margin-top:24px">${severityBadgeHtml(entry.alert.severity, entry.alert.status === 'resolved')} ` +
          `${escapeHtml(alertHeadline(entry.alert))}</h2>\n` +
          `${factsTable(alertFacts(entry.alert, entry.timeZone))}\n${viewHtml(entry.viewUrl)}\n${actionHtml(entry.alert, entry.actions)}`,
      ),
    ].join('\n'),
  );
  return { subject, text, html };
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
