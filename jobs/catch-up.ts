import { floorHour, jobIds, previousHour } from '../src/queue/job-ids.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { EvaluationRunStore } from '../src/storage/evaluation-runs.js';

const HOUR_MS = 3_600_000;

/** The hours to evaluate after downtime: after the last finished one, up to the last complete hour, at most `max`. */
export function missedHours(latestFinished: Date | undefined, now: Date, max: number): Date[] {
  if (!latestFinished || max <= 0) return [];
  const last = previousHour(now).getTime();
  const first = Math.max(floorHour(latestFinished).getTime() + HOUR_MS, last - (max - 1) * HOUR_MS);
  const hours: Date[] = [];
  for (let hour = first; hour <= last; hour += HOUR_MS) hours.push(new Date(hour));
  return hours;
}

/**
 * `catch-up`: on start-up, evaluates the hours missed while ratewatch was down — oldest first and one after
 * another (each `finish-hour` starts the next), at most `maxHours` of them. A fresh install has missed nothing.
 */
export function createCatchUpHandler(deps: {
  runs: EvaluationRunStore;
  jobs: JobQueue;
  maxHours: number;
  now: () => Date;
}): JobHandler<typeof JOB.catchUp> {
  return async () => {
    const hours = missedHours(await deps.runs.latestFinished(), deps.now(), deps.maxHours);
    const first = hours[0];
    const last = hours[hours.length - 1];
    if (!first || !last) return { missed: 0 };
    await deps.jobs.add(
      JOB.evaluateHour,
      { hourStart: first.toISOString(), trigger: 'catch-up', catchUpUntil: last.toISOString() },
      { jobId: jobIds.evaluateHour(first) },
    );
    return { missed: hours.length, from: first.toISOString(), until: last.toISOString() };
  };
}
