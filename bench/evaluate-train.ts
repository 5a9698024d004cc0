/**
 * The scheduled training that precedes an hourly run: `train-models` for the run's cut-off, enqueued exactly
 * as the scheduler's train task enqueues it, fanned out into `train-series` batches by the worker processes.
 */
import { Job } from 'bullmq';
import type { RowDataPacket } from 'mysql2';
import { jobIds } from '../src/queue/job-ids.js';
import { createJobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { Queues } from '../src/queue/queues.js';
import type { Pool } from '../src/storage/db.js';
import { findDatabasePid, processCpuMs } from './cpu-usage.js';
import type { WorkerProcess } from './evaluate-workers.js';

export interface TrainFigures {
  readonly seconds: number;
  readonly series: number;
  readonly models: number;
  /** Models with a tree (the rest record "too little history at the cut-off"). */
  readonly trees: number;
  readonly peakMiB: readonly number[];
  /** CPU seconds each worker process used, and the local database server (NaN when it is not local). */
  readonly cpuSeconds: readonly number[];
  readonly dbCpuSeconds: number;
}

export async function trainModels(
  pool: Pool,
  queues: Queues,
  workers: readonly WorkerProcess[],
  cutoff: Date,
  progress: (message: string) => void,
): Promise<TrainFigures> {
  const maintenance = queues.byName.maintenance;
  const dbPid = findDatabasePid();
  const cpuBefore = workers.map((w) => w.cpuMs());
  const dbBefore = dbPid ? processCpuMs(dbPid) : undefined;
  const started = performance.now();
  await createJobQueue(queues).add(
    JOB.trainModels,
    { cutoff: cutoff.toISOString() },
    { jobId: jobIds.trainModels(cutoff) },
  );
  let batches: number | undefined;
  let lastReport = 0;
  for (;;) {
    const counts = await maintenance.getJobCounts('completed', 'failed');
    if ((counts.failed ?? 0) > 0) throw new Error('a training job failed for good; see the worker logs');
    const dead = workers.find((w) => w.exited());
    if (dead) throw new Error(`a worker exited during training; see ${dead.logFile}`);
    batches ??= await fannedOut(queues, cutoff);
    if (batches !== undefined && (counts.completed ?? 0) >= batches + 1) break;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      const done = Math.max(0, (counts.completed ?? 0) - 1);
      progress(
        `training: ${done}/${batches ?? '?'} batches (${((lastReport - started) / 1000).toFixed(0)} s)`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const seconds = (performance.now() - started) / 1000;
  const dbAfter = dbPid ? processCpuMs(dbPid) : undefined;
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT COUNT(*) AS models, COALESCE(SUM(tree IS NOT NULL), 0) AS trees, COUNT(DISTINCT series_id) AS series FROM models',
  );
  const row = rows[0];
  return {
    seconds,
    series: Number(row?.series),
    models: Number(row?.models),
    trees: Number(row?.trees),
    peakMiB: workers.map((w) => w.memory().peakMiB),
    cpuSeconds: workers.map((w, i) => (w.cpuMs() - (cpuBefore[i] ?? 0)) / 1000),
    dbCpuSeconds: dbAfter === undefined || dbBefore === undefined ? Number.NaN : (dbAfter - dbBefore) / 1000,
  };
}

/** The number of train-series batches, once train-models has run. */
async function fannedOut(queues: Queues, cutoff: Date): Promise<number | undefined> {
  const job = await Job.fromId(queues.byName.maintenance, jobIds.trainModels(cutoff));
  if (!job?.finishedOn) return undefined;
  return Number((job.returnvalue as { batches?: number }).batches ?? 0);
}
