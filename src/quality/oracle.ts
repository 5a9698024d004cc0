import { windowPenaltyShape } from '../detection/candidate-windows.js';
import { scoreCount } from '../detection/count-score.js';
import { DEFAULT_DETECTION, type DetectionSettings } from '../detection/settings.js';
import { RATE_METRICS, type RateMetric } from '../detection/types.js';
import { matters } from '../detection/window-rules.js';
import { shareScale } from '../simulate/generate-counts.js';
import { createSeriesModel, type SeriesModel } from '../simulate/series-model.js';
import type { Simulation } from '../simulate/simulation.js';
import { type Metric, MINUTE_MS, OTHER_STATUSES } from '../simulate/types.js';
import type { Finding } from './records.js';

/** Trailing windows (minutes) the oracle judges at a tick: up to the hour for every metric, 2–3 hours for rates. */
const SPAN_WINDOWS = [10, 20, 30, 40, 50, 60] as const;
const MULTI_HOUR_WINDOWS = [120, 180] as const;
const MINUTES_PER_HOUR = 60;
/** Where each rate metric's status sits among OTHER_STATUSES (the simulator's shares; counts hold approved first). */
const STATUS_INDEX = Object.fromEntries(RATE_METRICS.map((m) => [m, OTHER_STATUSES.indexOf(m)])) as Record<
  RateMetric,
  number
>;

/**
 * The oracle: what the simulated data allows a detector at ratewatch's cadence and bars. It knows what ratewatch
 * has to learn — each series' true expected minute (the simulator's own seasonal cycle, weekly cycle, growth,
 * day level and share drift) and its true hour-to-hour noise (σ of a rate's hourly factor, of the hourly volume)
 * — and judges it the way ratewatch judges ticks:
 * - every `tickMinutes`, the trailing windows of 10–60 minutes (rates from `shortestWindowMinutes`, traffic drops
 *   from `shortestDropWindowMinutes`) and, for rates, of 2–3 hours, each scored with `scoreCount` against the
 *   true expectation and the noise of the clock hours it covers (σ² weighted by expected count², since the
 *   simulator's hours are independent), at `threshold` + the window's penalty;
 * - a finding must matter by the core's own rule (`matters`: rates ×`minRateFactor`, `minRateRise` and
 *   `minExcessTransactions` an hour; drops below ×`trafficDropFactor`, surges over ×`spanSurgeFactor` —
 *   ×`trafficSurgeFactor` for a whole clock hour — by `minTrafficExcess` an hour);
 * - a series that posts every minute and has posted nothing for `silenceMinutes` is judged by silence: zero
 *   against the true expectation of the silent minutes. Otherwise a missing minute of such a series is unknown.
 * Not copied: the sustained and still-there checks, the tick's shorter-window bars and the first week's
 * provisional bars (the oracle needs no history). One finding per tick and metric at most: the strongest window.
 * Its figures next to ratewatch's say how much of the time to detect is the data's, and how much the models'.
 */
export function oracleFindings(
  simulation: Simulation,
  tickMinutes: number,
  settings: DetectionSettings = DEFAULT_DETECTION,
): Finding[] {
  const { startMs, days } = simulation.options;
  const minutes = days * 24 * MINUTES_PER_HOUR;
  const observed = observedMinutes(simulation, minutes);
  const findings: Finding[] = [];
  simulation.series.forEach((profile, i) => {
    const model = createSeriesModel(profile, simulation.options);
    const series: OracleSeries = {
      source: profile.source,
      environment: profile.environment,
      postsEveryMinute: profile.postsWhenIdle,
      rateLogVariance: profile.rateSigma ** 2,
      volumeLogVariance: profile.hourVolumeSigma ** 2,
      expected: expectedMinutes(model, startMs, minutes),
      hourPhase: (startMs / MINUTE_MS) % MINUTES_PER_HOUR,
      observed: observed[i] as ObservedSeries,
    };
    findings.push(...judgeSeries(series, startMs, tickMinutes, settings));
  });
  return findings;
}

