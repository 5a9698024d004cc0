import { evaluateTickBatch, type TickRunDeps } from '../src/evaluation/tick-run.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

/**
 * `evaluate-tick-series`: judges one batch of payment series, or of APIs (`apis`), at the tick and raises its
 * findings (each recorded once per series, API, metric and tick, so a retry or a second worker raises nothing
 * twice).
 */
export function createEvaluateTickSeriesHandler(
  deps: TickRunDeps,
): JobHandler<typeof JOB.evaluateTickSeries> {
  return async ({ data }) => {
    const result = await evaluateTickBatch(deps, data, new Date(data.at), new Date(data.evaluatedAt));
    return { series: result.series, findings: result.findings.length, bandsComputed: result.bandsComputed };
  };
}
