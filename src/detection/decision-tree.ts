import { DecisionTreeRegression } from 'ml-cart';
import { isWeekend } from './calendar.js';
import { logCountRatio, overdispersion } from './count-score.js';
import { withLostPostsOut } from './reporting-pace.js';
import type { DetectionSettings } from './settings.js';
import { median } from './stats.js';
import type {
  CalendarPosition,
  HistoryHour,
  Metric,
  RateExpectation,
  RateMetric,
  TrafficExpectation,
} from './types.js';

/** Training hours' worth by which the in-sample spread is widened: spread × (1 + this / training hours). */
const TREE_SPREAD_HOURS = 96;

const DAY_MS = 86_400_000;
/** Hours a tree needs to learn from: half a week of hours with traffic. */
const MIN_TRAINING_HOURS = 84;

/** A trained expected-rate (or expected-volume) tree and what it was trained on; `json` round-trips through MySQL. */
export interface TreeModel {
  readonly metric: Metric;
  /** Training window [trainedFrom, trainedUntil), epoch ms. */
  readonly trainedFrom: number;
  readonly trainedUntil: number;
  /** Hours learned from, and training rows after merging hours with identical features. */
  readonly samples: number;
  readonly rows: number;
  /** Extra-sampling variance σ² of hourly log counts (of the status, or of all traffic) around the prediction. */
  readonly spread: number;
  /** Median absolute training residual, as ln(observed / expected) count. */
  readonly error: number;
  /** The smallest expected rate used (half a transaction over the training window). */
  readonly floorRate: number;
  readonly json: Record<string, unknown>;
}

/** A TreeModel with its ml-cart tree loaded, ready to predict. */
export interface LoadedTree extends TreeModel {
  predict(features: number[]): number;
}

/**
 * Features: local hour, weekday, weekend flag, holiday flag, and for rate trees the volume (log₂ of
 * transactions per hour, rounded) — rates often move with load. Volume of sub-hour windows is scaled to an hour.
 */
export function treeFeatures(position: CalendarPosition, hourlyVolume: number | undefined): number[] {
  const base = [
    position.localHour,
    position.weekday,
    isWeekend(position.weekday) ? 1 : 0,
    position.holiday ? 1 : 0,
  ];
  return hourlyVolume === undefined ? base : [...base, Math.round(Math.log2(hourlyVolume + 1))];
}

/**
 * Trains the tree for `metric` on the `trainingDays` of history before `until`, leaving out hours that were
 * alerting on it. Hours with identical features are merged into one training row (pooled rate, or mean log
 * volume): the tree could not tell them apart anyway, and ml-cart's split search is quadratic in rows.
 * Returns undefined when there are too few hours to learn from.
 */
export function trainTree(
  metric: Metric,
  history: readonly HistoryHour[],
  until: number,
  settings: DetectionSettings,
): TreeModel | undefined {
  const from = until - settings.tree.trainingDays * DAY_MS;
  const hours = (metric === 'traffic' ? withLostPostsOut(history) : history).filter(
    (h) =>
      h.hourStart >= from &&
      h.hourStart < until &&
      !h.alerting.has(metric) &&
      (metric === 'traffic' || h.total > 0),
  );
  if (hours.filter((h) => h.total > 0).length < MIN_TRAINING_HOURS) return undefined;
  const isRate = metric !== 'traffic';
  const groups = new Map<
    string,
    { features: number[]; count: number; total: number; logSum: number; n: number }
  >();
  for (const hour of hours) {
    const features = treeFeatures(hour, isRate ? hour.total : undefined);
    const key = features.join(',');
    const group = groups.get(key) ?? { features, count: 0, total: 0, logSum: 0, n: 0 };
    if (isRate) group.count += hour[metric as RateMetric];
    group.total += hour.total;
    group.logSum += Math.log(hour.total + 1);
    group.n += 1;
    groups.set(key, group);
  }
  const rows = [...groups.values()];
  const tree = new DecisionTreeRegression({
    maxDepth: settings.tree.maxDepth,
    minNumSamples: settings.tree.minNumSamples,
  });
  tree.train(
    rows.map((r) => r.features),
    rows.map((r) => (isRate ? r.count / r.total : r.logSum / r.n)),
  );
  const predictions = tree.predict(hours.map((h) => treeFeatures(h, isRate ? h.total : undefined)));
  const totalTransactions = hours.reduce((sum, h) => sum + h.total, 0);
  const floorRate = 0.5 / (totalTransactions + 1);
  const pairs = hours.map((h, i) => {
    const prediction = predictions[i] as number;
    return isRate
      ? { observed: h[metric as RateMetric], expected: h.total * Math.max(prediction, floorRate) }
      : { observed: h.total, expected: Math.max(0, Math.exp(prediction) - 1) };
  });
  // Residuals of the hours the tree was fitted to understate its error on new hours, the more so the fewer
  // there were: widen by (1 + 96/hours), ×2.1 at the 84 hours a tree needs, ×1.14 at 28 days (src/detection/README.md).
  const spread = overdispersion(pairs) * (1 + TREE_SPREAD_HOURS / hours.length);
  return {
    metric,
    trainedFrom: from,
    trainedUntil: until,
    samples: hours.length,
    rows: rows.length,
    spread,
    error: median(pairs.map((p) => Math.abs(logCountRatio(p.observed, p.expected)))) ?? 0,
    floorRate,
    json: tree.toJSON(),
  };
}

