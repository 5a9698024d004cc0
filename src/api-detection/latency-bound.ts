import {
  callsSlowerThan,
  histogramTotal,
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  latencySummary,
  mergeHistograms,
} from '../api-calls/latency.js';
import { type NormalP99Bound, normalP99Bound } from '../api-calls/normal-p99-bound.js';
import type { LatencyPercentiles } from '../detection/api-finding.js';
import type { CalendarPosition } from '../detection/types.js';
import type { ApiHistoryHour } from './api-history.js';

const DAY_MS = 86_400_000;

/** The latency history an hour is judged against: comparable past hours merged, and the bound read from it. */
export interface LatencyNormal {
  /** The merged histogram of the comparable hours. */
  readonly histogram: readonly number[];
  readonly bound: NormalP99Bound;
  /** Hours of the last `historyDays` with latency data (the latency pass's cold start counts them). */
  readonly hoursWithLatency: number;
}

/**
 * The API's normal latency at the evaluated hour: the histograms of comparable past hours — the last
 * `historyDays`, local hour within ±1 (as the rate z-score's comparable hours), with latency data — merged,
 * leaving out hours that alerted on latency unless more than half did (a lasting change becomes the new
 * normal); its `normalP99Bound` is what the latency metric counts calls slower than.
 */
export function latencyNormal(
  history: readonly ApiHistoryHour[],
  hourStart: number,
  position: CalendarPosition,
  historyDays: number,
): LatencyNormal {
  const since = hourStart - historyDays * DAY_MS;
  const comparable: ApiHistoryHour[] = [];
  let hoursWithLatency = 0;
  for (const hour of history) {
    if (hour.hourStart < since || latencyCalls(hour) === 0) continue;
    hoursWithLatency++;
    if (circularDistance(hour.localHour, position.localHour) <= 1) comparable.push(hour);
  }
  const quiet = comparable.filter((h) => !h.alerting.has('latency'));
  const chosen = quiet.length * 2 >= comparable.length ? quiet : comparable;
  const histogram = mergeHistograms(chosen.map((h) => h.latency));
  return { histogram, bound: normalP99Bound(histogram), hoursWithLatency };
}

const totals = new WeakMap<ApiHistoryHour, number>();

/** Calls in an hour's histogram (memoised per hour object: every evaluation scans the whole history). */
export function latencyCalls(hour: ApiHistoryHour): number {
  let total = totals.get(hour);
  if (total === undefined) {
    total = histogramTotal(hour.latency);
    totals.set(hour, total);
  }
  return total;
}

/** Counts the calls slower than a bucket bound (exact). */
export function slowerThanBound(boundMs: number): (histogram: readonly number[]) => number {
  return (histogram) => callsSlowerThan(histogram, boundMs);
}

/**
 * Counts the calls slower than `ms` — any value, for an SLO — interpolating within the bucket it falls in as
 * the percentiles do (calls spread evenly inside a bucket), rounded down. Beyond 10 s the `inf` bucket counts
 * whole (the histogram cannot tell 12 s from 30 s). So p99 > ms exactly when more than 1 % count.
 */
export function slowerThanMs(ms: number): (histogram: readonly number[]) => number {
  return (histogram) => {
    let slower = histogram[LATENCY_BUCKET_COUNT - 1] ?? 0;
    for (let i = LATENCY_BOUNDS_MS.length - 1; i >= 0; i--) {
      const upper = LATENCY_BOUNDS_MS[i] as number;
      const lower = i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] as number);
      const count = histogram[i] ?? 0;
      if (ms >= upper) break;
      slower += ms <= lower ? count : (count * (upper - ms)) / (upper - lower);
    }
    return Math.floor(slower + 1e-9);
  };
}

/** p50, p95, p99 of a histogram (interpolated within the bucket); null when it is empty. */
export function percentilesOf(histogram: readonly number[]): LatencyPercentiles | null {
  const summary = latencySummary(histogram);
  return summary && { p50: summary.p50, p95: summary.p95, p99: summary.p99 };
}

function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}
