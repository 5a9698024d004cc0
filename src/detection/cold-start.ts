import type { DetectionSettings } from './settings.js';
import { logBinomialUpperTail, zFromLogUpperTail } from './stats.js';
import type { ModelVerdict, RateMetric, WindowCounts } from './types.js';

/** Hours with traffic a young series needs before its own level can raise its ceiling. */
const OWN_LEVEL_HOURS = 6;
/** The share of the series' transactions so far whose hours' rate is at most its own level. */
const OWN_LEVEL_QUANTILE = 0.75;

/**
 * Protection for a series with too little history of its own: a rate metric alerts when it is surely above its
 * ceiling in a window with at least `coldStartMinTotal` transactions. The ceiling is the fixed one (by default
 * failed 5 %, denied 30 %, reversed 5 %) or, once the series has `OWN_LEVEL_HOURS` hours of traffic, its own level
 * when that is higher (ownLevel): a source whose failed rate has been 10 % since its first hour is paged for
 * it once, not every few hours of its first three days, and still paged when it doubles. Score = the exact
 * binomial tail P(X ≥ x | n, ceiling) as a z, so 6 of 100 failed (6 %, barely over 5 %) scores ≈ 0.3 and 20 of
 * 100 scores ≈ 5.2; window-verdict's bars (at least `minRateFactor`× the ceiling) apply as to any model.
 * Returns undefined when the metric has no ceiling or the window is too small to judge.
 */
export function coldStartVerdict(
  metric: RateMetric,
  window: WindowCounts,
  settings: DetectionSettings,
  history: readonly WindowCounts[] = [],
): ModelVerdict | undefined {
  const fixed = settings.coldStartCeilings[metric];
  if (fixed === undefined || window.total < settings.coldStartMinTotal) return undefined;
  const ceiling = Math.max(fixed, ownLevel(metric, history) ?? 0);
  const count = window[metric];
  const score =
    count / window.total <= ceiling
      ? 0
      : zFromLogUpperTail(logBinomialUpperTail(count, window.total, ceiling));
  return { model: 'absolute', direction: 'up', expected: ceiling, score };
}

/**
 * A young series' own level of a rate: the rate that the hours holding 75 % of its transactions so far stay at
 * or under (hours ordered by rate, weighted by their transactions, so a quiet hour's 1 of 3 weighs little).
 * An incident in a few of its first hours does not become its level; one that has filled a quarter of its
 * traffic has been paged already. Undefined with fewer than `OWN_LEVEL_HOURS` hours of traffic.
 */
export function ownLevel(metric: RateMetric, history: readonly WindowCounts[]): number | undefined {
  const hours = history.filter((h) => h.total > 0);
  if (hours.length < OWN_LEVEL_HOURS) return undefined;
  const byRate = hours
    .map((h) => ({ rate: h[metric] / h.total, total: h.total }))
    .sort((a, b) => a.rate - b.rate);
  const all = byRate.reduce((sum, h) => sum + h.total, 0);
  let seen = 0;
  for (const hour of byRate) {
    seen += hour.total;
    if (seen >= OWN_LEVEL_QUANTILE * all) return hour.rate;
  }
  return byRate[byRate.length - 1]?.rate;
}
