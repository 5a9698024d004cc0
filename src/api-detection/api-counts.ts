import { CLASS_INDEX } from '../api-calls/api-minute.js';
import { LATENCY_BUCKET_COUNT } from '../api-calls/latency.js';

/**
 * An API's calls in a window (a 10-minute block, an hour): what `ApiMinute` holds, summed, and how many
 * minutes had a row. `calls` in CALL_CLASSES order (2xx, 3xx, 4xx, 5xx, timeout); `latency` the histogram in
 * LATENCY_BUCKETS order (its total may be under the calls with a response: see ApiMinute.latency).
 */
export interface ApiCounts {
  readonly minutes: number;
  readonly calls: readonly number[];
  readonly silentFailures: number;
  readonly latency: readonly number[];
}

export const ZERO_API_COUNTS: ApiCounts = Object.freeze({
  minutes: 0,
  calls: Object.freeze([0, 0, 0, 0, 0]),
  silentFailures: 0,
  latency: Object.freeze(new Array<number>(LATENCY_BUCKET_COUNT).fill(0)),
});

/** A window being summed into. */
export interface MutableApiCounts extends ApiCounts {
  minutes: number;
  readonly calls: number[];
  silentFailures: number;
  readonly latency: number[];
}

export function emptyApiCounts(): MutableApiCounts {
  return {
    minutes: 0,
    calls: [0, 0, 0, 0, 0],
    silentFailures: 0,
    latency: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
  };
}

/** Adds `from` into `into`; `minutes` adds too (a minute's row adds 1 with `minutes: 1`). */
export function addApiCounts(into: MutableApiCounts, from: ApiCounts): void {
  into.minutes += from.minutes;
  for (let i = 0; i < into.calls.length; i++) into.calls[i] = (into.calls[i] ?? 0) + (from.calls[i] ?? 0);
  into.silentFailures += from.silentFailures;
  for (let i = 0; i < into.latency.length; i++)
    into.latency[i] = (into.latency[i] ?? 0) + (from.latency[i] ?? 0);
}

/** The sum of windows (blocks into a half hour, hours into a span). */
export function sumApiCounts(parts: Iterable<ApiCounts>): ApiCounts {
  const sum = emptyApiCounts();
  for (const part of parts) addApiCounts(sum, part);
  return sum;
}

/** All calls of the window. */
export function callsOf(counts: ApiCounts): number {
  let total = 0;
  for (const count of counts.calls) total += count;
  return total;
}

/** 5xx + timeouts: the `errors` metric's count. */
export function errorsOf(counts: ApiCounts): number {
  return (counts.calls[CLASS_INDEX['5xx']] ?? 0) + (counts.calls[CLASS_INDEX.timeout] ?? 0);
}

/** 4xx: the `client_errors` metric's count. */
export function clientErrorsOf(counts: ApiCounts): number {
  return counts.calls[CLASS_INDEX['4xx']] ?? 0;
}
