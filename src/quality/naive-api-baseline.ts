import { LATENCY_BOUNDS_MS, latencyPercentile } from '../api-calls/latency.js';
import type { ApiMetric } from '../simulate/api-calls/types.js';
import { HOUR_MS } from '../simulate/types.js';
import type { ApiFinding } from './api-records.js';
import type { ApiHour, HourlyApiSeries } from './hourly-api-calls.js';

/** The rule of the alert manager our users came from (issue 13), per API and environment, hour by hour. */
export const NAIVE_API_BASELINE = {
  /** Latency: the hour's mean response time more than this many standard deviations of all past calls… */
  latencyZ: 3,
  /** Errors and silent failures: a share above this multiple of all past calls' share… */
  rateMultiple: 2,
  /** …or above this share, whatever the past. */
  rateCeiling: 0.05,
  /** Traffic: |z| of the hour's calls against all past hours. */
  trafficZ: 3,
  /** Hours of history a metric needs before it can alert. */
  minHistoryHours: 24,
  /** What a call in the `inf` bucket weighs in a mean: the histogram only says "over 10 s". */
  infBucketMs: 15_000,
} as const;

/** Bucket midpoints for means: 12.5 ms for the first bucket, 15 s for `inf`. */
const MIDPOINTS = [
  ...LATENCY_BOUNDS_MS.map((bound, i) => (bound + (i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] as number))) / 2),
  NAIVE_API_BASELINE.infBucketMs,
];

/**
 * The naive baseline's findings: per (source, environment, api) and UTC hour, after 24 hours of history —
 * latency: the hour's mean response time at z > 3 against the mean and standard deviation of all past
 * calls' response times, or above the p99 of all past calls; errors (5xx + timeouts) and silent failures:
 * the hour's share of calls above 2× all past calls' share, or above 5 %, however few the calls; traffic:
 * |z| ≥ 3 of the hour's calls against all past hours (an hour without rows is 0 calls). No time of day,
 * no weekdays, no counts: that is why it is the baseline. Findings span [hour, hour + 60 min).
 */
export function naiveApiBaselineFindings(
  series: readonly HourlyApiSeries[],
  lastHourMs: number,
): ApiFinding[] {
  const findings: ApiFinding[] = [];
  for (const s of series) {
    const judges = createJudges();
    const firstHourMs = Math.min(...s.hours.keys());
    for (let hourMs = firstHourMs; hourMs <= lastHourMs; hourMs += HOUR_MS) {
      const hour = s.hours.get(hourMs);
      for (const [metric, judge] of judges) {
        const verdict = judge(hour);
        if (!verdict) continue;
        const { source, environment, api } = s;
        findings.push({
          source,
          environment,
          api,
          metric,
          windowStartMs: hourMs,
          windowEndMs: hourMs + HOUR_MS,
          model: 'naive',
          ...verdict,
        });
      }
    }
  }
  return findings;
}

/** A judge sees each hour in turn (undefined: no rows), answers whether it alerts, then learns the hour. */
type Judge = (hour: ApiHour | undefined) => { observed: number; expected: number } | undefined;

function createJudges(): [ApiMetric, Judge][] {
  return [
    ['errors', shareJudge((hour) => hour.errors)],
    ['silent_failures', shareJudge((hour) => hour.silentFailures)],
    ['latency', latencyJudge()],
    ['traffic', trafficJudge()],
  ];
}

function shareJudge(numerator: (hour: ApiHour) => number): Judge {
  let pastCalls = 0;
  let pastCount = 0;
  let hours = 0;
  return (hour) => {
    if (!hour || hour.calls === 0) return undefined;
    const observed = numerator(hour) / hour.calls;
    const expected = pastCalls > 0 ? pastCount / pastCalls : 0;
    const alert =
      hours >= NAIVE_API_BASELINE.minHistoryHours &&
      (observed > NAIVE_API_BASELINE.rateMultiple * expected || observed > NAIVE_API_BASELINE.rateCeiling);
    pastCalls += hour.calls;
    pastCount += numerator(hour);
    hours += 1;
    return alert ? { observed, expected } : undefined;
  };
}

function latencyJudge(): Judge {
  const past = new Array<number>(MIDPOINTS.length).fill(0);
  let hours = 0;
  return (hour) => {
    const calls = hour ? hour.latency.reduce((a, b) => a + b, 0) : 0;
    if (!hour || calls === 0) return undefined;
    const observed = mean(hour.latency);
    const { mean: expected, sd } = meanAndSd(past);
    const p99 = latencyPercentile(past, 0.99);
    const alert =
      hours >= NAIVE_API_BASELINE.minHistoryHours &&
      ((sd > 0 && (observed - expected) / sd > NAIVE_API_BASELINE.latencyZ) ||
        (p99 !== null && observed > p99.ms));
    for (let i = 0; i < past.length; i++) past[i] = (past[i] ?? 0) + (hour.latency[i] ?? 0);
    hours += 1;
    return alert ? { observed, expected } : undefined;
  };
}

function trafficJudge(): Judge {
  let count = 0;
  let average = 0;
  let squares = 0;
  return (hour) => {
    const value = hour?.calls ?? 0;
    const sd = count > 1 ? Math.sqrt(squares / (count - 1)) : 0;
    const alert =
      count >= NAIVE_API_BASELINE.minHistoryHours &&
      sd > 0 &&
      Math.abs(value - average) / sd >= NAIVE_API_BASELINE.trafficZ;
    const expected = average;
    count += 1;
    const delta = value - average;
    average += delta / count;
    squares += delta * (value - average);
    return alert ? { observed: value, expected } : undefined;
  };
}

/** Mean response time of a histogram, each call at its bucket's midpoint. */
function mean(histogram: readonly number[]): number {
  return meanAndSd(histogram).mean;
}

function meanAndSd(histogram: readonly number[]): { mean: number; sd: number } {
  let n = 0;
  let sum = 0;
  let squares = 0;
  histogram.forEach((count, i) => {
    const x = MIDPOINTS[i] as number;
    n += count;
    sum += count * x;
    squares += count * x * x;
  });
  if (n === 0) return { mean: 0, sd: 0 };
  const average = sum / n;
  return {
    mean: average,
    sd: n > 1 ? Math.sqrt(Math.max(0, (squares - n * average * average) / (n - 1))) : 0,
  };
}
