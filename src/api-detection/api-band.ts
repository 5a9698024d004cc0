import type { LatencyPercentiles, LatencyPoint } from '../detection/api-finding.js';
import { type Band, bandFromJson, bandOf } from '../detection/band.js';
import type { CalendarPosition } from '../detection/types.js';
import type { ApiHistoryHour } from './api-history.js';
import type { ApiDetectionSettings } from './api-settings.js';
import { type ApiTrees, callsPassTrees } from './api-trees.js';
import { callsHistoryHour, coreSettings } from './core-adapter.js';
import { latencyPassOf } from './latency-pass.js';

/** What the band of an API's latency pass adds: the bound its slow calls are counted against, and the normal. */
export interface ApiLatencyBand {
  /** The hour's normal p99 bucket bound (latencyNormal), exactly as evaluateApiHour computes it for the hour. */
  readonly boundMs: number;
  /** p50/p95/p99 of the comparable hours the bound came from: the `latency.normal` of a tick's finding. */
  readonly normal: LatencyPercentiles | null;
  /** The core band of the latency pass (slow calls against `boundMs` out of the histogram's calls). */
  readonly band: Band;
}

/**
 * What the hourly run knows about the coming clock hour of one API: the core `Band` of each pass (see
 * core-adapter.ts), built by the unchanged `bandOf` on the adapter-mapped history and trees. Plain data:
 * `apiBandToJson`/`apiBandFromJson` round-trip it exactly.
 */
export interface ApiBand {
  /** Epoch ms of the clock hour the band is for. */
  readonly hourStart: number;
  /** The calls pass: total = calls; failed = errors, denied = silent failures, reversed = 4xx; traffic. */
  readonly calls: Band;
  /**
   * The latency pass; null while the API has no normal p99 yet (latency cold start: only the hourly run's SLO
   * ceiling judges latency then, as cold start is left to the hourly run for every metric).
   */
  readonly latency: ApiLatencyBand | null;
}

/**
 * The band of the clock hour at `hourStart` of one API, from the same history (the hours before it, oldest
 * first), trees and settings its hourly evaluation (evaluateApiHour) uses, so that a window judged at a tick
 * gets the verdict the hourly run would give it. Pure.
 */
export function apiBandOf(
  hourStart: number,
  position: CalendarPosition,
  history: readonly ApiHistoryHour[],
  trees: ApiTrees,
  settings: ApiDetectionSettings,
): ApiBand {
  const calls = bandOf(
    hourStart,
    position,
    history.map(callsHistoryHour),
    callsPassTrees(trees, settings),
    coreSettings('calls', settings),
  );
  const pass = latencyPassOf(history, hourStart, position, trees, settings);
  const latency = pass && {
    boundMs: pass.boundMs,
    normal: pass.normal,
    band: bandOf(hourStart, position, pass.history, pass.tree ? { failed: pass.tree } : {}, pass.settings),
  };
  return { hourStart, calls, latency: latency ?? null };
}

export function apiBandToJson(band: ApiBand): string {
  return JSON.stringify(band);
}

/** The band back from `apiBandToJson`; throws on anything else (a stored band is written by this code only). */
export function apiBandFromJson(json: string): ApiBand {
  const value: unknown = JSON.parse(json);
  if (!isObject(value) || typeof value.hourStart !== 'number') throw new Error('not an API band');
  const calls = coreBand(value.calls);
  const latency = value.latency;
  if (latency === null) return { hourStart: value.hourStart, calls, latency: null };
  if (!isObject(latency) || typeof latency.boundMs !== 'number' || !isPercentilesOrNull(latency.normal))
    throw new Error('not an API band');
  return {
    hourStart: value.hourStart,
    calls,
    latency: { boundMs: latency.boundMs, normal: latency.normal, band: coreBand(latency.band) },
  };
}

/** A core band inside the API band, checked by the core's own reader. */
function coreBand(value: unknown): Band {
  return bandFromJson(JSON.stringify(value ?? null));
}

function isPercentilesOrNull(value: unknown): value is LatencyPercentiles | null {
  return (
    value === null || (isObject(value) && isPoint(value.p50) && isPoint(value.p95) && isPoint(value.p99))
  );
}

function isPoint(value: unknown): value is LatencyPoint {
  return isObject(value) && typeof value.ms === 'number' && typeof value.above === 'boolean';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
