import type { LatencyPercentiles } from '../detection/api-finding.js';
import type { LoadedTree } from '../detection/decision-tree.js';
import type { DetectionSettings } from '../detection/settings.js';
import type { CalendarPosition, HistoryHour, WindowCounts } from '../detection/types.js';
import type { ApiCounts } from './api-counts.js';
import type { ApiHistoryHour } from './api-history.js';
import type { ApiDetectionSettings } from './api-settings.js';
import type { ApiTrees } from './api-trees.js';
import { coreSettings, latencyHistoryHour, latencyWindowCounts } from './core-adapter.js';
import { latencyNormal, percentilesOf, slowerThanBound } from './latency-bound.js';

/**
 * What the latency pass of an established API judges an hour with: the hour's normal p99 bound, the history
 * counted against it, the latency tree when it was trained on the same bound, and the core settings.
 */
export interface LatencyPass {
  /** The bucket bound the metric counts calls slower than (latencyNormal of the hour). */
  readonly boundMs: number;
  /** p50/p95/p99 of the comparable hours the bound came from (the findings' `latency.normal`). */
  readonly normal: LatencyPercentiles | null;
  /** The history as the latency pass sees it (slow calls against `boundMs` out of the histogram's calls). */
  readonly history: readonly HistoryHour[];
  /** The latency tree, when it was trained on the same bound; otherwise the z-score judges alone. */
  readonly tree: LoadedTree | undefined;
  readonly settings: DetectionSettings;
  /** A window's counts as this pass sees them. */
  readonly windowCounts: (counts: ApiCounts) => WindowCounts;
}

/**
 * The latency pass of the hour at `hourStart` (the same for the hourly run and the band of its ticks), or
 * undefined while the API has no normal p99 yet — under `minHistoryHours` hours with latency data, or too few
 * comparable calls (latencyNormal) — when only the cold-start SLO can judge latency.
 */
export function latencyPassOf(
  history: readonly ApiHistoryHour[],
  hourStart: number,
  position: CalendarPosition,
  trees: ApiTrees,
  settings: ApiDetectionSettings,
): LatencyPass | undefined {
  const normal = latencyNormal(history, hourStart, position, settings.historyDays);
  if (normal.bound.kind !== 'bound' || normal.hoursWithLatency < settings.minHistoryHours) return undefined;
  const boundMs = normal.bound.boundMs;
  return {
    boundMs,
    normal: percentilesOf(normal.histogram),
    history: history.map((h) => latencyHistoryHour(h, boundMs)),
    tree: trees.latency?.boundMs === boundMs ? trees.latency.tree : undefined,
    settings: latencyCoreSettings(settings),
    windowCounts: latencyCountsOf(boundMs),
  };
}

/** The core settings of the established latency pass. */
export function latencyCoreSettings(settings: ApiDetectionSettings): DetectionSettings {
  // No cold-start ceiling here: the core might still see too few hours (lost posts left out) and fall back.
  return { ...coreSettings('latency', settings), coldStartCeilings: {} };
}

/** A window's counts as the latency pass sees them: calls slower than the bucket bound `boundMs` out of the histogram's. */
export function latencyCountsOf(boundMs: number): (counts: ApiCounts) => WindowCounts {
  const slower = slowerThanBound(boundMs);
  return (counts) => latencyWindowCounts(counts, slower);
}
