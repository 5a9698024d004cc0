import { type ApiBatchDeps, evaluateApiBatch } from '../src/evaluation/evaluate-api-batch.js';
import { type BatchDeps, evaluateBatch } from '../src/evaluation/evaluate-batch.js';
import type { HourTotals } from '../src/evaluation/hour-run.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

/**
 * `evaluate-series`: evaluates one batch of the hour — payment series, or APIs (`apis`) — and records findings
 * and alerts (idempotently).
 */
export function createEvaluateSeriesHandler(
  deps: BatchDeps & ApiBatchDeps,
): JobHandler<typeof JOB.evaluateSeries> {
  return async ({ data }): Promise<HourTotals> => {
    const hourStart = new Date(data.hourStart);
    const evaluatedAt = new Date(data.evaluatedAt);
    const result =
      data.apis && data.apis.length > 0
        ? await evaluateApiBatch(deps, data.apis, hourStart, evaluatedAt)
        : await evaluateBatch(deps, data.series, hourStart, evaluatedAt);
    return { series: result.series, findings: result.findings.length };
  };
}
