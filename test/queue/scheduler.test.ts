import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createQueueConnection } from '../../src/queue/connection.js';
import { createJobQueue, type JobQueue } from '../../src/queue/job-queue.js';
import { JOB } from '../../src/queue/names.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { createScheduler, tickCron, tickInstant } from '../../src/queue/scheduler.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';
/** A second before the hourly evaluation fires at :02 (the default EVALUATE_CRON with a 2-minute grace). */
const BEFORE_SLOT = new Date('2026-11-15T14:01:59.000Z');

/** What node-cron reads and waits with; Redis I/O is left real. */
const FAKED: NonNullable<Parameters<typeof vi.useFakeTimers>[0]>['toFake'] = [
  'Date',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
];

const connection = createQueueConnection(REDIS_URL);
let queues: Queues;

beforeAll(async () => {
  queues = createQueues(connection, `rwtest-scheduler-${randomBytes(3).toString('hex')}`);
  await Promise.all(Object.values(queues.byName).map((queue) => queue.waitUntilReady()));
});

afterAll(async () => {
  vi.useRealTimers();
  await Promise.all(Object.values(queues.byName).map((queue) => queue.obliterate({ force: true })));
  await queues.close();
  connection.disconnect();
});

/** The real queue, remembering every add so the test can wait for them (Redis answers on its own time). */
function recording(jobs: JobQueue) {
  const adds: Promise<void>[] = [];
  const names: string[] = [];
  const queue: JobQueue = {
    ...jobs,
    add(name, data, opts) {
      names.push(name);
      const added = jobs.add(name, data, opts);
      adds.push(added);
      return added;
    },
  };
  return { queue, names, settled: () => Promise.all(adds) };
}

