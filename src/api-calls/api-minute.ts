import { LATENCY_BUCKET_COUNT } from './latency.js';

/** Outcome classes of a call, in the order of `ApiMinute.calls`, the CSV columns and the table's columns. */
export const CALL_CLASSES = ['2xx', '3xx', '4xx', '5xx', 'timeout'] as const;
export type CallClass = (typeof CALL_CLASSES)[number];

/** Where each class sits in `ApiMinute.calls`. */
export const CLASS_INDEX: Readonly<Record<CallClass, number>> = {
  '2xx': 0,
  '3xx': 1,
  '4xx': 2,
  '5xx': 3,
  timeout: 4,
};
export const TIMEOUT_INDEX = CLASS_INDEX.timeout;

/**
 * One minute of one API of one source and environment: the unit that is stored, summed into hours and
 * judged. Every field adds up exactly across posts, logs and minutes — which is why latency is a histogram
 * with fixed bounds and not percentiles.
 */
export interface ApiMinute {
  readonly source: string;
  readonly environment: string;
  /** The endpoint, such as `POST /v1/payments` (names.ts: 1–200 printable characters). */
  readonly api: string;
  /** Start of the minute, epoch milliseconds (UTC, whole minute). */
  readonly minuteMs: number;
  /** Calls by outcome class, in CALL_CLASSES order: 2xx, 3xx, 4xx, 5xx, timeout. */
  readonly calls: readonly number[];
  /** Calls answered 2xx whose payload was invalid; counted in `calls[0]` (2xx) too. */
  readonly silentFailures: number;
  /**
   * Calls per latency bucket in LATENCY_BUCKETS order (le_25 … le_inf). All 0 when the poster sent no
   * latency; otherwise they add up to the calls with a response (or, after logs added to a posted minute
   * without latency, to fewer). The latency metric's denominator is this histogram's own total.
   */
  readonly latency: readonly number[];
}

/** An ApiMinute being summed into. */
export interface MutableApiMinute extends ApiMinute {
  readonly calls: number[];
  silentFailures: number;
  readonly latency: number[];
}

/** A zero minute of that API, ready to add into. */
export function emptyApiMinute(
  source: string,
  environment: string,
  api: string,
  minuteMs: number,
): MutableApiMinute {
  const calls = [0, 0, 0, 0, 0];
  const latency = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  return { source, environment, api, minuteMs, calls, silentFailures: 0, latency };
}

/** Adds the counts of `from` into `into` (the keys are the caller's business). */
export function addApiMinute(into: MutableApiMinute, from: ApiMinute): void {
  for (let i = 0; i < into.calls.length; i++) into.calls[i] = (into.calls[i] ?? 0) + (from.calls[i] ?? 0);
  into.silentFailures += from.silentFailures;
  for (let i = 0; i < into.latency.length; i++)
    into.latency[i] = (into.latency[i] ?? 0) + (from.latency[i] ?? 0);
}

/** All calls of the minute: the sum of every class. */
export function totalCalls(calls: readonly number[]): number {
  let total = 0;
  for (const count of calls) total += count;
  return total;
}

/** Calls that got an answer: every class but `timeout`. */
export function callsWithResponse(calls: readonly number[]): number {
  return totalCalls(calls) - (calls[TIMEOUT_INDEX] ?? 0);
}

/** The identity of a minute: (source, environment, api, minute), as one string for maps. */
export function apiMinuteKey(source: string, environment: string, api: string, minuteMs: number): string {
  return `${source}\u0000${environment}\u0000${api}\u0000${minuteMs}`;
}

/** Sorts minutes by minute, then source, environment and api (code-point order): the CSV's order. */
export function compareApiMinutes(a: ApiMinute, b: ApiMinute): number {
  return (
    a.minuteMs - b.minuteMs ||
    compareText(a.source, b.source) ||
    compareText(a.environment, b.environment) ||
    compareText(a.api, b.api)
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
