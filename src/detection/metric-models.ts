import type { MetricModels } from './candidate.js';
import { type LoadedTree, treeRateExpectation, treeTrafficExpectation } from './decision-tree.js';
import { rateZScore } from './rate-zscore.js';
import type { DetectionSettings } from './settings.js';
import { trafficZScore } from './traffic-zscore.js';
import type { CalendarPosition, HistoryHour, Metric, RateExpectation, TrafficExpectation } from './types.js';

/**
 * What each model expects of `metric` at `position`, given the history before it: the z-score model (once it
 * has enough comparable hours) and the tree (once trained). Empty when neither can judge yet.
 */
export function metricModels(
  metric: Metric,
  position: CalendarPosition,
  history: readonly HistoryHour[],
  tree: LoadedTree | undefined,
  settings: DetectionSettings,
): MetricModels {
  if (metric === 'traffic') {
    const models = [trafficZScore(position, history), tree && treeTrafficExpectation(tree, position)];
    return models
      .filter((m): m is TrafficExpectation => m !== undefined)
      .map((m) => ({ kind: 'traffic', ...m }));
  }
  const models = [
    rateZScore(metric, position, history, settings),
    tree && treeRateExpectation(tree, position),
  ];
  return models
    .filter((m): m is RateExpectation => m !== undefined)
    .map((m) => ({ kind: 'rate', metric, ...m }));
}
