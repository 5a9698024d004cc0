import { callsSlowerThan, histogramTotal, LATENCY_BOUNDS_MS, LATENCY_BUCKET_COUNT } from './latency.js';

/** Fewer calls than this in the history and its p99 rests on one or two calls: no latency metric yet. */
export const MIN_CALLS_FOR_NORMAL_P99 = 200;

/**
 * The bound the `latency` metric counts against: its rate is "calls slower than `boundMs`" / "calls in the
 * histogram", judged like any other rate (count-aware, seasonal) against the same share in the history.
 */
export type NormalP99Bound =
  | {
      readonly kind: 'bound';
      /** A finite bucket bound of LATENCY_BOUNDS_MS. */
      readonly boundMs: number;
      /** Share of the history's calls slower than the bound: at most 1 %, unless `capped`. */
      readonly normalShare: number;
      /** True when more than 1 % of the history was slower than 10 s: the bound is 10,000 ms anyway. */
      readonly capped: boolean;
    }
  | {
      readonly kind: 'none';
      /** `too-little-history`: under minCalls calls; `all-beyond-range`: every call slower than 10 s. */
      readonly reason: 'too-little-history' | 'all-beyond-range';
    };

/**
 * Picks the "normal p99" bound of an API from its history at comparable times (the merged histogram):
 * the smallest bucket bound B with at most 1 % of the calls slower than B — the upper bound of the bucket in
 * which the interpolated p99 falls, so B ≥ p99. Exact, since bounds are bucket edges; 1 % is compared in
 * integers (slower·100 ≤ N), so a p99 exactly on a bound picks that bound.
 *
 * Edge cases: fewer than `minCalls` calls (no history) → none, and only the cold-start ceilings judge
 * latency; every call in `inf` → none (nothing measurable can rise); more than 1 % in `inf` → 10,000 ms,
 * `capped`, whose normal share is then above 1 %; p99 in the first bucket → 25 ms, and a slowdown that stays
 * under 25 ms is invisible (the histogram's resolution).
 */
export function normalP99Bound(
  history: readonly number[],
  minCalls = MIN_CALLS_FOR_NORMAL_P99,
): NormalP99Bound {
  const total = histogramTotal(history);
  if (total === 0 || total < minCalls) return { kind: 'none', reason: 'too-little-history' };
  if ((history[LATENCY_BUCKET_COUNT - 1] ?? 0) === total) return { kind: 'none', reason: 'all-beyond-range' };
  for (const boundMs of LATENCY_BOUNDS_MS) {
    const slower = callsSlowerThan(history, boundMs);
    if (slower * 100 <= total) return { kind: 'bound', boundMs, normalShare: slower / total, capped: false };
  }
  const last = LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] as number;
  return { kind: 'bound', boundMs: last, normalShare: callsSlowerThan(history, last) / total, capped: true };
}
