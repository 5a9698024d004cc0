/**
 * `npm run bench:evaluate` — one hourly run and one tick at scale: 10,000 sources with four weeks of hourly history, the
 * scheduled training, then for each round the bare SQL reads of the same data (the baseline) and one run end
 * to end with two real worker processes (enqueue → fan-out → evaluate → findings/alerts → finish-hour).
 * Prints setup figures, one line per round, the phases, and PASS/FAIL per floor; exits 1 when a floor fails,
 * 2 when the benchmark itself fails. See bench/README.md.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { modelCutoff } from '../src/detection/schedule.js';
import { DEFAULT_DETECTION } from '../src/detection/settings.js';
import { SERIES_PER_BATCH } from '../src/evaluation/hour-run.js';
import { READ_SERIES } from '../src/evaluation/series-context.js';
import { createQueueConnection } from '../src/queue/connection.js';
import { floorHour, previousHour } from '../src/queue/job-ids.js';
import { createQueues, type Queues } from '../src/queue/queues.js';
import { CONCURRENCY } from '../src/queue/workers.js';
import { createPool, type Pool } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { createSourceStore } from '../src/storage/sources.js';
import { type ProfileSummary, summarizeProfile } from './cpu-profile-summary.js';
import { measureBaseline } from './evaluate-baseline.js';
import {
  printPhases,
  printProfile,
  printRound,
  printRoundHeader,
  printVerdict,
  type Round,
} from './evaluate-report.js';
import { resetRound, snapshotAlerts } from './evaluate-reset.js';
import { runHour } from './evaluate-run.js';
import { type SeedFigures, seedDatabase } from './evaluate-seed.js';
import {
  printTick,
  printTickVerdict,
  runTick,
  seedTickMinutes,
  type TickFigures,
  tickInstantOf,
} from './evaluate-tick.js';
import { type TrainFigures, trainModels } from './evaluate-train.js';
import { startWorker, stopAllWorkers, type WorkerProcess } from './evaluate-workers.js';

const DATABASE = 'rw_bench_evaluate';
const DAY_MS = 86_400_000;
const REPO = fileURLToPath(new URL('..', import.meta.url));

const settings = {
  mysqlServerUrl: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  sources: intFromEnv('BENCH_SOURCES', 10_000),
  rounds: intFromEnv('BENCH_ROUNDS', 3),
  workers: intFromEnv('BENCH_WORKERS', 2),
  seed: intFromEnv('BENCH_SEED', 1),
  incidentPercent: percentFromEnv('BENCH_INCIDENT_PERCENT', 1.5),
  timeoutMs: intFromEnv('BENCH_TIMEOUT_SECONDS', 900) * 1000,
  bufferPoolMiB: process.env.BENCH_BUFFER_POOL_MB ? intFromEnv('BENCH_BUFFER_POOL_MB', 128) : undefined,
  cpuProfDir: process.env.BENCH_CPU_PROF || undefined,
  keepDatabase: process.env.BENCH_KEEP_DB === '1' || process.env.BENCH_REUSE_DB === '1',
  /** Development aid: run the rounds on the database a BENCH_KEEP_DB=1 run left, skipping setup. */
  reuseDatabase: process.env.BENCH_REUSE_DB === '1',
};
/** Retraining period of the workers (MODEL_RETRAIN_HOURS is left at its default). */
const RETRAIN_HOURS = 24;
/** Days of history the default detection settings look back (as hourRunDeps' activeDays). */
const LOOK_BACK_DAYS = Math.max(DEFAULT_DETECTION.historyDays, DEFAULT_DETECTION.tree.trainingDays);

const progress = (message: string) => process.stderr.write(`[bench:evaluate] ${message}\n`);
const queuePrefixBase = `rwbench-eval-${process.pid}`;
const usedPrefixes: string[] = [];
const logFiles: string[] = [];
let restoreBufferPool: (() => Promise<void>) | undefined;

