import { type BatchDeps, evaluateBatch } from '../src/evaluation/evaluate-batch.js';
import type { HourTotals } from '../src/evaluation/hour-run.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

/** `evaluate-series`: evaluates one batch of series for the hour and records findings and alerts (idempotently). */
export function createEvaluateSeriesHandler(deps: BatchDeps): JobHandler<typeof JOB.evaluateSeries> {
  return async ({ data }): Promise<HourTotals> => {
    const result = await evaluateBatch(
      deps,
      data.series,
      new Date(data.hourStart),
      new Date(data.evaluatedAt),
    );
    return { series: result.series, findings: result.findings.length };
  };
}
