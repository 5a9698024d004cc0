import { HOUR_MS, METRICS, type Metric } from '../simulate/types.js';
import type { HourCounts, HourlySeries } from './hourly-counts.js';
import type { Finding } from './records.js';

/** The naive baseline's settings: the "z ≥ 3 against all past hours". */
export const NAIVE_BASELINE = {
  /** Alert threshold on z (rates: z ≥ 3; traffic: |z| ≥ 3, so outages count too). */
  threshold: 3,
  /** Hours of history a series+metric needs before it can alert. */
  minHistoryHours: 24,
} as const;

/**
 * The naive baseline the issue names: per series and metric, the hour's value (a bad status's rate, or
 * the total volume for traffic) against the mean and standard deviation of all the series' past hours.
 * Every hour from the series' first reported hour to `lastHourMs` counts; an hour with no rows is
 * traffic 0 and has no rates. Findings span [hour, hour + 60 min).
 */
export function naiveBaselineFindings(series: readonly HourlySeries[], lastHourMs: number): Finding[] {
  const findings: Finding[] = [];
  for (const s of series) {
    const firstHourMs = Math.min(...s.hours.keys());
    for (const metric of METRICS) {
      const history = createRunningStats();
      for (let hourMs = firstHourMs; hourMs <= lastHourMs; hourMs += HOUR_MS) {
        const value = hourValue(metric, s.hours.get(hourMs));
        if (value === undefined) continue;
        if (isAlert(metric, value, history)) findings.push(finding(s, metric, hourMs));
        history.add(value);
      }
    }
  }
  return findings;
}

function hourValue(metric: Metric, hour: HourCounts | undefined): number | undefined {
  if (metric === 'traffic') return hour?.total ?? 0;
  if (!hour || hour.total === 0) return undefined;
  return hour[metric] / hour.total;
}

function isAlert(metric: Metric, value: number, history: RunningStats): boolean {
  if (history.count < NAIVE_BASELINE.minHistoryHours) return false;
  const sd = history.standardDeviation();
  if (sd === 0) return false;
  const z = (value - history.mean) / sd;
  return (metric === 'traffic' ? Math.abs(z) : z) >= NAIVE_BASELINE.threshold;
}

function finding(series: HourlySeries, metric: Metric, hourMs: number): Finding {
  const { source, environment } = series;
  return { source, environment, metric, windowStartMs: hourMs, windowEndMs: hourMs + HOUR_MS };
}

interface RunningStats {
  readonly count: number;
  readonly mean: number;
  add(value: number): void;
  /** Sample standard deviation (n − 1). */
  standardDeviation(): number;
}

/** Welford's running mean and variance. */
function createRunningStats(): RunningStats {
  let count = 0;
  let mean = 0;
  let squares = 0;
  return {
    get count() {
      return count;
    },
    get mean() {
      return mean;
    },
    add(value) {
      count += 1;
      const delta = value - mean;
      mean += delta / count;
      squares += delta * (value - mean);
    },
    standardDeviation: () => (count > 1 ? Math.sqrt(squares / (count - 1)) : 0),
  };
}