async function main(): Promise<number> {
  const bufferPool = await configureBufferPool();
  const reuse = settings.reuseDatabase && (await databaseExists());
  const databaseUrl = reuse ? databaseUrlOf() : await createFreshDatabase();
  const pool = createPool({ url: databaseUrl, connectionLimit: 20 });
  const connection = createQueueConnection(settings.redisUrl);
  try {
    await migrate(pool);
    const hourStart = reuse ? await evaluatedHourOf(pool) : previousHour(new Date());
    const cutoff = new Date(modelCutoff(hourStart.getTime(), RETRAIN_HOURS));
    // What forEachSeriesContext reads: back from the earlier of the hour and the training cut-off.
    const fromMs = Math.min(hourStart.getTime(), cutoff.getTime()) - LOOK_BACK_DAYS * DAY_MS;
    progress(`evaluated hour ${hourStart.toISOString()}, training cut-off ${cutoff.toISOString()}`);
    const window = {
      seed: settings.seed,
      sources: settings.sources,
      historyFromMs: fromMs,
      hourStartMs: hourStart.getTime(),
      incidentPercent: settings.incidentPercent,
    };
    if (reuse) {
      console.log(`bench:evaluate — reusing ${DATABASE} (BENCH_REUSE_DB=1): setup skipped\n`);
    } else {
      const seeded = await seedDatabase(pool, window, progress);
      const trained = await withWorkers(connection, databaseUrl, 'train', (queues, workers) =>
        trainModels(pool, queues, workers, cutoff, progress),
      );
      progress(`trained ${trained.models} models in ${trained.seconds.toFixed(0)} s`);
      await snapshotAlerts(pool);
      printSetup(seeded, trained, hourStart, bufferPool);
    }

    const tickAt = tickInstantOf(hourStart);
    const tickStarted = performance.now();
    const tickRows = await seedTickMinutes(pool, window, tickAt);
    console.log(
      `  minutes of the next hour to the tick   ${((performance.now() - tickStarted) / 1000).toFixed(1).padStart(7)} s  ` +
        `${tickRows} rows before the tick at ${tickAt.toISOString()}\n`,
    );
    const ticks: TickFigures[] = [];
    const seriesIds = (
      await createSourceStore(pool).listActiveSeries(new Date(hourStart.getTime() - LOOK_BACK_DAYS * DAY_MS))
    ).map((s) => s.id);
    const rounds: Round[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      await resetRound(pool, hourStart.getTime());
      const baselineWindow = {
        seriesIds,
        batchSize: SERIES_PER_BATCH,
        sliceSize: READ_SERIES,
        inFlight: settings.workers * CONCURRENCY.evaluation,
        fromMs,
        hourStartMs: hourStart.getTime(),
        cutoffMs: cutoff.getTime(),
      };
      // Alternate which goes first, so neither always finds the caches warmed by the other.
      const baselineFirst = round % 2 === 1;
      const baseline1 = baselineFirst ? await baselineOf(pool, baselineWindow, round) : undefined;
      progress(`round ${round}: the hourly run`);
      const run = await withWorkers(connection, databaseUrl, `r${round}`, (queues, workers) =>
        runHour({ pool, queues, workers, hourStart, timeoutMs: settings.timeoutMs }),
      );
      const baseline = baseline1 ?? (await baselineOf(pool, baselineWindow, round));
      rounds.push({ round, baseline, run });
      // The tick of the next hour, on fresh workers (so their peak RSS is the tick's), against the bands this
      // round's hourly run stored.
      progress(`round ${round}: one tick`);
      ticks.push(
        await withWorkers(connection, databaseUrl, `t${round}`, (queues, workers) =>
          runTick({ pool, queues, workers, at: tickAt, timeoutMs: settings.timeoutMs }),
        ),
      );
      if (round === 1) printRoundHeader();
      printRound({ round, baseline, run });
    }
    console.log('');
    for (const [index, tick] of ticks.entries())
      printTick(index + 1, tick, rounds[index]?.run.wallSeconds ?? Number.NaN);
    for (const round of rounds) printPhases(round);
    for (const { label, summary } of profiles) printProfile(label, summary);
    const hourlyOk = printVerdict(rounds);
    return printTickVerdict(ticks) && hourlyOk ? 0 : 1;
  } finally {
    await connection.quit().catch(() => connection.disconnect());
    await pool.end();
  }
}

