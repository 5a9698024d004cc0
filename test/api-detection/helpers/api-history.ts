import type { ApiCounts } from '../../../src/api-detection/api-counts.js';
import { type ApiHistoryHour, apiHistoryHour } from '../../../src/api-detection/api-history.js';
import type { ApiDetectionSettings } from '../../../src/api-detection/api-settings.js';
import { loadApiTrees, trainApiTrees } from '../../../src/api-detection/api-trees.js';
import type { ApiHourInput } from '../../../src/api-detection/evaluate-api-hour.js';
import type { ApiMetric } from '../../../src/detection/api-finding.js';
import { createCalendar } from '../../../src/detection/calendar.js';
import { poisson, random } from '../../detection/helpers/history.js';

export const HOUR_MS = 3_600_000;
/** A Monday, 00:00 UTC: hour 0 of every history built here. */
export const START = Date.parse('2026-01-05T00:00:00Z');
const calendar = createCalendar('UTC');

/** What a synthetic API does at each local hour: calls per hour, class shares and latency bucket shares. */
export interface ApiShape {
  readonly calls: (localHour: number) => number;
  readonly share5xx?: number;
  readonly shareTimeout?: number;
  readonly share4xx?: number;
  /** Of the 2xx. */
  readonly shareSilent?: number;
  /** Shares of the ten latency buckets (le_25 … le_inf), adding up to 1. */
  readonly latency?: readonly number[];
}

/** Mostly 50–250 ms, p99 under 500 ms: 0.5 % of calls between 500 ms and 1 s, none slower. */
export const NORMAL_LATENCY = [0, 0.1, 0.5, 0.3, 0.095, 0.005, 0, 0, 0, 0];
/** A pause: most calls of a few minutes take 0.5–2.5 s. */
export const PAUSED_LATENCY = [0, 0, 0.1, 0.1, 0.1, 0.4, 0.3, 0, 0, 0];
/** Normal latency with `share` of the calls in a pause (PAUSED_LATENCY): a blip's minutes diluted in a block. */
export function pausedLatency(share: number): number[] {
  return NORMAL_LATENCY.map((x, i) => x * (1 - share) + (PAUSED_LATENCY[i] ?? 0) * share);
}

/** The same API three buckets slower at the top: 8 % of calls 0.5–2.5 s. */
export const SLOW_LATENCY = [0, 0.1, 0.45, 0.25, 0.12, 0.05, 0.03, 0, 0, 0];

/** One window's counts drawn from the shape (`fraction` of an hour at `localHour`); `exact` skips the noise. */
export function drawApiCounts(
  shape: ApiShape,
  localHour: number,
  next: () => number,
  fraction = 1,
  exact = false,
): ApiCounts {
  const count = (mean: number) => (exact ? Math.round(mean) : poisson(mean, next));
  const calls = count(shape.calls(localHour) * fraction);
  const c5xx = Math.min(calls, count(calls * (shape.share5xx ?? 0.002)));
  const timeout = Math.min(calls - c5xx, count(calls * (shape.shareTimeout ?? 0)));
  const c4xx = Math.min(calls - c5xx - timeout, count(calls * (shape.share4xx ?? 0.02)));
  const c2xx = calls - c5xx - timeout - c4xx;
  const silent = Math.min(c2xx, count(c2xx * (shape.shareSilent ?? 0.001)));
  const responses = calls - timeout;
  const shares = shape.latency ?? NORMAL_LATENCY;
  const latency = shares.map((share) => count(responses * share));
  // The histogram adds up to the calls with a response: the most common bucket takes the rounding.
  const main = shares.indexOf(Math.max(...shares));
  latency[main] = Math.max(0, (latency[main] ?? 0) + responses - latency.reduce((a, b) => a + b, 0));
  return {
    minutes: calls > 0 ? 60 * Math.min(1, fraction) : 0,
    calls: [c2xx, 0, c4xx, c5xx, timeout],
    silentFailures: silent,
    latency,
  };
}

/** `days` days of an API's hourly history from START, oldest first. */
export function buildApiHistory(
  shape: ApiShape,
  days: number,
  seed = 1,
  alerting: ReadonlyMap<number, ReadonlySet<ApiMetric>> = new Map(),
): ApiHistoryHour[] {
  const next = random(seed);
  return Array.from({ length: days * 24 }, (_, i) => {
    const hourStart = START + i * HOUR_MS;
    const { localHour } = calendar.position(hourStart);
    return apiHistoryHour(
      hourStart,
      drawApiCounts(shape, localHour, next),
      calendar,
      alerting.get(hourStart),
    );
  });
}

/** The hour after `history`, drawn from `shape` in six 10-minute blocks. */
export function nextApiHour(
  history: readonly ApiHistoryHour[],
  shape: ApiShape | ((block: number) => ApiShape),
  seed = 99,
  api = 'POST /v1/payments',
): ApiHourInput {
  const hourStart = (history[history.length - 1]?.hourStart ?? START - HOUR_MS) + HOUR_MS;
  const position = calendar.position(hourStart);
  const next = random(seed);
  const shapeOf = typeof shape === 'function' ? shape : () => shape;
  const blocks = Array.from({ length: 6 }, (_, i) =>
    drawApiCounts(shapeOf(i), position.localHour, next, 1 / 6),
  );
  const counts = sumBlocks(blocks);
  return {
    source: 'checkout-api',
    environment: 'production',
    api,
    hourStart,
    evaluatedAt: hourStart + HOUR_MS + 2 * 60_000,
    counts,
    blocks,
    position,
  };
}

function sumBlocks(blocks: readonly ApiCounts[]): ApiCounts {
  const add = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x + (b[i] ?? 0));
  return blocks.reduce((sum, b) => ({
    minutes: sum.minutes + b.minutes,
    calls: add(sum.calls, b.calls),
    silentFailures: sum.silentFailures + b.silentFailures,
    latency: add(sum.latency, b.latency),
  }));
}

/** A payments API: 3,000 calls an hour by day, 60 at night; 0.2 % 5xx, 2 % 4xx, p99 under 500 ms. */
export const paymentsCalls = (localHour: number) => (localHour >= 7 && localHour < 22 ? 3_000 : 60);

/** 28 days of the payments API, the end of its history, and its trees trained there under `settings`. */
export function paymentsApi(settings: ApiDetectionSettings) {
  const history = buildApiHistory({ calls: paymentsCalls }, 28);
  const until = (history[history.length - 1]?.hourStart ?? 0) + HOUR_MS;
  return { history, until, trees: loadApiTrees(trainApiTrees(history, until, settings)) };
}

/** The history up to (not including) the next `localHour` in its last day. */
export function untilLocalHour(hours: readonly ApiHistoryHour[], localHour: number): ApiHistoryHour[] {
  return hours.slice(0, hours.length - 24 + localHour);
}

/** The drawn histogram, trimmed from its fullest buckets where rounding made it exceed the calls answered. */
export function fitted(latency: readonly number[], responses: number): number[] {
  const buckets = [...latency];
  let excess = buckets.reduce((a, b) => a + b, 0) - responses;
  while (excess > 0) {
    const fullest = buckets.indexOf(Math.max(...buckets));
    buckets[fullest] = (buckets[fullest] as number) - 1;
    excess--;
  }
  return buckets;
}
