import type { AlertFinding } from '../alerts/alert-finding.js';
import { tickRunKey } from '../alerts/run-key.js';
import type { ApiSeriesInfo } from '../storage/api-call-reads.js';
import type { SeriesInfo, SourceStore } from '../storage/sources.js';
import { type ApiTickDeps, apiTickKind } from './api-tick.js';
import type { BatchDeps } from './evaluate-batch.js';
import { SERIES_PER_BATCH } from './hour-run.js';
import { seriesTickKind } from './series-tick.js';
import { judgeTickBatch, type TickBatchResult, tickHour } from './tick-batch.js';

const DAY_MS = 86_400_000;

export interface TickRunDeps extends BatchDeps, ApiTickDeps {
  /** The wider of the two kinds' `metrics` (the payments' also times runs and ticks), as in HourRunDeps. */
  readonly metrics?: BatchDeps['metrics'];
  readonly sources: SourceStore;
  /** Days of history any model looks back: the same active series and APIs as the hourly run. */
  readonly activeDays: number;
}

/** One batch of a tick: payment series, or APIs (then `series` is empty), as the hour's batches are cut. */
export interface TickBatch {
  readonly series: readonly SeriesInfo[];
  readonly apis?: readonly ApiSeriesInfo[] | undefined;
}

const MINUTE_MS = 60_000;

/**
 * Whether `at` is an instant a tick can judge: a whole minute. :01 … :59 judge the hour so far (the block a tick
 * between 10-minute boundaries falls in, as far as it has elapsed); :00 is the closing tick of the hour before
 * it (silence only, beside the hourly run; evaluate-tick.ts).
 */
export function isTickInstant(at: Date): boolean {
  return at.getTime() % MINUTE_MS === 0;
}

/**
 * First step of a tick: the series and the APIs the hourly run would judge (reported in the last `activeDays`,
 * not paused), each in id order and cut as the hourly run cuts them — payment batches first, then API batches —
 * so a retried step cuts the same batches.
 */
export async function prepareTick(deps: TickRunDeps, at: Date): Promise<TickBatch[]> {
  if (!isTickInstant(at)) throw new Error(`not a tick instant: ${at.toISOString()}`);
  const since = new Date(tickHour(at).getTime() - deps.activeDays * DAY_MS);
  const [series, apis] = await Promise.all([
    deps.sources.listActiveSeries(since),
    deps.apiReads.listActiveApiSeries(since),
  ]);
  const batches: TickBatch[] = [];
  for (let i = 0; i < series.length; i += SERIES_PER_BATCH)
    batches.push({ series: series.slice(i, i + SERIES_PER_BATCH) });
  for (let i = 0; i < apis.length; i += SERIES_PER_BATCH)
    batches.push({ series: [], apis: apis.slice(i, i + SERIES_PER_BATCH) });
  return batches;
}

/**
 * One batch of a tick (`judgeTickBatch` in tick-batch.ts): payment series through the core's `evaluateTick`
 * (series-tick.ts), APIs through `evaluateApiTick` (api-tick.ts), each finding raised through the one alert
 * service under the tick's run key, recorded once per series (and API), metric and tick.
 */
export function evaluateTickBatch(
  deps: TickRunDeps,
  batch: TickBatch,
  at: Date,
  evaluatedAt: Date,
): Promise<TickBatchResult<AlertFinding>> {
  return batch.apis && batch.apis.length > 0
    ? judgeTickBatch(deps, apiTickKind(deps), batch.apis, at, evaluatedAt)
    : judgeTickBatch(deps, seriesTickKind(deps), batch.series, at, evaluatedAt);
}

/** Adds up tick batch results. */
export function addTickTotals(parts: readonly { series: number; findings: number }[]): {
  series: number;
  findings: number;
} {
  return {
    series: parts.reduce((n, p) => n + p.series, 0),
    findings: parts.reduce((n, p) => n + p.findings, 0),
  };
}

/**
 * Last step of a tick: releases the alert changes its batches made (held under the tick's run key) for
 * delivery together, and records how long the tick took.
 */
export async function finishTick(
  deps: Pick<TickRunDeps, 'alertService' | 'metrics'>,
  at: Date,
  startedAt: Date,
  totals: { series: number; findings: number },
  finishedAt: Date,
): Promise<void> {
  deps.metrics?.evaluationTick((finishedAt.getTime() - startedAt.getTime()) / 1000, totals.series);
  await deps.alertService.runFinished(tickRunKey(at));
}