async function baselineOf(pool: Pool, window: Parameters<typeof measureBaseline>[1], round: number) {
  progress(`round ${round}: baseline reads`);
  return measureBaseline(pool, window);
}

/**
 * Starts the worker processes on a fresh queue prefix, waits until they all listen, runs `work`, then stops them
 * and obliterates the prefix's queues.
 */
async function withWorkers<T>(
  connection: Redis,
  databaseUrl: string,
  label: string,
  work: (queues: Queues, workers: WorkerProcess[]) => Promise<T>,
): Promise<T> {
  const prefix = `${queuePrefixBase}-${label}`;
  usedPrefixes.push(prefix);
  const queues = createQueues(connection, prefix);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ROLES: 'worker',
    MYSQL_URL: databaseUrl,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
  const workers: WorkerProcess[] = [];
  try {
    for (let n = 1; n <= settings.workers; n++) {
      const logFile = join(tmpdir(), `${prefix}-worker${n}.log`);
      logFiles.push(logFile);
      workers.push(await startWorker({ cwd: REPO, env, logFile, cpuProfDir: settings.cpuProfDir }));
    }
    await waitForWorkers(queues, workers);
    return await work(queues, workers);
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await obliterate(queues);
    await queues.close();
    if (settings.cpuProfDir) collectProfiles(settings.cpuProfDir, label, workers);
  }
}

