import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { jobIds, previousHour } from './job-ids.js';
import type { JobQueue } from './job-queue.js';
import { JOB } from './names.js';

export interface ScheduleSettings {
  /** node-cron expression of the hourly evaluation (UTC). */
  readonly evaluateCron: string;
  readonly retrainHours: number;
  /** Minutes between ticks inside the hour (EVALUATE_EVERY_MINUTES); 60: no ticks. */
  readonly everyMinutes: number;
  /** Minutes after a tick instant before it runs: late posts count, as for the hourly run. */
  readonly graceMinutes: number;
}

const MINUTE_MS = 60_000;

/**
 * The cron expression of the ticks: every `everyMinutes` inside the hour (:10, :20 … :50 for 10; :05, :10 … for
 * 5) and the hour's end (the closing tick, silence only) plus the grace for late posts (:02, :12 … :52 with the
 * default 2);
 * undefined when the cadence is hourly only. With a grace of 10 minutes or more a tick's slot falls in the next
 * hour (its minute wraps around).
 */
export function tickCron(
  settings: Pick<ScheduleSettings, 'everyMinutes' | 'graceMinutes'>,
): string | undefined {
  if (settings.everyMinutes >= 60) return undefined;
  const minutes: number[] = [];
  // Up to and including :60, the hour's closing tick (silence only; evaluate-tick.ts).
  for (let at = settings.everyMinutes; at <= 60; at += settings.everyMinutes)
    minutes.push((at + settings.graceMinutes) % 60);
  return `${minutes.sort((a, b) => a - b).join(',')} * * * *`;
}

/** The tick instant a tick slot (`tickCron`) fired for: the slot less the grace. */
export function tickInstant(slot: Date, graceMinutes: number): Date {
  const minute = Math.floor(slot.getTime() / MINUTE_MS) * MINUTE_MS;
  return new Date(minute - graceMinutes * MINUTE_MS);
}

/** Each task: its cron expression (UTC) and what it enqueues for the slot it fired at. */
interface Task {
  readonly name: string;
  readonly cron: string;
  readonly enqueue: (slot: Date) => Promise<unknown>;
}

export interface Scheduler {
  /** Fires every task's cron from now on and enqueues the start-up catch-up. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The tasks, for tests and `/metrics`. */
  readonly taskNames: readonly string[];
}

/**
 * The scheduler role: node-cron tasks that only *enqueue*, each with a job id derived from its slot, so that any
 * number of scheduler processes cause one run per slot. Work happens in workers.
 * - evaluation: every hour at the grace minute, the hour that just ended;
 * - ticks: every EVALUATE_EVERY_MINUTES inside the hour and at its end (the closing tick, silence only), the
 *   grace after each tick instant (tickCron), the minutes of the hour so far, under one job id per tick
 *   instant. Nothing catches up on a tick that was missed (scheduler down, Redis lost): the next tick, or the
 *   hourly run, judges the same minutes;
 * - training: every hour at :10, the current training cut-off (a new id only when the cut-off moves);
 * - retention: daily at 03:20; rollup flush: every 10 minutes;
 * - the outbox sweep (`sweep`): every minute, re-enqueues what MySQL says is owed and Redis does not hold
 *   (outbox-sweep.ts; several schedulers sweeping at once enqueue each job once).
 */
export function createScheduler(
  jobs: JobQueue,
  settings: ScheduleSettings,
  logger: Logger,
  now: () => Date,
  options: { sweep?: () => Promise<unknown> } = {},
): Scheduler {
  const { sweep } = options;
  const ticks = tickCron(settings);
  const tasks: Task[] = [
    {
      name: 'evaluate',
      cron: settings.evaluateCron,
      enqueue: (slot) => {
        const hourStart = previousHour(slot);
        const data = { hourStart: hourStart.toISOString(), trigger: 'schedule' } as const;
        return jobs.add(JOB.evaluateHour, data, { jobId: jobIds.evaluateHour(hourStart) });
      },
    },
    ...(ticks
      ? [
          {
            name: 'tick',
            cron: ticks,
            enqueue: (slot: Date) => {
              const at = tickInstant(slot, settings.graceMinutes);
              return jobs.add(JOB.evaluateTick, { at: at.toISOString() }, { jobId: jobIds.evaluateTick(at) });
            },
          },
        ]
      : []),
    {
      name: 'train',
      cron: '10 * * * *',
      enqueue: (slot) => {
        const period = settings.retrainHours * 3_600_000;
        const cutoff = new Date(Math.floor(slot.getTime() / period) * period);
        return jobs.add(
          JOB.trainModels,
          { cutoff: cutoff.toISOString() },
          { jobId: jobIds.trainModels(cutoff) },
        );
      },
    },
    {
      name: 'retention',
      cron: '20 3 * * *',
      enqueue: (slot) => jobs.add(JOB.retention, {}, { jobId: jobIds.retention(slot) }),
    },
    {
      name: 'flush-rollups',
      cron: '*/10 * * * *',
      enqueue: (slot) => jobs.add(JOB.flushRollups, {}, { jobId: jobIds.flushRollups(slot) }),
    },
    ...(sweep ? [{ name: 'sweep', cron: '* * * * *', enqueue: () => sweep() }] : []),
  ];
  const running: ScheduledTask[] = [];
  return {
    taskNames: tasks.map((t) => t.name),
    async start() {
      for (const task of tasks) {
        const scheduled = cron.createTask(
          task.cron,
          async (context) => {
            try {
              await task.enqueue(context.date);
            } catch (error) {
              logger.error(
                { task: task.name, err: error },
                'could not enqueue scheduled work; the next slot retries',
              );
            }
          },
          { timezone: 'Etc/UTC', noOverlap: true, name: `ratewatch-${task.name}` },
        );
        scheduled.start();
        running.push(scheduled);
      }
      await jobs.add(JOB.catchUp, {}, { jobId: jobIds.catchUp(now()) });
    },
    async stop() {
      await Promise.all(running.map((task) => task.stop()));
      running.length = 0;
    },
  };
}
