import type { SeverityRule } from './settings.js';
import type { Severity } from './types.js';

/**
 * The highest severity in `rules` whose minimum score and factor the finding reaches. `factor` is how many
 * times off the metric is: observed / expected for rises, expected / observed for traffic drops.
 * The last rule should have zero minimums so every finding gets a severity.
 */
export function severityOf(score: number, factor: number, rules: readonly SeverityRule[]): Severity {
  const rule = rules.find((r) => score >= r.minScore && factor >= r.minFactor);
  return rule?.severity ?? 'low';
}

/** How many times off an observation is, in the alerting direction (at least 1; Infinity for 0 → anything). */
export function deviationFactor(observed: number, expected: number, direction: 'up' | 'down'): number {
  const [high, low] = direction === 'up' ? [observed, expected] : [expected, observed];
  if (low <= 0) return high > 0 ? Number.POSITIVE_INFINITY : 1;
  return Math.max(1, high / low);
}
