import { TZDate } from '@date-fns/tz';
import type { Alert } from '../alerts/alert.js';
import { count, findingExcess, percent } from '../alerts/alert-text.js';
import type { Finding } from '../detection/types.js';

/** One labelled fact of an alert, shown the same way in the HTML and the plain-text part. */
export interface Fact {
  readonly label: string;
  readonly value: string;
}

/**
 * The facts of an alert that its Slack card shows too: status, observed vs expected, counts, excess in
 * transactions, window in UTC and in the source's local time, models, occurrences, alert id. Pure.
 * `timeZone` is the source's IANA zone (UTC when it has none).
 */
export function alertFacts(alert: Alert, timeZone: string): Fact[] {
  const facts: Fact[] = [
    { label: 'Alert', value: `#${alert.id}` },
    { label: 'Status', value: statusText(alert) },
    { label: 'Severity', value: alert.severity },
    { label: 'Source', value: `${alert.source} (${alert.environment})` },
    { label: 'Metric', value: alert.metric },
  ];
  if (alert.lastFinding) facts.push(...findingFacts(alert.lastFinding, timeZone));
  if (alert.summary) facts.push({ label: 'Summary', value: alert.summary });
  facts.push({
    label: 'Occurrences',
    value: `${alert.occurrences} (first ${utc(alert.firstSeenAt)}, last ${utc(alert.lastSeenAt)})`,
  });
  return facts;
}

function findingFacts(finding: Finding, timeZone: string): Fact[] {
  const traffic = finding.metric === 'traffic';
  const observed = traffic
    ? `${count(finding.observedRate)} transactions vs ≈ ${count(finding.expectedRate)} expected`
    : `${percent(finding.observedRate, 2)} vs ${percent(finding.expectedRate, 2)} expected`;
  return [
    { label: 'Observed', value: observed },
    {
      label: 'Counts',
      value: `${count(finding.counts.observed)} of ${count(finding.counts.total)} transactions (≈ ${count(finding.counts.expected)} expected)`,
    },
    { label: 'Excess', value: findingExcess(finding) },
    { label: 'Window (UTC)', value: windowText(finding, 'UTC') },
    ...(isUtc(timeZone) ? [] : [{ label: `Window (${timeZone})`, value: windowText(finding, timeZone) }]),
    { label: 'Models', value: `${finding.models.join(', ') || '—'} (score ${finding.score.toFixed(1)})` },
  ];
}

/** "new", "acknowledged by ana@example.com at 2026-11-21 18:20 UTC", "resolved by … (note)". */
export function statusText(alert: Alert): string {
  if (alert.status === 'acknowledged')
    return `acknowledged${by(alert.acknowledgedBy)}${at(alert.acknowledgedAt)}`;
  if (alert.status === 'resolved') {
    const note = alert.resolutionNote ? ` (${alert.resolutionNote})` : '';
    return `resolved${by(alert.resolvedBy)}${at(alert.resolvedAt)}${note}`;
  }
  return alert.recoveredAt ? `new, metric back to normal since ${utc(alert.recoveredAt)}` : 'new';
}

function windowText(finding: Finding, timeZone: string): string {
  const start = new TZDate(finding.windowStart.getTime(), timeZone);
  const end = new TZDate(finding.windowEnd.getTime(), timeZone);
  const sameDay = start.toDateString() === end.toDateString();
  return `${day(start)} ${clock(start)}–${sameDay ? '' : `${day(end)} `}${clock(end)}`;
}

function isUtc(timeZone: string): boolean {
  return ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT'].includes(timeZone);
}

/** `2026-11-21 18:02 UTC`. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function day(date: TZDate): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function clock(date: TZDate): string {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

const by = (actor: string | null) => (actor ? ` by ${actor}` : '');
const at = (when: Date | null) => (when ? ` at ${utc(when)}` : '');
