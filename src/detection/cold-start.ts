import type { DetectionSettings } from './settings.js';
import { logBinomialUpperTail, zFromLogUpperTail } from './stats.js';
import type { ModelVerdict, RateMetric, WindowCounts } from './types.js';

/**
 * Protection for a series with too little history of its own: a rate metric alerts when it is surely above a
 * fixed ceiling (by default failed 5 %, denied 30 %, reversed 5 %) in a window with at least
 * `coldStartMinTotal` transactions. Score = the exact binomial tail P(X ≥ x | n, ceiling) as a z, so 6 of 100
 * failed (6 %, barely over 5 %) scores ≈ 0.3 and 20 of 100 scores ≈ 5.2.
 * Returns undefined when the metric has no ceiling or the window is too small to judge.
 */
export function coldStartVerdict(
  metric: RateMetric,
  window: WindowCounts,
  settings: DetectionSettings,
): ModelVerdict | undefined {
  const ceiling = settings.coldStartCeilings[metric];
  if (ceiling === undefined || window.total < settings.coldStartMinTotal) return undefined;
  const count = window[metric];
  const score =
    count / window.total <= ceiling
      ? 0
      : zFromLogUpperTail(logBinomialUpperTail(count, window.total, ceiling));
  return { model: 'absolute', direction: 'up', expected: ceiling, score };
}
