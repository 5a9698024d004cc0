import { TZDate } from '@date-fns/tz';
import type { Alert } from './alert.js';
import { type AlertFinding, isApiFinding } from './alert-finding.js';
import { apiFindingExcess, apiFindingHeadline, apiFindingStory, apiFindingTitle } from './api-alert-text.js';
import { count, percent, rateText } from './number-text.js';

export { latencyText } from './api-alert-text.js';
export { count, percent, rateText } from './number-text.js';

const STATUS_NOUNS: Record<string, string> = {
  failed: 'failures',
  denied: 'declines',
  reversed: 'reversals',
};

/** "failed rate 3.1% (expected 0.9%)" or "traffic down 92% (120 vs ≈1,500 expected)": the alert's title. */
export function findingTitle(finding: AlertFinding): string {
  if (finding.silentMinutes !== undefined) return silenceText(finding);
  if (isApiFinding(finding)) return apiFindingTitle(finding);
  if (finding.metric === 'traffic') {
    const change = finding.observedRate / Math.max(finding.expectedRate, 1e-9) - 1;
    const word = finding.direction === 'down' ? 'down' : 'up';
    return `traffic ${word} ${percent(Math.abs(change), 0)} (${count(finding.counts.observed)} vs ≈${count(finding.counts.expected)} expected)`;
  }
  return `${finding.metric} rate ${percent(finding.observedRate, 1)} (expected ${percent(finding.expectedRate, 1)})`;
}

/** "≈ 1,240 more declines than expected (1,530 of 18,200 transactions)": the excess in transactions. */
export function findingExcess(finding: AlertFinding): string {
  if (finding.silentMinutes !== undefined) return silenceText(finding);
  if (isApiFinding(finding)) return apiFindingExcess(finding);
  const { observed, excess, total } = finding.counts;
  if (finding.metric === 'traffic') {
    return `≈ ${count(Math.abs(excess))} ${excess < 0 ? 'fewer' : 'more'} transactions than expected`;
  }
  const noun = STATUS_NOUNS[finding.metric] ?? `${finding.metric} transactions`;
  return `≈ ${count(excess)} more ${noun} than expected (${count(observed)} of ${count(total)} transactions)`;
}

/**
 * A silence (a source, or an API, that posts every minute stopped): `no reports for 23 minutes; ≈ 4,100
 * transactions expected` (calls, for an API).
 */
function silenceText(finding: AlertFinding): string {
  const unit = isApiFinding(finding) ? 'calls' : 'transactions';
  return `no reports for ${minutesText(finding.silentMinutes ?? 0)}; ≈ ${count(finding.counts.expected)} ${unit} expected`;
}

