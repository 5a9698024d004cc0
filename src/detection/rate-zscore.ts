import { comparableRateHours } from './comparable-hours.js';
import { overdispersion } from './count-score.js';
import type { DetectionSettings } from './settings.js';
import type { CalendarPosition, HistoryHour, RateExpectation, RateMetric } from './types.js';

/** Transactions' worth of weight the series' overall rate gets when shrinking a thin comparable-hours estimate. */
const PRIOR_TRANSACTIONS = 200;
/**
 * Comparable hours' worth by which the measured spread is widened: σ² × (1 + 12/k). With 4 (×1.44 at k = 9) a
 * series' first week after cold start paged over twice as many false episodes a day as later weeks; with 12 and
 * the tree's widening the gap halved (src/detection/README.md, "Young models").
 */
const SPREAD_SAMPLES = 12;

/**
 * The z-score model for a rate metric: compares the window's rate with the same metric at comparable hours
 * of the source's own history (same local hour ±1).
 *
 * Expected rate p = the comparable hours' pooled rate (Σ status / Σ transactions: the maximum-likelihood rate of
 * counts; a median of hourly rates would sit below the mean — at 0 when an hour holds under one failure, and
 * below it whenever hour-to-hour wander is skewed), shrunk towards the series' overall rate by 200
 * transactions' worth: p = (x + 200·overall) / (n + 200). Never below half a transaction over the whole history,
 * so a source that never failed does not make one failure infinitely surprising.
 * Spread σ² = overdispersion of the comparable hours' log rates around p, widened by (1 + 12/k) for the
 * uncertainty of an estimate from k samples. Windows are then scored with scoreCount(x, n·p, σ², 'up').
 * Returns undefined when fewer than `minComparableHours` comparable hours carry traffic.
 */
export function rateZScore(
  metric: RateMetric,
  position: CalendarPosition,
  history: readonly HistoryHour[],
  settings: DetectionSettings,
): RateExpectation | undefined {
  const samples = comparableRateHours(history, position, metric);
  if (samples.length < settings.minComparableHours) return undefined;
  const expected = expectedRate(metric, samples, history);
  const variance = overdispersion(
    samples.map((h) => ({ observed: h[metric], expected: h.total * expected })),
  );
  // A spread measured on few hours is itself uncertain: widen it while k is small (×2.33 at k = 9, ×1.14 at 84).
  const widened = variance * (1 + SPREAD_SAMPLES / samples.length);
  return { model: 'zscore', expectedRate: () => expected, logVariance: widened };
}

function expectedRate(
  metric: RateMetric,
  samples: readonly HistoryHour[],
  history: readonly HistoryHour[],
): number {
  // The samples are already chosen (alerting hours out, unless they became the new normal); the rest of the
  // history is not: leave its alerting hours out here.
  const [count, total] = pooled(metric, samples, false);
  const [overallCount, overallTotal] = pooled(metric, history, true);
  const overall = overallTotal > 0 ? overallCount / overallTotal : count / Math.max(total, 1);
  // (count + 200·overall) / (total + 200): the comparable hours' pooled rate, shrunk towards the overall rate.
  const shrunk = (count + overall * PRIOR_TRANSACTIONS) / (total + PRIOR_TRANSACTIONS);
  return Math.max(shrunk, 0.5 / (overallTotal + 1));
}

/** Transactions of the status, and in all, over the hours (those that alerted on the metric left out if asked). */
function pooled(metric: RateMetric, hours: readonly HistoryHour[], skipAlerting: boolean): [number, number] {
  let count = 0;
  let total = 0;
  for (const hour of hours) {
    if (skipAlerting && hour.alerting.has(metric)) continue;
    count += hour[metric];
    total += hour.total;
  }
  return [count, total];
}
