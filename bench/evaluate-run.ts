/**
 * One hourly run of bench/evaluate.ts, end to end: worker processes started and connected, `evaluate-hour`
 * enqueued exactly as the scheduler enqueues it, and the clock stopped when the run's row in evaluation_runs
 * says 'done' (its finished_at, written by finish-hour). Also: what each phase took, from BullMQ's job times.
 */
import { Job, type Queue } from 'bullmq';
import type { RowDataPacket } from 'mysql2';
import { jobIds } from '../src/queue/job-ids.js';
import { createJobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { Queues } from '../src/queue/queues.js';
import type { Pool } from '../src/storage/db.js';
import { findDatabasePid, processCpuMs } from './cpu-usage.js';
import type { WorkerProcess } from './evaluate-workers.js';

export interface RunFigures {
  /** From enqueueing evaluate-hour to the run recorded done. */
  readonly wallSeconds: number;
  readonly series: number;
  readonly findings: number;
  /** Alerts the hour's findings opened or merged into, and how many of them it opened. */
  readonly alertsRaised: number;
  readonly alertsOpened: number;
  /** Trees the run had to train itself (0 when the scheduled training ran, as here). */
  readonly treesTrained: number;
  /** Per worker: resident memory when the run started (idle, connected) and at its peak, and CPU it used. */
  readonly workers: readonly { pid: number; startMiB: number; peakMiB: number; cpuSeconds: number }[];
  /** CPU seconds of the local database server during the run (NaN when it is not local). */
  readonly dbCpuSeconds: number;
  readonly phases: Phases;
  /** Job attempts that failed (and were retried) during the run. */
  readonly failedAttempts: number;
}

/** Seconds, from BullMQ's job times. */
export interface Phases {
  /** Enqueue → a worker took evaluate-hour. */
  readonly pickup: number;
  /** evaluate-hour itself: run row, rollup flush, active series, the flow added. */
  readonly fanOut: number;
  /** First batch started → last batch finished. */
  readonly batches: number;
  readonly batchCount: number;
  readonly batchMedian: number;
  readonly batchMax: number;
  /** Sum of all batches' durations (batch-seconds; divided by the slots, what the batches would take ideally). */
  readonly batchSum: number;
  /** Last batch finished → the run recorded done (by finish-hour). */
  readonly finish: number;
}

export interface RunContext {
  readonly pool: Pool;
  readonly queues: Queues;
  readonly workers: readonly WorkerProcess[];
  readonly hourStart: Date;
  readonly timeoutMs: number;
}

export async function runHour(context: RunContext): Promise<RunFigures> {
  const { pool, queues, workers, hourStart } = context;
  const evaluation = queues.byName.evaluation;
  const alertsBefore = await scalar(pool, 'SELECT COALESCE(MAX(id), 0) AS v FROM alerts', []);
  const modelsBefore = await scalar(pool, 'SELECT COUNT(*) AS v FROM models', []);
  const dbPid = findDatabasePid();
  const cpuBefore = workers.map((w) => w.cpuMs());
  const startMiB = workers.map((w) => w.memory().currentMiB);
  const dbBefore = dbPid ? processCpuMs(dbPid) : undefined;

  const enqueuedAt = Date.now();
  // Exactly what the scheduler's evaluate task adds (src/queue/scheduler.ts).
  await createJobQueue(queues).add(
    JOB.evaluateHour,
    { hourStart: hourStart.toISOString(), trigger: 'schedule' },
    { jobId: jobIds.evaluateHour(hourStart) },
  );
  const finishedAt = await waitUntilDone(context);
  const dbAfter = dbPid ? processCpuMs(dbPid) : undefined;
  const workerFigures = workers.map((w, i) => ({
    pid: w.pid,
    startMiB: startMiB[i] ?? Number.NaN,
    peakMiB: w.memory().peakMiB,
    cpuSeconds: (w.cpuMs() - (cpuBefore[i] ?? 0)) / 1000,
  }));
  const [run] = (
    await pool.query<RowDataPacket[]>(
      'SELECT series_total, findings FROM evaluation_runs WHERE hour_start = ?',
      [hourStart],
    )
  )[0];
  return {
    wallSeconds: (finishedAt - enqueuedAt) / 1000,
    series: Number(run?.series_total),
    findings: Number(run?.findings),
    alertsRaised: await scalar(
      pool,
      'SELECT COUNT(DISTINCT alert_id) AS v FROM findings WHERE hour_start = ? AND alert_id IS NOT NULL',
      [hourStart],
    ),
    alertsOpened: await scalar(pool, 'SELECT COUNT(*) AS v FROM alerts WHERE id > ?', [alertsBefore]),
    treesTrained: (await scalar(pool, 'SELECT COUNT(*) AS v FROM models', [])) - modelsBefore,
    workers: workerFigures,
    dbCpuSeconds: dbAfter === undefined || dbBefore === undefined ? Number.NaN : (dbAfter - dbBefore) / 1000,
    phases: await phasesOf(evaluation, hourStart, enqueuedAt, finishedAt),
    failedAttempts: await failedAttempts(evaluation),
  };
}

/** Polls the run's row until it is done; returns its finished_at (epoch ms). Fails if a worker dies or time runs out. */
async function waitUntilDone(context: RunContext): Promise<number> {
  const deadline = Date.now() + context.timeoutMs;
  for (;;) {
    const [rows] = await context.pool.query<RowDataPacket[]>(
      'SELECT status, finished_at FROM evaluation_runs WHERE hour_start = ?',
      [context.hourStart],
    );
    const row = rows[0];
    if (row?.status === 'done') return (row.finished_at as Date).getTime();
    const dead = context.workers.find((w) => w.exited());
    if (dead) throw new Error(`a worker exited during the run; see ${dead.logFile}`);
    if (Date.now() > deadline)
      throw new Error(`the run was not done after ${context.timeoutMs / 1000} s (BENCH_TIMEOUT_SECONDS)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function phasesOf(
  queue: Queue,
  hourStart: Date,
  enqueuedAt: number,
  finishedAt: number,
): Promise<Phases> {
  const parent = await Job.fromId(queue, jobIds.evaluateHour(hourStart));
  const batchCount = Number((parent?.returnvalue as { batches?: number } | undefined)?.batches ?? 0);
  const batches = (
    await Promise.all(
      Array.from({ length: batchCount }, (_, n) => Job.fromId(queue, jobIds.evaluateSeries(hourStart, n))),
    )
  ).filter((job): job is Job => job !== undefined);
  const starts = batches.map((b) => b.processedOn ?? Number.NaN);
  const ends = batches.map((b) => b.finishedOn ?? Number.NaN);
  const durations = batches
    .map((b) => ((b.finishedOn ?? 0) - (b.processedOn ?? 0)) / 1000)
    .sort((a, b) => a - b);
  const lastEnd = Math.max(...ends);
  return {
    pickup: ((parent?.processedOn ?? Number.NaN) - enqueuedAt) / 1000,
    fanOut: ((parent?.finishedOn ?? Number.NaN) - (parent?.processedOn ?? Number.NaN)) / 1000,
    batches: (lastEnd - Math.min(...starts)) / 1000,
    batchCount,
    batchMedian: durations[Math.floor(durations.length / 2)] ?? Number.NaN,
    batchMax: durations[durations.length - 1] ?? Number.NaN,
    batchSum: durations.reduce((a, b) => a + b, 0),
    finish: (finishedAt - lastEnd) / 1000,
  };
}

async function failedAttempts(queue: Queue): Promise<number> {
  const jobs = await queue.getJobs(['completed', 'failed'], 0, -1);
  // Each failed attempt leaves its stack trace on the job (retried or not).
  return jobs.reduce((n, job) => n + (job.stacktrace?.length ?? 0), 0);
}

async function scalar(pool: Pool, sql: string, params: unknown[]): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(sql, params);
  return Number(rows[0]?.v ?? 0);
}