async function waitForWorkers(queues: Queues, workers: readonly WorkerProcess[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await queues.byName.evaluation.getWorkersCount()) < workers.length) {
    const dead = workers.find((w) => w.exited());
    if (dead) throw new Error(`a worker exited during start-up; see ${dead.logFile}`);
    if (Date.now() > deadline) throw new Error('the workers did not connect to Redis within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function obliterate(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues.byName).map((queue) => queue.obliterate({ force: true })));
}

function printSetup(seeded: SeedFigures, trained: TrainFigures, hourStart: Date, bufferPool: string): void {
  const s = seeded.seconds;
  console.log(
    `bench:evaluate — ${seeded.series} sources (one series each), evaluated hour ${hourStart.toISOString()}; ` +
      `${settings.workers} worker processes × evaluation concurrency ${CONCURRENCY.evaluation}; ` +
      `innodb_buffer_pool_size ${bufferPool}\n`,
  );
  console.log('setup (not timed as part of the run)');
  const line = (what: string, seconds: number, detail: string) =>
    console.log(`  ${what.padEnd(34)} ${seconds.toFixed(1).padStart(7)} s  ${detail}`);
  line(
    'sources and series',
    s.sources,
    `${seeded.series} (${seeded.joinedLate} joined during the window, ${seeded.silent} went silent)`,
  );
  line(
    'hourly history',
    s.history,
    `${seeded.hourRows} rows, ${(seeded.hourRows / s.history).toFixed(0)} rows/s`,
  );
  line(
    'minutes of the evaluated hour',
    s.minutes,
    `${seeded.minuteRows} rows; ${seeded.incidents} sources with an incident in it`,
  );
  line(
    'past findings, alerts, runs',
    s.alerts,
    `${seeded.findings} findings, ${seeded.alerts} alerts (${seeded.openAlerts} open)`,
  );
  line(
    'train-models (the real job)',
    trained.seconds,
    `${trained.models} models for ${trained.series} series (${trained.trees} trees), ${(trained.series / trained.seconds).toFixed(0)} series/s`,
  );
  const each = (values: readonly number[]) => values.map((v) => v.toFixed(0)).join(' / ');
  console.log(
    `${' '.repeat(47)}workers: peak RSS ${each(trained.peakMiB)} MiB, CPU ${each(trained.cpuSeconds)} s; ` +
      `database CPU ${trained.dbCpuSeconds.toFixed(0)} s`,
  );
  console.log('');
}

/** Summaries of the workers' CPU profiles (BENCH_CPU_PROF), printed after the rounds. */
const profiles: { label: string; summary: ProfileSummary }[] = [];

function collectProfiles(dir: string, label: string, workers: readonly WorkerProcess[]): void {
  const files = readdirSync(dir);
  for (const [n, worker] of workers.entries()) {
    // The main thread's profile is CPU.<date>.<time>.<pid>.0.<seq>.cpuprofile (thread 1 is tsx's loader).
    const file = files.find((f) => f.includes(`.${worker.pid}.0.`));
    if (file)
      profiles.push({ label: `${label}, worker ${n + 1}`, summary: summarizeProfile(join(dir, file)) });
  }
}

/** Sets the buffer pool for the benchmark when asked (restored afterwards); returns the size in use. */
async function configureBufferPool(): Promise<string> {
  const [rows] = await serverQuery<{ size: number }[]>('SELECT @@innodb_buffer_pool_size AS size');
  const original = Number(rows[0]?.size);
  if (settings.bufferPoolMiB === undefined)
    return `${(original / 2 ** 20).toFixed(0)} MiB (the server's own)`;
  await resizeBufferPool(settings.bufferPoolMiB * 2 ** 20);
  restoreBufferPool = () => resizeBufferPool(original);
  return `${settings.bufferPoolMiB} MiB (set for this benchmark; ${(original / 2 ** 20).toFixed(0)} MiB restored after)`;
}

async function resizeBufferPool(bytes: number): Promise<void> {
  await serverQuery(`SET GLOBAL innodb_buffer_pool_size = ${Math.round(bytes)}`);
  // Resizing runs in the background; its status reads "Completed …" (or stays empty) when done.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [status] = await serverQuery<{ Value: string }[]>(
      "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'",
    );
    const value = status[0]?.Value ?? '';
    if (value === '' || /completed/i.test(value)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function createFreshDatabase(): Promise<string> {
  await serverQuery(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await serverQuery(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  return databaseUrlOf();
}

function databaseUrlOf(): string {
  const url = new URL(settings.mysqlServerUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function databaseExists(): Promise<boolean> {
  const [rows] = await serverQuery<unknown[]>(`SHOW DATABASES LIKE '${DATABASE}'`);
  return rows.length > 0;
}

/** The hour a kept database was seeded to evaluate: the one its minutes belong to. */
async function evaluatedHourOf(pool: Pool): Promise<Date> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT MIN(minute) AS first FROM minute_counts');
  const first = rows[0]?.first as Date | null | undefined;
  if (!first) throw new Error(`${DATABASE} holds no minutes: run without BENCH_REUSE_DB first`);
  return floorHour(first);
}

async function serverQuery<T = unknown>(sql: string): Promise<[T, unknown]> {
  const connection = await mysql.createConnection({ uri: settings.mysqlServerUrl });
  try {
    return (await connection.query(sql)) as unknown as [T, unknown];
  } finally {
    await connection.end();
  }
}

/** Stops workers, obliterates every queue prefix used, restores the buffer pool, drops the database. */
async function cleanUp(ok: boolean): Promise<void> {
  await stopAllWorkers().catch(() => undefined);
  if (usedPrefixes.length > 0) {
    const connection = createQueueConnection(settings.redisUrl);
    for (const prefix of usedPrefixes) {
      const queues = createQueues(connection, prefix);
      await obliterate(queues).catch(() => undefined);
      await queues.close().catch(() => undefined);
    }
    connection.disconnect();
  }
  await restoreBufferPool?.().catch((error: Error) =>
    progress(`could not restore the buffer pool: ${error.message}`),
  );
  if (!settings.keepDatabase)
    await serverQuery(`DROP DATABASE IF EXISTS \`${DATABASE}\``).catch(() => undefined);
  if (ok) for (const file of logFiles) rmSync(file, { force: true });
  else if (logFiles.length > 0) progress(`worker logs kept: ${logFiles.join(' ')}`);
}

function percentFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value >= 0 && value <= 100)) throw new Error(`${name} must be a percentage from 0 to 100`);
  return value;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
}

let finishing = false;
const finish = async (code: number) => {
  if (finishing) return;
  finishing = true;
  await cleanUp(code !== 2);
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    progress(`${signal}: stopping the workers and cleaning up`);
    void finish(130);
  });
}
main().then(
  (code) => finish(code),
  (error: Error) => {
    console.error(`bench:evaluate failed: ${error.stack ?? error.message}`);
    void finish(2);
  },
);
