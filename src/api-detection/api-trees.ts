import { mergeHistograms } from '../api-calls/latency.js';
import { normalP99Bound } from '../api-calls/normal-p99-bound.js';
import type { ApiMetric } from '../detection/api-finding.js';
import { type LoadedTree, loadTree, type TreeModel, trainTree } from '../detection/decision-tree.js';
import type { Metric } from '../detection/types.js';
import type { ApiHistoryHour } from './api-history.js';
import type { ApiDetectionSettings } from './api-settings.js';
import { callsHistoryHour, coreSlotOf, latencyHistoryHour } from './core-adapter.js';
import { latencyCalls } from './latency-bound.js';

const DAY_MS = 86_400_000;

/**
 * A trained tree of one API metric, as the live job stores it (`model.json` round-trips through JSON; the
 * model's own `metric` is the core slot it was trained on — see core-adapter.ts). A latency tree also keeps
 * the bound its slow calls were counted against: it judges only hours whose normal p99 bound is the same.
 */
export interface ApiTreeModel {
  readonly metric: ApiMetric;
  readonly boundMs?: number;
  readonly model: TreeModel;
}

export interface LoadedApiTree {
  readonly metric: ApiMetric;
  readonly boundMs?: number;
  readonly tree: LoadedTree;
}

/** An API's loaded trees by metric. */
export type ApiTrees = Partial<Record<ApiMetric, LoadedApiTree>>;

/**
 * Trains the trees of one API on the `tree.trainingDays` before `until` (as `trainTree` does for payments,
 * through the adapter): errors, silent failures, traffic, client errors when judged, and latency — its slow
 * calls counted against the normal p99 bound of the whole training window (hours alerting on latency left
 * out). Metrics with too little history get no tree.
 */
export function trainApiTrees(
  history: readonly ApiHistoryHour[],
  until: number,
  settings: ApiDetectionSettings,
): ApiTreeModel[] {
  const models: ApiTreeModel[] = [];
  const calls = history.map(callsHistoryHour);
  const metrics: ApiMetric[] = ['errors', 'silent_failures', 'traffic'];
  if (settings.judge4xx) metrics.push('client_errors');
  for (const metric of metrics) {
    const model = trainTree(coreSlotOf(metric).slot, calls, until, settings);
    if (model) models.push({ metric, model });
  }
  const from = until - settings.tree.trainingDays * DAY_MS;
  const training = history.filter(
    (h) => h.hourStart >= from && h.hourStart < until && !h.alerting.has('latency') && latencyCalls(h) > 0,
  );
  const bound = normalP99Bound(mergeHistograms(training.map((h) => h.latency)));
  if (bound.kind === 'bound') {
    const latency = history.map((h) => latencyHistoryHour(h, bound.boundMs));
    const model = trainTree('failed', latency, until, settings);
    if (model) models.push({ metric: 'latency', boundMs: bound.boundMs, model });
  }
  return models;
}

/** Loads stored API trees, ready to predict. */
export function loadApiTrees(models: readonly ApiTreeModel[]): ApiTrees {
  const trees: ApiTrees = {};
  for (const { metric, boundMs, model } of models) {
    trees[metric] =
      boundMs === undefined ? { metric, tree: loadTree(model) } : { metric, boundMs, tree: loadTree(model) };
  }
  return trees;
}

/** The trees the calls pass judges with, by core slot (`client_errors` only when the source judges 4xx). */
export function callsPassTrees(
  trees: ApiTrees,
  settings: ApiDetectionSettings,
): Partial<Record<Metric, LoadedTree>> {
  const core: Partial<Record<Metric, LoadedTree>> = {};
  if (trees.errors) core.failed = trees.errors.tree;
  if (trees.silent_failures) core.denied = trees.silent_failures.tree;
  if (trees.client_errors && settings.judge4xx) core.reversed = trees.client_errors.tree;
  if (trees.traffic) core.traffic = trees.traffic.tree;
  return core;
}