/** Loads a stored model's tree so it can predict. */
export function loadTree(model: TreeModel): LoadedTree {
  const tree = DecisionTreeRegression.load(model.json);
  return { ...model, predict: (features) => tree.predict([features])[0] as number };
}

/** The tree's expectation of a rate metric: the rate it predicts for the window's volume, spread σ² from its training residuals. */
export function treeRateExpectation(tree: LoadedTree, position: CalendarPosition): RateExpectation {
  return {
    model: 'tree',
    expectedRate: (hourlyVolume) =>
      Math.min(Math.max(tree.predict(treeFeatures(position, hourlyVolume)), tree.floorRate), 1),
    logVariance: tree.spread,
  };
}

/** The volume feature's column in treeFeatures. */
const VOLUME_COLUMN = 4;

interface TreeNodeJson {
  readonly splitColumn?: number;
  readonly splitValue?: number;
  readonly left?: TreeNodeJson;
  readonly right?: TreeNodeJson;
  readonly distribution?: unknown;
}

/**
 * treeRateExpectation's rate as an exact step function of the volume feature (round(log₂(hourly volume + 1))),
 * for buckets 0 … `buckets` − 1: `[first bucket, rate]` pairs, the rate holding from that bucket to the next pair's.
 * Walks the tree once with the calendar features fixed, splitting the bucket range at every volume split —
 * what `expectedRate` would give bucket by bucket, without predicting 48 times.
 */
export function treeRateSteps(
  tree: LoadedTree,
  position: CalendarPosition,
  buckets: number,
): [number, number][] {
  const features = treeFeatures(position, 0);
  const root = (tree.json as { root?: TreeNodeJson }).root;
  const pieces: [number, number][] = [];
  const clamp = (value: number) => Math.min(Math.max(value, tree.floorRate), 1);
  const walk = (node: TreeNodeJson | undefined, from: number, to: number) => {
    if (from >= to || !node) return;
    if (!(node.left && node.right) || node.splitColumn === undefined || node.splitValue === undefined) {
      pieces.push([from, clamp(node.distribution as number)]);
      return;
    }
    if (node.splitColumn !== VOLUME_COLUMN) {
      walk((features[node.splitColumn] as number) < node.splitValue ? node.left : node.right, from, to);
      return;
    }
    // Buckets are whole numbers: those below the split value go left.
    const cut = Math.min(Math.max(Math.ceil(node.splitValue), from), to);
    walk(node.left, from, cut);
    walk(node.right, cut, to);
  };
  walk(root, 0, buckets);
  return pieces.filter((piece, i) => i === 0 || piece[1] !== (pieces[i - 1] as [number, number])[1]);
}

/** The tree's expectation of traffic: the hourly volume it predicts, spread σ² from its training residuals. */
export function treeTrafficExpectation(tree: LoadedTree, position: CalendarPosition): TrafficExpectation {
  const expectedHourly = Math.max(0, Math.exp(tree.predict(treeFeatures(position, undefined))) - 1);
  return { model: 'tree', expectedHourly, logVariance: tree.spread };
}
