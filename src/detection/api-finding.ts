import type { Finding } from './types.js';

/**
 * The metrics of an API (product.md, "API calls"), judged per (source, environment, api):
 * - `errors`: 5xx + timeouts, share of all calls (rises alert);
 * - `silent_failures`: 2xx with an invalid payload, share of all calls (rises alert);
 * - `latency`: calls slower than the API's normal p99 at comparable times, share of the calls in the latency
 *   histogram (rises alert);
 * - `client_errors`: 4xx, share of all calls — judged only where RATEWATCH_CONFIG turns it on for the source
 *   (`sources.<name>.detection.judge_4xx: true`);
 * - `traffic`: all calls (drops and surges alert).
 */
export const API_RATE_METRICS = ['errors', 'silent_failures', 'latency', 'client_errors'] as const;
export type ApiRateMetric = (typeof API_RATE_METRICS)[number];
export type ApiMetric = ApiRateMetric | 'traffic';
export const API_METRICS: readonly ApiMetric[] = [...API_RATE_METRICS, 'traffic'];

export function isApiMetric(value: unknown): value is ApiMetric {
  return typeof value === 'string' && (API_METRICS as readonly string[]).includes(value);
}

/** A latency percentile read from a histogram (interpolated within its bucket); `above`: "> 10 s". */
export interface LatencyPoint {
  readonly ms: number;
  readonly above: boolean;
}

export interface LatencyPercentiles {
  readonly p50: LatencyPoint;
  readonly p95: LatencyPoint;
  readonly p99: LatencyPoint;
}

/** What a latency finding says about response times, beside the share of slow calls. */
export interface LatencyFacts {
  /** The bound the metric counts calls slower than (the normal p99's bucket bound), or the SLO in cold start. */
  readonly boundMs: number;
  /** Percentiles of the finding's window (interpolated within the bucket); null when it held no latency. */
  readonly observed: LatencyPercentiles | null;
  /** Percentiles of the comparable past hours the bound came from; null in cold start (no normal yet). */
  readonly normal: LatencyPercentiles | null;
  /** Set when the finding is the cold-start SLO ceiling: the configured `latency_slo_ms`. */
  readonly sloMs?: number;
}

/**
 * A finding of one API: the payment Finding's fields (rates are shares of calls — of the histogram's calls
 * for latency; traffic is calls in the window; `counts.total` is the window's calls, or its histogram total for
 * latency), with the API metric name, the api, and for latency the percentiles observed and normal.
 */
export interface ApiFinding extends Omit<Finding, 'metric'> {
  readonly api: string;
  readonly metric: ApiMetric;
  readonly latency?: LatencyFacts;
}
