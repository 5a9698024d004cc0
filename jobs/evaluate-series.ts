import { type BatchDeps, evaluateBatch } from '../src/evaluation/evaluate-batch.js';
import type { HourTotals } from '../src/evaluation/hour-run.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SeriesInfo } from '../src/storage/sources.js';

export interface EvaluateSeriesData {
  readonly hourStart: string;
  /** When the hour's evaluation started: every batch's findings share it as window_end. */
  readonly evaluatedAt: string;
  readonly series: readonly SeriesInfo[];
}

/** `evaluate-series`: evaluates one batch of series for the hour and records findings and alerts (idempotently). */
export function createEvaluateSeriesHandler(deps: BatchDeps): JobHandler {
  return async (job): Promise<HourTotals> => {
    const data = job.data as EvaluateSeriesData;
    const result = await evaluateBatch(
      deps,
      data.series,
      new Date(data.hourStart),
      new Date(data.evaluatedAt),
    );
    return { series: result.series, findings: result.findings.length };
  };
}