describe('the scheduler', () => {
  it('enqueues one evaluation of the hour that just ended, and one closing tick, when two schedulers fire at the same slot', async () => {
    const jobs = recording(createJobQueue(queues));
    const logger = createLogger({ level: 'silent' });
    const settings = { evaluateCron: '2 * * * *', retrainHours: 24, everyMinutes: 10, graceMinutes: 2 };
    // node-cron reads the clock and waits with timers: both are faked, so the slot is 14:02:00 whenever this runs.
    vi.useFakeTimers({
      now: BEFORE_SLOT,
      toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
    });
    const schedulers = [1, 2].map(() => createScheduler(jobs.queue, settings, logger, () => new Date()));
    await Promise.all(schedulers.map((s) => s.start()));
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(schedulers.map((s) => s.stop()));
    vi.useRealTimers();
    await jobs.settled();

    expect(jobs.names.filter((name) => name === JOB.evaluateHour)).toHaveLength(2);
    const evaluation = await queues.byName.evaluation.getJobs(['waiting', 'delayed', 'active', 'completed']);
    const byId = evaluation
      .map((job) => [job.id, job.data])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(byId).toEqual([
      ['evaluate_2026-11-15T13', { hourStart: '2026-11-15T13:00:00.000Z', trigger: 'schedule' }],
      // The closing tick of 13:00–14:00: silence only, beside the hourly run.
      ['tick_2026-11-15T1400', { at: '2026-11-15T14:00:00.000Z' }],
    ]);
    const catchUp = await queues.byName.maintenance.getJobs(['waiting']);
    expect(catchUp.map((job) => job.id)).toEqual(['catchup_2026-11-15T1401']);
  });

  it('enqueues training at the current cut-off, the rollup flush and the daily retention at their slots', async () => {
    const jobs = recording(createJobQueue(queues));
    const settings = { evaluateCron: '2 * * * *', retrainHours: 24, everyMinutes: 10, graceMinutes: 2 };
    vi.useFakeTimers({ now: new Date('2026-11-16T03:09:59.000Z'), toFake: FAKED });
    const scheduler = createScheduler(
      jobs.queue,
      settings,
      createLogger({ level: 'silent' }),
      () => new Date(),
    );
    await scheduler.start();
    // Slot by slot: Redis answers in real time, and a task still enqueueing (noOverlap) skips its next slot.
    await vi.advanceTimersByTimeAsync(60_000); // 03:10: training, flush
    await jobs.settled();
    await vi.advanceTimersByTimeAsync(10 * 60_000); // 03:20: retention, flush
    await jobs.settled();
    await scheduler.stop();
    vi.useRealTimers();
    await jobs.settled();

    const maintenance = await queues.byName.maintenance.getJobs(['waiting']);
    expect(maintenance.map((job) => job.id).sort()).toEqual(
      expect.arrayContaining([
        'train_2026-11-16T00',
        'flush_2026-11-16T0310',
        'flush_2026-11-16T0320',
        'retention_2026-11-16',
      ]),
    );
    const training = maintenance.find((job) => job.id === 'train_2026-11-16T00');
    expect(training?.data).toEqual({ cutoff: '2026-11-16T00:00:00.000Z' });
  });

  it('enqueues each tick once, under the id of its instant, when two schedulers fire at its slot', async () => {
    const jobs = recording(createJobQueue(queues));
    const settings = { evaluateCron: '2 * * * *', retrainHours: 24, everyMinutes: 10, graceMinutes: 2 };
    vi.useFakeTimers({ now: new Date('2026-11-17T14:11:59.000Z'), toFake: FAKED });
    const logger = createLogger({ level: 'silent' });
    const schedulers = [1, 2].map(() => createScheduler(jobs.queue, settings, logger, () => new Date()));
    await Promise.all(schedulers.map((s) => s.start()));
    await vi.advanceTimersByTimeAsync(2_000); // 14:12: the tick of 14:10
    await jobs.settled();
    await Promise.all(schedulers.map((s) => s.stop()));
    vi.useRealTimers();
    await jobs.settled();

    expect(jobs.names.filter((name) => name === JOB.evaluateTick)).toHaveLength(2);
    const ticks = (await queues.byName.evaluation.getJobs(['waiting'])).filter(
      (j) => j.name === JOB.evaluateTick && j.id?.startsWith('tick_2026-11-17'),
    );
    expect(ticks.map((job) => [job.id, job.data])).toEqual([
      ['tick_2026-11-17T1410', { at: '2026-11-17T14:10:00.000Z' }],
    ]);
  });
});

describe("the ticks' schedule", () => {
  it.each([
    ['every 10 minutes and at the hour, grace 2', 10, 2, '2,12,22,32,42,52 * * * *'],
    ['every 20 minutes and at the hour, grace 2', 20, 2, '2,22,42 * * * *'],
    ['every 30 minutes and at the hour, grace 0', 30, 0, '0,30 * * * *'],
    ['every 5 minutes and at the hour, grace 2', 5, 2, '2,7,12,17,22,27,32,37,42,47,52,57 * * * *'],
    ['every 10 minutes, grace 15: the last ticks run in the next hour', 10, 15, '5,15,25,35,45,55 * * * *'],
    ['hourly only', 60, 2, undefined],
  ])('fires %s', (_name, everyMinutes, graceMinutes, cron) => {
    expect(tickCron({ everyMinutes, graceMinutes })).toBe(cron);
  });

  it.each([
    ['14:12 with grace 2', '2026-11-17T14:12:00.000Z', 2, '2026-11-17T14:10:00.000Z'],
    ['15:05 with grace 15', '2026-11-17T15:05:00.000Z', 15, '2026-11-17T14:50:00.000Z'],
    [
      '15:02 with grace 2: the closing tick of 14:00',
      '2026-11-17T15:02:00.000Z',
      2,
      '2026-11-17T15:00:00.000Z',
    ],
  ])('judges the instant before its slot: %s', (_name, slot, grace, at) => {
    expect(tickInstant(new Date(slot), grace).toISOString()).toBe(at);
  });
});
