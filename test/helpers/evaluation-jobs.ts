import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { jobIds } from '../../src/queue/job-ids.js';
import { JOB } from '../../src/queue/names.js';
import { startTestApp, type TestApp } from './app.js';
import { waitFor } from './wait-for.js';

const MINUTE = 60_000;

/**
 * The evaluation jobs as the scheduler enqueues them, on a test's clock: `setClock` moves it to the job's slot
 * (a tick at its instant plus the 2-minute grace, an hour at :02 after it) before the job is added. `appOf`: the
 * app is started in `beforeAll`, after the helpers are made.
 */
export function evaluationJobs(appOf: () => TestApp, setClock: (now: Date) => void) {
  const jobs = () => appOf().jobs;
  return {
    /** Runs a tick at its slot and waits until its finish-tick job is done. */
    async runTick(instant: Date, jobId = jobIds.evaluateTick(instant)): Promise<void> {
      setClock(new Date(instant.getTime() + 2 * MINUTE));
      await jobs().add(JOB.evaluateTick, { at: instant.toISOString() }, { jobId });
      await waitFor(
        async () => (await jobs().get(JOB.finishTick, jobIds.finishTick(instant)))?.isCompleted(),
        `the tick at ${instant.toISOString()} to finish`,
        60_000,
      );
    },

    /** Runs the hourly evaluation of `hourStart` at :02 after it and waits until it is done. */
    async runHour(hourStart: Date): Promise<void> {
      setClock(new Date(hourStart.getTime() + 62 * MINUTE));
      await jobs().add(
        JOB.evaluateHour,
        { hourStart: hourStart.toISOString(), trigger: 'schedule' },
        { jobId: jobIds.evaluateHour(hourStart) },
      );
      await waitFor(
        async () => (await jobs().get(JOB.finishHour, jobIds.finishHour(hourStart)))?.isCompleted(),
        `the hour ${hourStart.toISOString()} to be evaluated`,
        90_000,
      );
    },
  };
}

/**
 * A test app whose worker (in this process) runs the evaluation jobs, a tick every 10 minutes, on the test's
 * clock; the environment the CLI needs to reach its database and queues; and a pool to read what they stored.
 */
export async function startTickingApp(
  label: string,
  now: () => Date,
): Promise<{ app: TestApp; env: Record<string, string>; db: mysql.Pool }> {
  const app = await startTestApp(label, { ROLES: 'web,worker', EVALUATE_EVERY_MINUTES: '10' }, { now });
  return {
    app,
    env: { MYSQL_URL: app.database.url, QUEUE_PREFIX: app.queuePrefix, LOG_LEVEL: 'silent' },
    db: mysql.createPool({ uri: app.database.url, timezone: 'Z' }),
  };
}

/** A findings row as the tick tests read it: metric, tick minute, window end, the finding's JSON and its alert. */
export function findingOfRow(row: RowDataPacket) {
  return {
    metric: row.metric as string,
    tickMinute: Number(row.tick_minute),
    windowEnd: (row.window_end as Date).toISOString(),
    detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>,
    alertId: row.alert_id as number | null,
  };
}
