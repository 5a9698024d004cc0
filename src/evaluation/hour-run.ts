import { hourRunKey } from '../alerts/run-key.js';
import type { ApiSeriesInfo } from '../storage/api-call-reads.js';
import type { ApiCallStore } from '../storage/api-calls.js';
import type { EvaluationRunStore, RunTrigger } from '../storage/evaluation-runs.js';
import type { SeriesInfo, SourceStore } from '../storage/sources.js';
import type { ApiBatchDeps } from './evaluate-api-batch.js';
import type { BatchDeps } from './evaluate-batch.js';

const DAY_MS = 86_400_000;
/**
 * Series per batch (one evaluate-series or train-series job): enough to keep the jobs of an hour few, few enough to
 * spread it over many workers. A job reads its series READ_SERIES at a time (series-context.ts).
 */
export const SERIES_PER_BATCH = 200;

export interface HourRunDeps extends BatchDeps, ApiBatchDeps {
  readonly metrics?: BatchDeps['metrics'];
  readonly sources: SourceStore;
  readonly apiCalls: Pick<ApiCallStore, 'flushRollups'>;
  readonly runs: EvaluationRunStore;
  /** Days of history any model looks back: series silent for longer are no longer evaluated. */
  readonly activeDays: number;
}

/** What the finished batches of an hour add up to. */
export interface HourTotals {
  readonly series: number;
  readonly findings: number;
}

/**
 * First step of evaluating an hour: records the run, rolls up every minute that changed (late posts included),
 * and splits the series that reported anything in the last `activeDays` into batches, in id order so a retried
 * step cuts the same batches. A series that went silent is still evaluated: silence is what an outage looks like.
 */
export async function prepareHour(
  deps: HourRunDeps,
  hourStart: Date,
  trigger: RunTrigger,
  at: Date,
): Promise<SeriesInfo[][]> {
  await deps.runs.start(hourStart, trigger, at);
  await deps.counts.flushRollups();
  const series = await deps.sources.listActiveSeries(
    new Date(hourStart.getTime() - deps.activeDays * DAY_MS),
  );
  const batches: SeriesInfo[][] = [];
  for (let i = 0; i < series.length; i += SERIES_PER_BATCH)
    batches.push(series.slice(i, i + SERIES_PER_BATCH));
  return batches;
}

/**
 * The APIs of the hour, in batches of SERIES_PER_BATCH: every API with a rollup in the last `activeDays` (one
 * that went silent is still judged: a drop to nothing is what an outage looks like), after rolling up every API
 * minute that changed. In api series id order, so a retried step cuts the same batches. Called after
 * `prepareHour`, which records the run.
 */
export async function prepareApiBatches(deps: HourRunDeps, hourStart: Date): Promise<ApiSeriesInfo[][]> {
  await deps.apiCalls.flushRollups();
  const apis = await deps.apiReads.listActiveApiSeries(
    new Date(hourStart.getTime() - deps.activeDays * DAY_MS),
  );
  const batches: ApiSeriesInfo[][] = [];
  for (let i = 0; i < apis.length; i += SERIES_PER_BATCH) batches.push(apis.slice(i, i + SERIES_PER_BATCH));
  return batches;
}

/**
 * Last step: records the run as done and releases the alert changes its batches made (held in the outbox under
 * the hour's run key) for delivery together. They are read back from MySQL rather than collected from the
 * batches, so a batch that crashed and ran again loses none.
 */
export async function finishHour(
  deps: HourRunDeps,
  hourStart: Date,
  totals: HourTotals,
  at: Date,
): Promise<void> {
  const run = await deps.runs.finish(
    hourStart,
    { seriesTotal: totals.series, findings: totals.findings },
    at,
  );
  deps.metrics?.evaluationRun(run.durationMs / 1000, totals.series, run.trigger);
  await deps.alertService.runFinished(hourRunKey(hourStart));
}

/** Adds up batch results. */
export function addTotals(parts: readonly HourTotals[]): HourTotals {
  return {
    series: parts.reduce((n, p) => n + p.series, 0),
    findings: parts.reduce((n, p) => n + p.findings, 0),
  };
}
