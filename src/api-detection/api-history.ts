import type { ApiMetric } from '../detection/api-finding.js';
import type { Calendar } from '../detection/calendar.js';
import type { ApiCounts } from './api-counts.js';
import { ZERO_API_COUNTS } from './api-counts.js';

const HOUR_MS = 3_600_000;
const NO_METRICS: ReadonlySet<ApiMetric> = new Set();

/** One past hour of an API, with its place in the source's calendar and the API metrics that alerted in it. */
export interface ApiHistoryHour extends ApiCounts {
  /** Start of the hour, epoch ms (UTC). */
  readonly hourStart: number;
  readonly localHour: number;
  readonly weekday: number;
  readonly holiday: boolean;
  /** API metrics that produced a finding for this hour; left out of baselines, the latency bound and training. */
  readonly alerting: ReadonlySet<ApiMetric>;
}

/** An hourly rollup of an API (the live job reads `api_call_hours`; the backtest sums minutes). */
export interface ApiHourRecord extends ApiCounts {
  readonly hourStart: number;
}

/** One history hour of an API: its counts, its calendar position, the metrics that alerted in it. */
export function apiHistoryHour(
  hourStart: number,
  counts: ApiCounts,
  calendar: Calendar,
  alerting: ReadonlySet<ApiMetric> = NO_METRICS,
): ApiHistoryHour {
  const { localHour, weekday, holiday } = calendar.position(hourStart);
  const { minutes, calls, silentFailures, latency } = counts;
  return { hourStart, minutes, calls, silentFailures, latency, localHour, weekday, holiday, alerting };
}

/**
 * Dense hourly history of an API over [from, until), as `denseHistory` does for payments: one entry per hour
 * from its first reported hour in the range, hours without a record as zero calls. `records` sorted by hour;
 * `alerting` maps an hour's start to the API metrics that alerted in it.
 */
export function denseApiHistory(
  records: readonly ApiHourRecord[],
  range: { from: number; until: number },
  calendar: Calendar,
  alerting: ReadonlyMap<number, ReadonlySet<ApiMetric>> = new Map(),
): ApiHistoryHour[] {
  const inRange = records.filter((r) => r.hourStart >= range.from && r.hourStart < range.until);
  const first = inRange[0];
  if (!first) return [];
  const history: ApiHistoryHour[] = [];
  let next = 0;
  for (let hour = first.hourStart; hour < range.until; hour += HOUR_MS) {
    const record = inRange[next]?.hourStart === hour ? inRange[next++] : undefined;
    history.push(apiHistoryHour(hour, record ?? ZERO_API_COUNTS, calendar, alerting.get(hour)));
  }
  return history;
}

/** An API hour's traffic (all its calls), for inferring the clock its callers keep (`clockOf`). */
export function apiCallsOf(hour: ApiHistoryHour): number {
  return hour.calls.reduce((sum, calls) => sum + calls, 0);
}
