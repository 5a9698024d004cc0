import type { Calendar } from './calendar.js';
import type { HistoryHour, Metric, WindowCounts } from './types.js';

const HOUR_MS = 3_600_000;
const NO_METRICS: ReadonlySet<Metric> = new Set();

/** A stored hourly rollup, as both MySQL and the backtest keep them. */
export interface HourRecord extends WindowCounts {
  /** Epoch ms of the hour's start. */
  readonly hourStart: number;
}

export const ZERO_COUNTS: WindowCounts = Object.freeze({
  minutes: 0,
  total: 0,
  failed: 0,
  denied: 0,
  reversed: 0,
});

/** One history hour: its counts, its place in the source's calendar, and which metrics alerted in it. */
export function historyHour(
  hourStart: number,
  counts: WindowCounts,
  calendar: Calendar,
  alerting: ReadonlySet<Metric> = NO_METRICS,
): HistoryHour {
  const { localHour, weekday, holiday } = calendar.position(hourStart);
  return {
    hourStart,
    minutes: counts.minutes,
    total: counts.total,
    failed: counts.failed,
    denied: counts.denied,
    reversed: counts.reversed,
    localHour,
    weekday,
    holiday,
    alerting,
  };
}

/**
 * Dense hourly history over [from, until): one entry per hour from the series' first reported hour in that
 * range (or `from` if `startAtFrom`), hours without a record as zero traffic. `records` must be sorted.
 * `alerting` maps an hour's start to the metrics that alerted in it.
 */
export function denseHistory(
  records: readonly HourRecord[],
  range: { from: number; until: number },
  calendar: Calendar,
  alerting: ReadonlyMap<number, ReadonlySet<Metric>> = new Map(),
): HistoryHour[] {
  const inRange = records.filter((r) => r.hourStart >= range.from && r.hourStart < range.until);
  const first = inRange[0];
  if (!first) return [];
  const history: HistoryHour[] = [];
  let next = 0;
  for (let hour = first.hourStart; hour < range.until; hour += HOUR_MS) {
    const record = inRange[next]?.hourStart === hour ? inRange[next++] : undefined;
    history.push(historyHour(hour, record ?? ZERO_COUNTS, calendar, alerting.get(hour)));
  }
  return history;
}
