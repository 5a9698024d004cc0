import { prepareTick, type TickRunDeps } from '../src/evaluation/tick-run.js';
import { jobIds } from '../src/queue/job-ids.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

export interface EvaluateTickDeps {
  readonly run: TickRunDeps;
  readonly jobs: JobQueue;
  readonly now: () => Date;
}

/**
 * `evaluate-tick`: cuts the tick's series and APIs into batches and fans them out as a BullMQ flow — one
 * `evaluate-tick-series` child per batch and a `finish-tick` parent that releases the tick's alert changes
 * when all are done. Every id is derived from the tick instant, so a retried or duplicated trigger adds
 * nothing twice. A tick job that waited (a backlog) judges the same minutes when it runs: the blocks before its
 * instant; nothing enqueues a tick that was missed (src/queue/scheduler.ts).
 */
export function createEvaluateTickHandler(deps: EvaluateTickDeps): JobHandler<typeof JOB.evaluateTick> {
  return async ({ data }) => {
    const at = new Date(data.at);
    const evaluatedAt = deps.now();
    const batches = await prepareTick(deps.run, at);
    const finishId = jobIds.finishTick(at);
    if (await deps.jobs.get(JOB.finishTick, finishId))
      return { batches: batches.length, alreadyFannedOut: true };
    await deps.jobs.addFlow(
      {
        name: JOB.finishTick,
        data: { at: data.at, evaluatedAt: evaluatedAt.toISOString() },
        opts: { jobId: finishId },
      },
      {
        name: JOB.evaluateTickSeries,
        // API batches follow the payment ones, numbered on: tick_<minute>_<n> stays one id per batch.
        jobs: batches.map((batch, index) => ({
          data: { at: data.at, evaluatedAt: evaluatedAt.toISOString(), ...batch },
          opts: { jobId: jobIds.evaluateTickSeries(at, index) },
        })),
      },
    );
    return {
      batches: batches.length,
      series: batches.reduce((n, b) => n + b.series.length, 0),
      apis: batches.reduce((n, b) => n + (b.apis?.length ?? 0), 0),
    };
  };
}
