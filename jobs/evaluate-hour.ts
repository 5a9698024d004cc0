import { type HourRunDeps, prepareApiBatches, prepareHour } from '../src/evaluation/hour-run.js';
import { jobIds } from '../src/queue/job-ids.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

export interface EvaluateHourDeps {
  readonly run: HourRunDeps;
  readonly jobs: JobQueue;
  readonly now: () => Date;
}

/**
 * `evaluate-hour`: prepares the hour (rollups, batches) and fans it out as a BullMQ flow — one `evaluate-series`
 * child per batch of payment series or of APIs, which workers on any machine take, and a `finish-hour` parent that runs when all are done.
 * Every job id is derived from the hour, so a retried or duplicated trigger adds nothing twice.
 */
export function createEvaluateHourHandler(deps: EvaluateHourDeps): JobHandler<typeof JOB.evaluateHour> {
  return async ({ data }) => {
    const hourStart = new Date(data.hourStart);
    const evaluatedAt = deps.now();
    const batches = await prepareHour(deps.run, hourStart, data.trigger, evaluatedAt);
    const apiBatches = await prepareApiBatches(deps.run, hourStart);
    const finishId = jobIds.finishHour(hourStart);
    if (await deps.jobs.get(JOB.finishHour, finishId))
      return { batches: batches.length, alreadyFannedOut: true };
    await deps.jobs.addFlow(
      {
        name: JOB.finishHour,
        data: { hourStart: data.hourStart, catchUpUntil: data.catchUpUntil },
        opts: { jobId: finishId },
      },
      {
        name: JOB.evaluateSeries,
        jobs: [
          ...batches.map((series) => ({ series })),
          // API batches follow the payment ones, numbered on: evaluate_<hour>_<n> stays one id per batch.
          ...apiBatches.map((apis) => ({ series: [], apis })),
        ].map((batch, index) => ({
          data: { hourStart: data.hourStart, evaluatedAt: evaluatedAt.toISOString(), ...batch },
          opts: { jobId: jobIds.evaluateSeries(hourStart, index) },
        })),
      },
    );
    return {
      batches: batches.length + apiBatches.length,
      series: batches.reduce((n, b) => n + b.length, 0),
      apis: apiBatches.reduce((n, b) => n + b.length, 0),
    };
  };
}
