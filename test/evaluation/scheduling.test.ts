import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { previousHour } from '../../src/queue/job-ids.js';
import { JOB, QUEUE } from '../../src/queue/names.js';
import { createScheduler } from '../../src/queue/scheduler.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { steadyMinutes } from '../helpers/steady-traffic.js';

const NOW = new Date('2026-11-15T14:05:00Z');
let app: TestApp;
let db: mysql.Pool;

beforeAll(async () => {
  app = await startTestApp('scheduling', { ROLES: 'web,worker' }, { now: () => NOW });
  db = mysql.createPool({ uri: app.database.url, timezone: 'Z' });
  const items = steadyMinutes({
    source: 'sched',
    from: '2026-11-12T00:00:00Z',
    hours: 3 * 24 + 14,
    perMinute: 20,
    failedRate: 0.01,
  });
  for (let i = 0; i < items.length; i += 5000) {
    await app.request('/v1/counts', { method: 'POST', json: { items: items.slice(i, i + 5000) } });
  }
}, 60_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const runs = async () => {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT hour_start, trigger_kind, status FROM evaluation_runs ORDER BY started_at, hour_start',
  );
  return rows.map((row) => [(row.hour_start as Date).toISOString(), row.trigger_kind, row.status]);
};

describe('the scheduler', () => {
  it('causes one run when two schedulers fire for the same hour', async () => {
    const logger = createLogger({ level: 'silent' });
    const everySecond = { evaluateCron: '* * * * * *', retrainHours: 24 };
    const schedulers = [
      createScheduler(app.queues, everySecond, logger, () => NOW),
      createScheduler(app.queues, everySecond, logger, () => NOW),
    ];
    await Promise.all(schedulers.map((s) => s.start()));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await Promise.all(schedulers.map((s) => s.stop()));
    const evaluation = app.queues.byName[QUEUE.evaluation];
    const jobs = (
      await evaluation.getJobs(['waiting', 'active', 'completed', 'waiting-children', 'delayed'])
    ).filter((job) => job.name === JOB.evaluateHour);
    // Cron slots are wall-clock times: the hour evaluated is the one before the real current hour.
    const hour = previousHour(new Date()).toISOString();
    expect(jobs.map((job) => job.id)).toEqual([`evaluate_${hour.slice(0, 13)}`]);
    const done = await until(runs, (rows) => rows.some((r) => r[0] === hour && r[2] === 'done'));
    expect(done.filter((r) => r[0] === hour)).toEqual([[hour, 'schedule', 'done']]);
  });
});

describe('catch-up after downtime', () => {
  it('evaluates exactly the missed hours, once each, oldest first', async () => {
    await db.query('DELETE FROM evaluation_runs');
    const last = await cli(['evaluate', '--hour', '2026-11-15T10:00:00Z'], {
      MYSQL_URL: app.database.url,
      QUEUE_PREFIX: app.queuePrefix,
      LOG_LEVEL: 'silent',
    });
    expect(last.code).toBe(0);
    await app.queues.byName[QUEUE.maintenance].add(JOB.catchUp, {}, { jobId: 'catchup_test' });
    const expected = ['2026-11-15T11:00:00.000Z', '2026-11-15T12:00:00.000Z', '2026-11-15T13:00:00.000Z'];
    const done = await until(runs, (rows) =>
      expected.every((hour) => rows.some((r) => r[0] === hour && r[2] === 'done')),
    );
    // Only the hours of this test: a run of the first test's wall-clock hour may still be finishing.
    const ours = done.filter((row) => String(row[0]).startsWith('2026-11-15'));
    expect(ours.sort()).toEqual([
      ['2026-11-15T10:00:00.000Z', 'cli', 'done'],
      ...expected.map((hour) => [hour, 'catch-up', 'done']),
    ]);
    // One after another, oldest first: each hour's job ran after the previous hour's had finished.
    const jobs = (await app.queues.byName[QUEUE.evaluation].getJobs(['completed']))
      .filter((job) => job.name === JOB.finishHour)
      .sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0));
    const hours = jobs.map((job) => (job.data as { hourStart: string }).hourStart);
    expect(hours.filter((hour) => expected.includes(hour))).toEqual(expected);
  });
});
