/**
 * One tick of bench/evaluate.ts at scale: the minutes of the hour after the evaluated one up to the tick (written
 * straight into minute_counts, from the same traffic model), then `evaluate-tick` enqueued exactly as the
 * scheduler enqueues it, on fresh worker processes, and the clock stopped when its finish-tick job completes.
 * The bands it reads are the ones the round's hourly run stored for that hour.
 */
import { Job } from 'bullmq';
import type { RowDataPacket } from 'mysql2';
import { jobIds } from '../src/queue/job-ids.js';
import { createJobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { Queues } from '../src/queue/queues.js';
import type { Pool } from '../src/storage/db.js';
import { findDatabasePid, processCpuMs } from './cpu-usage.js';
import { createBulkInserter, createDatetimeText } from './evaluate-bulk.js';
import { type BenchWindow, evaluatedMinutes, planSeries } from './evaluate-traffic.js';
import type { WorkerProcess } from './evaluate-workers.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const SLOTS = 12;
const SLOT_LIST = Array.from({ length: SLOTS }, (_, slot) => `n${slot}`).join(', ');
/** The tick measured: :50, the last of the hour at the default cadence, whose windows hold the most minutes. */
export const TICK_MINUTE = 50;

export interface TickFigures {
  readonly at: Date;
  /** From enqueueing evaluate-tick to its finish-tick job completed. */
  readonly wallSeconds: number;
  readonly series: number;
  readonly findings: number;
  readonly batches: number;
  /** Bands the tick had to compute itself (0 when the hourly run stored them, as here). */
  readonly bandsComputed: number;
  readonly workers: readonly { pid: number; startMiB: number; peakMiB: number; cpuSeconds: number }[];
  readonly dbCpuSeconds: number;
}

/** The tick instant measured: :50 of the hour after the evaluated one. */
export function tickInstantOf(hourStart: Date): Date {
  return new Date(hourStart.getTime() + HOUR_MS + TICK_MINUTE * MINUTE_MS);
}

/** Writes the minutes of the tick's hour before the tick (replacing any a kept database holds). Returns the rows. */
export async function seedTickMinutes(pool: Pool, window: BenchWindow, at: Date): Promise<number> {
  const tickHourMs = window.hourStartMs + HOUR_MS;
  await pool.query('DELETE FROM minute_counts WHERE minute >= ? AND minute < ?', [
    new Date(tickHourMs),
    new Date(tickHourMs + HOUR_MS),
  ]);
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT s.id, o.name FROM series s JOIN sources o ON o.id = s.source_id',
  );
  const idOf = new Map(rows.map((row) => [String(row.name), Number(row.id)]));
  const minutes = createBulkInserter(
    pool,
    `INSERT INTO minute_counts (series_id, minute, ${SLOT_LIST}) VALUES`,
  );
  const datetime = createDatetimeText();
  const tickWindow = { ...window, hourStartMs: tickHourMs };
  for (const planned of planSeries(window)) {
    const seriesId = idOf.get(planned.name);
    if (seriesId === undefined) continue;
    // A series still posting at the end of the evaluated hour posts on through the next (its incident too).
    const live = planned.endMs >= tickHourMs;
    const series = live ? { ...planned, endMs: tickHourMs + HOUR_MS } : planned;
    const tuples: string[] = [];
    evaluatedMinutes(series, tickWindow, (minuteMs, slots) => {
      if (minuteMs >= at.getTime()) return;
      let text = String(slots[0] ?? 0);
      for (let slot = 1; slot < SLOTS; slot++) text += `,${slots[slot] ?? 0}`;
      tuples.push(`(${seriesId},'${datetime(minuteMs)}',${text})`);
    });
    await minutes.add(tuples);
  }
  return minutes.finish();
}

export interface TickContext {
  readonly pool: Pool;
  readonly queues: Queues;
  readonly workers: readonly WorkerProcess[];
  readonly at: Date;
  readonly timeoutMs: number;
}