function minutesText(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/**
 * What the alert is about, in one line — the card's header after its severity badge, the email's heading, the
 * digest's rows, the page's title: `card-eu (production) · failed rate 3.8 % (normal 0.8 %)` or
 * `card-eu (production) · traffic down 92 % (120 vs normal ≈ 1,500)`; for an API, `POST /v1/payments on
 * checkout-api (production): 5xx+timeouts 8.1 % (normal 0.3 %)`; an external alert's own title after its subject.
 */
export function alertHeadline(
  alert: Pick<Alert, 'source' | 'environment' | 'api' | 'title' | 'lastFinding'>,
): string {
  const what = alert.lastFinding ? findingHeadline(alert.lastFinding) : alert.title;
  return `${alertAbout(alert)}${alert.api === null ? ' · ' : ': '}${what}`;
}

/** Who the alert is about: `card-eu (production)`, or `POST /v1/payments on checkout-api (production)`. */
export function alertAbout(alert: Pick<Alert, 'source' | 'environment' | 'api'>): string {
  const subject = `${alert.source} (${alert.environment})`;
  return alert.api === null ? subject : `${alert.api} on ${subject}`;
}

/** `failed rate 3.8 % (normal 0.8 %)`, `traffic down 92 % (120 vs normal ≈ 1,500)`, a silence, or an API finding's. */
export function findingHeadline(finding: AlertFinding): string {
  if (finding.silentMinutes !== undefined) return `no reports for ${minutesText(finding.silentMinutes)}`;
  if (isApiFinding(finding)) return apiFindingHeadline(finding);
  if (finding.metric === 'traffic') {
    const change = finding.observedRate / Math.max(finding.expectedRate, 1e-9) - 1;
    const word = finding.direction === 'down' ? 'down' : 'up';
    return `traffic ${word} ${Math.round(Math.abs(change) * 100)} % (${count(finding.counts.observed)} vs normal ≈ ${count(finding.counts.expected)})`;
  }
  return `${finding.metric} rate ${rateText(finding.observedRate)} (normal ${rateText(finding.expectedRate)})`;
}

/**
 * What happened, in transactions, said once: `≈ 1,086 more failures than normal: 1,530 of 49,355 transactions
 * (≈ 444 expected)`, or `≈ 1,380 fewer transactions than normal: 120 (≈ 1,500 expected)`.
 */
export function findingStory(finding: AlertFinding): string {
  if (finding.silentMinutes !== undefined) return silenceText(finding);
  if (isApiFinding(finding)) return apiFindingStory(finding);
  const { observed, expected, excess, total } = finding.counts;
  if (finding.metric === 'traffic') {
    return `≈ ${count(Math.abs(excess))} ${excess < 0 ? 'fewer' : 'more'} transactions than normal: ${count(observed)} (≈ ${count(expected)} expected)`;
  }
  const noun = STATUS_NOUNS[finding.metric] ?? `${finding.metric} transactions`;
  return `≈ ${count(excess)} more ${noun} than normal: ${count(observed)} of ${count(total)} transactions (≈ ${count(expected)} expected)`;
}

/**
 * How sure detection is, in words instead of "score 17.1 (zscore, tree)": whether the models agree, then how
 * far outside normal the window is — the score bands of the default severity table (6: well, 12: far).
 */
export function confidenceText(finding: AlertFinding): string {
  return `${modelsText(finding)}; ${distanceText(finding.score)}`;
}

function modelsText(finding: AlertFinding): string {
  const fired = new Set(finding.models);
  if (fired.has('absolute') && isApiFinding(finding) && finding.latency?.sloMs !== undefined)
    return 'p99 above the latency SLO set for the source (too little history for models)';
  if (fired.has('absolute'))
    return 'above the fixed ceiling for a new source (too little history for models)';
  if (fired.has('zscore') && fired.has('tree')) return 'both models agree';
  if (finding.scores.tree !== undefined) return 'the history model fires and the tree model confirms';
  return 'the history model fires (no tree model yet)';
}

function distanceText(score: number): string {
  if (score >= 12) return 'far outside normal';
  if (score >= 6) return 'well outside normal';
  return 'outside normal';
}

/** The alert's data window: its findings' (incident start → last data), else the last finding's own window. */
export function dataWindowOf(
  alert: Pick<Alert, 'dataWindow' | 'lastFinding' | 'firstSeenAt' | 'lastSeenAt'>,
): { start: Date; end: Date } {
  if (alert.dataWindow) return alert.dataWindow;
  const f = alert.lastFinding;
  return f ? { start: f.windowStart, end: f.windowEnd } : { start: alert.firstSeenAt, end: alert.lastSeenAt };
}

/**
 * A window on the source's clock, then in UTC: `Sat 21 Nov 18:40–19:00 Europe/Berlin (17:40–18:00 UTC)`;
 * `Sat 21 Nov 17:40–18:00 UTC` when the source keeps UTC; each end with its day when they differ.
 */
export function windowText(start: Date, end: Date, timeZone: string): string {
  const local = span(start, end, timeZone);
  if (isUtcZone(timeZone)) return `${local} UTC`;
  return `${local} ${timeZone} (${span(start, end, 'UTC', false)} UTC)`;
}

/** `19:02 UTC` with the day when it differs from `reference`'s: when the evaluation ran, said apart. */
export function evaluatedText(at: Date, reference: Date): string {
  const sameDay = at.toISOString().slice(0, 10) === reference.toISOString().slice(0, 10);
  return `${sameDay ? '' : `${dayText(at, 'UTC')} `}${clockText(at, 'UTC')} UTC`;
}

export function isUtcZone(timeZone: string): boolean {
  return ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT'].includes(timeZone);
}

function span(start: Date, end: Date, timeZone: string, withDay = true): string {
  const sameDay = dayText(start, timeZone) === dayText(end, timeZone);
  const from = `${withDay ? `${dayText(start, timeZone)} ` : ''}${clockText(start, timeZone)}`;
  if (sameDay) return `${from}–${clockText(end, timeZone)}`;
  return `${from} – ${dayText(end, timeZone)} ${clockText(end, timeZone)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sat 21 Nov` on the zone's calendar. */
export function dayText(at: Date, timeZone: string): string {
  const local = new TZDate(at.getTime(), timeZone);
  return `${WEEKDAYS[local.getDay()]} ${local.getDate()} ${MONTHS[local.getMonth()]}`;
}

/** `18:40` on the zone's clock. */
export function clockText(at: Date, timeZone: string): string {
  const local = new TZDate(at.getTime(), timeZone);
  return `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
}