/** Per minute of one series: what was reported (counts, and whether a row came at all). */
interface ObservedSeries {
  readonly total: Float64Array;
  readonly rates: Record<RateMetric, Float64Array>;
  readonly reported: Uint8Array;
}

/** Per minute of one series: the true expected volume and share of each rate metric. */
interface ExpectedSeries {
  readonly volume: Float64Array;
  readonly shares: Record<RateMetric, Float64Array>;
}

interface OracleSeries {
  readonly source: string;
  readonly environment: string;
  readonly postsEveryMinute: boolean;
  readonly rateLogVariance: number;
  readonly volumeLogVariance: number;
  readonly expected: ExpectedSeries;
  readonly observed: ObservedSeries;
  /** Minutes past the clock hour of minute 0 (a simulation may start at any minute). */
  readonly hourPhase: number;
}

function observedMinutes(simulation: Simulation, minutes: number): ObservedSeries[] {
  const index = new Map(simulation.series.map((p, i) => [`${p.source}\u0000${p.environment}`, i]));
  const series = simulation.series.map(
    (): ObservedSeries => ({
      total: new Float64Array(minutes),
      rates: rateArrays(minutes),
      reported: new Uint8Array(minutes),
    }),
  );
  for (const row of simulation.rows()) {
    const s = series[index.get(`${row.source}\u0000${row.environment}`) ?? -1];
    if (!s) continue;
    const m = (row.minuteMs - simulation.options.startMs) / MINUTE_MS;
    s.total[m] = row.counts.reduce((a, b) => a + b, 0);
    for (const metric of RATE_METRICS) s.rates[metric][m] = row.counts[1 + STATUS_INDEX[metric]] ?? 0;
    s.reported[m] = 1;
  }
  return series;
}

function expectedMinutes(model: SeriesModel, startMs: number, minutes: number): ExpectedSeries {
  const volume = new Float64Array(minutes);
  const shares = rateArrays(minutes);
  const scratch = new Float64Array(OTHER_STATUSES.length);
  for (let m = 0; m < minutes; m++) {
    volume[m] = model.expectedMinute(startMs + m * MINUTE_MS, scratch);
    const scale = shareScale(scratch);
    for (const metric of RATE_METRICS) shares[metric][m] = (scratch[STATUS_INDEX[metric]] ?? 0) * scale;
  }
  return { volume, shares };
}

function rateArrays(minutes: number): Record<RateMetric, Float64Array> {
  return {
    failed: new Float64Array(minutes),
    denied: new Float64Array(minutes),
    reversed: new Float64Array(minutes),
  };
}

/** A window's observed count, its true expectation, and its log-variance from the clock hours it covers. */
interface WindowSums {
  readonly observed: number;
  readonly expected: number;
  /** Transactions in the window's reported minutes (what a rate is a share of). */
  readonly transactions: number;
  readonly logVariance: number;
}

function judgeSeries(
  series: OracleSeries,
  startMs: number,
  tickMinutes: number,
  settings: DetectionSettings,
): Finding[] {
  const minutes = series.expected.volume.length;
  const findings: Finding[] = [];
  const finding = (metric: Metric, from: number, to: number): Finding => ({
    source: series.source,
    environment: series.environment,
    metric,
    windowStartMs: startMs + from * MINUTE_MS,
    windowEndMs: startMs + to * MINUTE_MS,
  });
  // Ticks fall on the clock's multiples of tickMinutes, as live.
  for (let at = tickMinutes - (series.hourPhase % tickMinutes); at <= minutes; at += tickMinutes) {
    const silent = silentMinutes(series, at);
    if (silent >= settings.silenceMinutes) {
      const sums = windowSums(series, 'traffic', at - silent, at, true);
      const score = scoreCount(0, sums.expected, sums.logVariance, 'down');
      if (score >= settings.threshold && sums.expected >= settings.minTrafficExcess) {
        findings.push(finding('traffic', at - silent, at));
        continue;
      }
    }
    for (const metric of [...RATE_METRICS, 'traffic'] as const) {
      const best = strongestWindow(series, metric, at, settings);
      if (best) findings.push(finding(metric, at - best, at));
    }
  }
  return findings;
}

