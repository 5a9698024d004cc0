import { CLASS_INDEX, totalCalls } from './api-minute.js';
import { type LatencySummary, latencySummary } from './latency.js';

/** What the read API (and later the cards) say about an API's calls over a span: an hour, say. */
export interface CallStats {
  /** All calls: the sum of every class. */
  readonly total: number;
  /** (5xx + timeouts) / total — the `errors` metric; 4xx are the callers' mistakes and not in it. Null without calls. */
  readonly errorRate: number | null;
  /** Silent failures (2xx with an invalid payload) / total. Null without calls. */
  readonly silentFailureRate: number | null;
  /** p50/p95/p99 interpolated within their buckets, from the histogram; null when it holds no call. */
  readonly latency: LatencySummary | null;
}

/**
 * The stats of summed counts (minutes of one API added up: they add exactly). The latency percentiles come
 * from the histogram alone, whose total may be below the calls with a response (log records added to a posted
 * minute without latency): they describe the calls that were timed.
 */
export function callStats(counts: {
  readonly calls: readonly number[];
  readonly silentFailures: number;
  readonly latency: readonly number[];
}): CallStats {
  const total = totalCalls(counts.calls);
  const errors = (counts.calls[CLASS_INDEX['5xx']] ?? 0) + (counts.calls[CLASS_INDEX.timeout] ?? 0);
  return {
    total,
    errorRate: total > 0 ? errors / total : null,
    silentFailureRate: total > 0 ? counts.silentFailures / total : null,
    latency: latencySummary(counts.latency),
  };
}
