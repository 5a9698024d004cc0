import { prepareTick, type TickRunDeps, tickHour } from '../src/evaluation/tick-run.js';
import { jobIds } from '../src/queue/job-ids.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface EvaluateTickDeps {
  readonly run: TickRunDeps;
  readonly jobs: JobQueue;
  /** The hourly run's grace for late posts: once it is due for the tick's hour, the tick has nothing to add. */
  readonly graceMinutes: number;
  readonly now: () => Date;
}

/**
 * `evaluate-tick`: cuts the tick's series into batches and fans them out as a BullMQ flow — one
 * `evaluate-tick-series` child per batch and a `finish-tick` parent that releases the tick's alert changes
 * when all are done. Every id is derived from the tick instant, so a retried or duplicated trigger adds
 * nothing twice. A tick picked up after its hour's hourly run is due (a backlog, a worker that was down) is
 * skipped: that run judges the same minutes, and a missed tick is not made up for.
 */
export function createEvaluateTickHandler(deps: EvaluateTickDeps): JobHandler<typeof JOB.evaluateTick> {
  return async ({ data }) => {
    const at = new Date(data.at);
    const evaluatedAt = deps.now();
    const hourlyDue = tickHour(at).getTime() + HOUR_MS + deps.graceMinutes * MINUTE_MS;
    if (evaluatedAt.getTime() >= hourlyDue) return { skipped: 'the hourly run of its hour is due' };
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
        jobs: batches.map((series, index) => ({
          data: { at: data.at, evaluatedAt: evaluatedAt.toISOString(), series },
          opts: { jobId: jobIds.evaluateTickSeries(at, index) },
        })),
      },
    );
    return { batches: batches.length, series: batches.reduce((n, b) => n + b.length, 0) };
  };
}