/** The length of the strongest window of `metric` ending at `at` that fires, or undefined. */
function strongestWindow(
  series: OracleSeries,
  metric: Metric,
  at: number,
  settings: DetectionSettings,
): number | undefined {
  const lengths = metric === 'traffic' ? SPAN_WINDOWS : [...SPAN_WINDOWS, ...MULTI_HOUR_WINDOWS];
  let best: { length: number; margin: number } | undefined;
  for (const length of lengths) {
    if (length > at) continue;
    const sums = windowSums(series, metric, at - length, at, false);
    if (sums.expected <= 0) continue;
    const direction = sums.observed >= sums.expected ? 'up' : 'down';
    if (metric !== 'traffic' && direction === 'down') continue;
    const shortest =
      metric === 'traffic' && direction === 'down'
        ? settings.shortestDropWindowMinutes
        : settings.shortestWindowMinutes;
    if (length < shortest) continue;
    // A whole clock hour is the hourly run's window; any other is a span, whose surges must reach spanSurgeFactor.
    const clockHour = length === MINUTES_PER_HOUR && (at + series.hourPhase) % MINUTES_PER_HOUR === 0;
    const bars = clockHour
      ? settings
      : { ...settings, trafficSurgeFactor: Math.max(settings.trafficSurgeFactor, settings.spanSurgeFactor) };
    const excessPerHour = (sums.observed - sums.expected) / Math.max(1, length / MINUTES_PER_HOUR);
    // The core's rule reads rates as rates: both counts over the window's transactions.
    const per = metric === 'traffic' ? 1 : sums.transactions;
    if (!matters(metric, direction, sums.observed / per, sums.expected / per, excessPerHour, bars)) continue;
    const penalty =
      length > MINUTES_PER_HOUR
        ? settings.multiHourPenalty
        : settings.spanPenalty * windowPenaltyShape(length / 10);
    const margin = scoreCount(sums.observed, sums.expected, sums.logVariance, direction) - penalty;
    if (margin >= settings.threshold && (!best || margin > best.margin)) best = { length, margin };
  }
  return best?.length;
}

/**
 * Sums over minutes [from, to): observed and expected counts of the metric (rates: expected = reported
 * transactions × true share) and σ² = Σ over clock hours (expected in that hour)² σ² / (expected)². A minute
 * of an every-minute poster without a row is unknown and left out, unless `silence` counts it as zero.
 */
function windowSums(
  series: OracleSeries,
  metric: Metric,
  from: number,
  to: number,
  silence: boolean,
): WindowSums {
  const { expected, observed } = series;
  let x = 0;
  let e = 0;
  let transactions = 0;
  let squares = 0;
  let hourExpected = 0;
  for (let m = from; m < to; m++) {
    if (m > from && (m + series.hourPhase) % MINUTES_PER_HOUR === 0) {
      squares += hourExpected * hourExpected;
      hourExpected = 0;
    }
    if (series.postsEveryMinute && !observed.reported[m] && !silence) continue;
    const minuteExpected =
      metric === 'traffic'
        ? (expected.volume[m] ?? 0)
        : (observed.total[m] ?? 0) * (expected.shares[metric][m] ?? 0);
    x += metric === 'traffic' ? (observed.total[m] ?? 0) : (observed.rates[metric][m] ?? 0);
    transactions += observed.total[m] ?? 0;
    e += minuteExpected;
    hourExpected += minuteExpected;
  }
  squares += hourExpected * hourExpected;
  const sigma2 = metric === 'traffic' ? series.volumeLogVariance : series.rateLogVariance;
  return {
    observed: x,
    expected: e,
    transactions,
    logVariance: e > 0 ? (sigma2 * squares) / (e * e) : sigma2,
  };
}

/** Minutes without a row right before `at`, for a series that posts every minute (0 otherwise). */
function silentMinutes(series: OracleSeries, at: number): number {
  if (!series.postsEveryMinute) return 0;
  let m = at - 1;
  while (m >= 0 && !series.observed.reported[m]) m--;
  return at - 1 - m;
}
