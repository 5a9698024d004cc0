import type { Queue } from 'bullmq';
import { addTotals, finishHour, type HourRunDeps, type HourTotals } from '../src/evaluation/hour-run.js';
import { jobIds } from '../src/queue/job-ids.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { EvaluateHourData } from './evaluate-hour.js';

export interface FinishHourData {
  readonly hourStart: string;
  readonly catchUpUntil?: string | undefined;
}

const HOUR_MS = 3_600_000;

/**
 * `finish-hour`: runs once every batch of the hour is done; records the run and hands its alert changes to
 * notifications. During catch-up it then starts the next missed hour, so missed hours are evaluated one after
 * another, oldest first (each hour's findings are history for the next).
 */
export function createFinishHourHandler(deps: {
  run: HourRunDeps;
  queue: Queue;
  now: () => Date;
}): JobHandler {
  return async (job) => {
    const data = job.data as FinishHourData;
    const hourStart = new Date(data.hourStart);
    const totals = addTotals(Object.values(await job.getChildrenValues()) as HourTotals[]);
    await finishHour(deps.run, hourStart, totals, deps.now());
    const next = new Date(hourStart.getTime() + HOUR_MS);
    if (data.catchUpUntil && next.getTime() <= new Date(data.catchUpUntil).getTime()) {
      const nextData: EvaluateHourData = {
        hourStart: next.toISOString(),
        trigger: 'catch-up',
        catchUpUntil: data.catchUpUntil,
      };
      await deps.queue.add(JOB.evaluateHour, nextData, { jobId: jobIds.evaluateHour(next) });
    }
    return totals;
  };
}
