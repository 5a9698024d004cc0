import { addTotals, finishHour, type HourRunDeps, type HourTotals } from '../src/evaluation/hour-run.js';
import { jobIds } from '../src/queue/job-ids.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

const HOUR_MS = 3_600_000;

/**
 * `finish-hour`: runs once every batch of the hour is done; records the run and hands its alert changes to
 * notifications. During catch-up it then starts the next missed hour, so missed hours are evaluated one after
 * another, oldest first (each hour's findings are history for the next).
 */
export function createFinishHourHandler(deps: {
  run: HourRunDeps;
  jobs: JobQueue;
  now: () => Date;
}): JobHandler<typeof JOB.finishHour> {
  return async (job) => {
    const { data } = job;
    const hourStart = new Date(data.hourStart);
    // The children are this hour's evaluate-series jobs, whose results are HourTotals.
    const totals = addTotals(Object.values(await job.getChildrenValues<HourTotals>()));
    await finishHour(deps.run, hourStart, totals, deps.now());
    const next = new Date(hourStart.getTime() + HOUR_MS);
    if (data.catchUpUntil && next.getTime() <= new Date(data.catchUpUntil).getTime()) {
      await deps.jobs.add(
        JOB.evaluateHour,
        { hourStart: next.toISOString(), trigger: 'catch-up', catchUpUntil: data.catchUpUntil },
        { jobId: jobIds.evaluateHour(next) },
      );
    }
    return totals;
  };
}
