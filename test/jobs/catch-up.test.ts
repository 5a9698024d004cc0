import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missedHours } from '../../jobs/catch-up.js';
import { JOB, QUEUE } from '../../src/queue/names.js';
import { postCounts, startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { steadyMinutes } from '../helpers/steady-traffic.js';
import { waitFor } from '../helpers/wait-for.js';

const NOW = new Date('2026-11-15T14:05:00Z');
const hour = (iso: string) => new Date(`2026-11-15T${iso}:00:00Z`);

describe('missedHours', () => {
  it.each([
    ['nothing ever finished (a fresh install)', undefined, 48, []],
    ['the last complete hour finished', hour('13'), 48, []],
    ['three hours were missed', hour('10'), 48, [hour('11'), hour('12'), hour('13')]],
    [
      'more were missed than CATCHUP_MAX_HOURS allows: the newest ones',
      hour('05'),
      2,
      [hour('12'), hour('13')],
    ],
    ['catch-up is off', hour('10'), 0, []],
  ])('when %s', (_name, latestFinished, max, expected) => {
    expect(missedHours(latestFinished, NOW, max)).toEqual(expected);
  });
});

let app: TestApp;
let db: mysql.Pool;

beforeAll(async () => {
  app = await startTestApp('catchup', { ROLES: 'web,worker' }, { now: () => NOW });
  db = mysql.createPool({ uri: app.database.url, timezone: 'Z' });
  const items = steadyMinutes({
    source: 'sched',
    from: '2026-11-12T00:00:00Z',
    hours: 3 * 24 + 14,
    perMinute: 20,
    failedRate: 0.01,
  });
  await postCounts(app, items);
}, 60_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

const runs = async () => {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT hour_start, trigger_kind, status FROM evaluation_runs ORDER BY hour_start',
  );
  return rows.map((row) => [(row.hour_start as Date).toISOString(), row.trigger_kind, row.status]);
};

describe('catch-up after downtime', () => {
  it('evaluates exactly the missed hours, once each, oldest first', async () => {
    const last = await cli(['evaluate', '--hour', '2026-11-15T10:00:00Z'], {
      MYSQL_URL: app.database.url,
      QUEUE_PREFIX: app.queuePrefix,
      LOG_LEVEL: 'silent',
    });
    expect(last.code).toBe(0);
    await app.jobs.add(JOB.catchUp, {}, { jobId: 'catchup_test' });
    const expected = ['2026-11-15T11:00:00.000Z', '2026-11-15T12:00:00.000Z', '2026-11-15T13:00:00.000Z'];
    const done = await waitFor(
      async () => {
        const rows = await runs();
        return expected.every((h) => rows.some((r) => r[0] === h && r[2] === 'done')) && rows;
      },
      'the missed hours to be evaluated',
      90_000,
    );
    expect(done).toEqual([
      ['2026-11-15T10:00:00.000Z', 'cli', 'done'],
      ...expected.map((h) => [h, 'catch-up', 'done']),
    ]);
    // One after another, oldest first: each hour's job ran after the previous hour's had finished. A run is
    // recorded done inside its finish-hour job, so the job itself may still be completing.
    const finishedHours = async () => {
      const jobs = await app.queues.byName[QUEUE.evaluation].getJobs(['completed']);
      const ours = await Promise.all(
        jobs
          .filter((job) => job.name === JOB.finishHour)
          .sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0))
          .map(async (job) => (await app.jobs.get(JOB.finishHour, job.id ?? ''))?.data.hourStart),
      );
      return ours.filter((h) => h !== undefined && expected.includes(h));
    };
    const hours = await waitFor(async () => {
      const found = await finishedHours();
      return found.length === expected.length && found;
    }, 'the finish-hour jobs to complete');
    expect(hours).toEqual(expected);
  });
});