/** Runs the tick end to end; its findings (and the alerts they opened) are removed by the next round's reset. */
export async function runTick(context: TickContext): Promise<TickFigures> {
  const { pool, queues, workers, at } = context;
  const tickHour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  await pool.query('DELETE FROM findings WHERE hour_start = ?', [tickHour]);
  const dbPid = findDatabasePid();
  const cpuBefore = workers.map((w) => w.cpuMs());
  const startMiB = workers.map((w) => w.memory().currentMiB);
  const dbBefore = dbPid ? processCpuMs(dbPid) : undefined;
  const enqueuedAt = Date.now();
  // Exactly what the scheduler's tick task adds (src/queue/scheduler.ts).
  await createJobQueue(queues).add(
    JOB.evaluateTick,
    { at: at.toISOString() },
    { jobId: jobIds.evaluateTick(at) },
  );
  const finish = await waitUntilFinished(context);
  const dbAfter = dbPid ? processCpuMs(dbPid) : undefined;
  const totals = finish.returnvalue as { series?: number; findings?: number } | undefined;
  const parent = await Job.fromId(queues.byName.evaluation, jobIds.evaluateTick(at));
  const batches = Number((parent?.returnvalue as { batches?: number } | undefined)?.batches ?? 0);
  const children = await Promise.all(
    Array.from({ length: batches }, (_, n) =>
      Job.fromId(queues.byName.evaluation, jobIds.evaluateTickSeries(at, n)),
    ),
  );
  return {
    at,
    wallSeconds: ((finish.finishedOn ?? Date.now()) - enqueuedAt) / 1000,
    series: Number(totals?.series ?? 0),
    findings: Number(totals?.findings ?? 0),
    batches,
    bandsComputed: children.reduce(
      (n, job) =>
        n + Number((job?.returnvalue as { bandsComputed?: number } | undefined)?.bandsComputed ?? 0),
      0,
    ),
    workers: workers.map((w, i) => ({
      pid: w.pid,
      startMiB: startMiB[i] ?? Number.NaN,
      peakMiB: w.memory().peakMiB,
      cpuSeconds: (w.cpuMs() - (cpuBefore[i] ?? 0)) / 1000,
    })),
    dbCpuSeconds: dbAfter === undefined || dbBefore === undefined ? Number.NaN : (dbAfter - dbBefore) / 1000,
  };
}

async function waitUntilFinished(context: TickContext): Promise<Job> {
  const deadline = Date.now() + context.timeoutMs;
  for (;;) {
    const job = await Job.fromId(context.queues.byName.evaluation, jobIds.finishTick(context.at));
    if (job && (await job.isCompleted())) return job;
    if (job && (await job.isFailed())) throw new Error(`the tick failed: ${job.failedReason}`);
    const dead = context.workers.find((w) => w.exited());
    if (dead) throw new Error(`a worker exited during the tick; see ${dead.logFile}`);
    if (Date.now() > deadline)
      throw new Error(`the tick was not done after ${context.timeoutMs / 1000} s (BENCH_TIMEOUT_SECONDS)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The floors of one tick at 10,000 sources (issue 10): 30 s, under 500 MB per worker process. */
export const TICK_FLOORS = { wallSeconds: 30, peakMiB: 500 } as const;

export function printTick(round: number, tick: TickFigures, hourSeconds: number): void {
  const each = (values: readonly number[]) => values.map((v) => v.toFixed(0)).join(' / ');
  console.log(
    `tick  ${String(round).padStart(2)}  at ${tick.at.toISOString()}: ${tick.wallSeconds.toFixed(1)} s, ` +
      `${tick.series} series in ${tick.batches} batches, ${tick.findings} findings, ` +
      `${tick.bandsComputed} bands computed; peak RSS ${each(tick.workers.map((w) => w.peakMiB))} MiB ` +
      `(at start ${each(tick.workers.map((w) => w.startMiB))}); worker CPU ${each(tick.workers.map((w) => w.cpuSeconds))} s; ` +
      `db CPU ${Number.isFinite(tick.dbCpuSeconds) ? tick.dbCpuSeconds.toFixed(0) : '-'} s; ` +
      `tick/hourly run ${(tick.wallSeconds / hourSeconds).toFixed(2)}x (${hourSeconds.toFixed(1)} s)`,
  );
}

/** Prints the verdict of the tick's floors; returns whether both hold. */
export function printTickVerdict(ticks: readonly TickFigures[]): boolean {
  if (ticks.length === 0) return true;
  const slowest = Math.max(...ticks.map((t) => t.wallSeconds));
  const highest = Math.max(...ticks.flatMap((t) => t.workers.map((w) => w.peakMiB)));
  const timeOk = slowest <= TICK_FLOORS.wallSeconds;
  const memoryOk = highest < TICK_FLOORS.peakMiB;
  console.log(
    `${timeOk ? 'PASS' : 'FAIL'}  one tick: slowest ${slowest.toFixed(1)} s (floor ${TICK_FLOORS.wallSeconds} s; ` +
      `per round ${ticks.map((t) => t.wallSeconds.toFixed(1)).join(', ')})`,
  );
  console.log(
    `${memoryOk ? 'PASS' : 'FAIL'}  tick memory: highest peak RSS of a worker ${highest.toFixed(0)} MiB ` +
      `(floor < ${TICK_FLOORS.peakMiB} MiB)`,
  );
  return timeOk && memoryOk;
}
