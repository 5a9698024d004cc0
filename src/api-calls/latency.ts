/**
 * Latency as a histogram with fixed bounds: bucket i holds the calls that finished within LATENCY_BOUNDS_MS[i]
 * and not within the bound below (the first from 0 ms); the last bucket (`inf`) holds the calls slower than
 * 10,000 ms. Histograms add up exactly across posters and minutes; percentiles do not.
 */
export const LATENCY_BOUNDS_MS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
/** The bucket names of the API (`latency_ms` keys), in bucket order; CSV columns are `le_<name>`. */
export const LATENCY_BUCKETS = [...LATENCY_BOUNDS_MS.map(String), 'inf'] as const;
export const LATENCY_BUCKET_COUNT = LATENCY_BOUNDS_MS.length + 1;
const INF_INDEX = LATENCY_BOUNDS_MS.length;
const LAST_BOUND_MS = LATENCY_BOUNDS_MS[INF_INDEX - 1] as number;

/** The bucket a call of `responseMs` lands in: the first bound it finished within (25 ms → `25`). */
export function latencyBucketOf(responseMs: number): number {
  for (let i = 0; i < INF_INDEX; i++) if (responseMs <= (LATENCY_BOUNDS_MS[i] as number)) return i;
  return INF_INDEX;
}

/** Calls in the histogram. */
export function histogramTotal(histogram: readonly number[]): number {
  let total = 0;
  for (const count of histogram) total += count;
  return total;
}

/** The bucket-wise sum of the histograms (exact: same bounds everywhere). */
export function mergeHistograms(histograms: Iterable<readonly number[]>): number[] {
  const merged = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  for (const histogram of histograms)
    for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) merged[i] = (merged[i] ?? 0) + (histogram[i] ?? 0);
  return merged;
}

/**
 * Calls slower than `boundMs`, which must be one of LATENCY_BOUNDS_MS (exact: the buckets after it).
 * Any other value is a programmer error and throws: the histogram cannot say how many calls are slower.
 */
export function callsSlowerThan(histogram: readonly number[], boundMs: number): number {
  const index = LATENCY_BOUNDS_MS.indexOf(boundMs as (typeof LATENCY_BOUNDS_MS)[number]);
  if (index < 0) throw new Error(`${boundMs} ms is not a latency bucket bound`);
  let slower = 0;
  for (let i = index + 1; i < LATENCY_BUCKET_COUNT; i++) slower += histogram[i] ?? 0;
  return slower;
}

/** A latency percentile read from a histogram: always an estimate, interpolated within its bucket. */
export interface LatencyPercentile {
  /** Milliseconds; for a percentile among the calls slower than 10 s, 10,000 (a lower bound: see `above`). */
  readonly ms: number;
  /** True when the percentile falls in the `inf` bucket: the true value is more than `ms`, by how much is unknown. */
  readonly above: boolean;
}

/**
 * The q-quantile (0 < q ≤ 1) of the histogram's calls, interpolated linearly within its bucket (as
 * Prometheus' histogram_quantile): rank = q·N; the bucket is the first whose cumulative count reaches the
 * rank; ms = lower + (upper − lower)·(rank − calls below the bucket) / calls in the bucket, with lower 0 for
 * the first bucket. In the `inf` bucket, which has no upper bound, it reports `{ms: 10000, above: true}`
 * ("> 10 s") rather than invent a number. Null for an empty histogram.
 */
export function latencyPercentile(histogram: readonly number[], q: number): LatencyPercentile | null {
  const total = histogramTotal(histogram);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < INF_INDEX; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lower = i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] as number);
      const upper = LATENCY_BOUNDS_MS[i] as number;
      return { ms: lower + ((upper - lower) * (rank - below)) / count, above: false };
    }
    below += count;
  }
  return { ms: LAST_BOUND_MS, above: true };
}

/** p50, p95 and p99 of a histogram, and the calls they are read from. */
export interface LatencySummary {
  readonly p50: LatencyPercentile;
  readonly p95: LatencyPercentile;
  readonly p99: LatencyPercentile;
  /** Calls in the histogram (it may hold fewer than the calls with a response: see ApiMinute.latency). */
  readonly calls: number;
  /** Always true: readers (the API, cards) must say these are estimates interpolated within a bucket. */
  readonly interpolated: true;
}

/** The summary of a histogram; null when it is empty. */
export function latencySummary(histogram: readonly number[]): LatencySummary | null {
  const p50 = latencyPercentile(histogram, 0.5);
  const p95 = latencyPercentile(histogram, 0.95);
  const p99 = latencyPercentile(histogram, 0.99);
  if (!p50 || !p95 || !p99) return null;
  return { p50, p95, p99, calls: histogramTotal(histogram), interpolated: true };
}

/** "37 ms", "2.4 s", "10 s", "> 10 s": how cards and emails show a percentile. */
export function formatLatency(percentile: LatencyPercentile): string {
  const text =
    Math.round(percentile.ms) < 1000
      ? `${Math.round(percentile.ms)} ms`
      : `${(percentile.ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
  return percentile.above ? `> ${text}` : text;
}
