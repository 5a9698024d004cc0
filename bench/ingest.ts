/**
 * `npm run bench:ingest` — ratewatch's real `POST /v1/counts` against a bare node:http + mysql2 baseline doing
 * the same parse and upsert of the same rows, in single-minute posts and 1,000-item batches, over keep-alive
 * connections, for a few rounds. Prints every run, a table of medians and a PASS/FAIL per floor; exits 1 when
 * a floor fails. See bench/README.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { startRatewatch } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createCpuSampler } from './cpu-usage.js';
import { type Baseline, startBaseline } from './ingest-baseline.js';
import type { LoadJob, LoadResult, LoadShape } from './ingest-load.js';
import { printReport, printRun, printRunHeader, type Run, type Target } from './ingest-report.js';

const DATABASE = 'rw_bench_ingest';
const TOKEN = 'bench-ingest-token-0123456789';

const settings = {
  /** MySQL server (no database in the path); the benchmark creates and drops its own database on it. */
  mysqlServerUrl: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  rounds: intFromEnv('BENCH_ROUNDS', 3),
  measureMs: intFromEnv('BENCH_SECONDS', 8) * 1000,
  warmupMs: intFromEnv('BENCH_WARMUP_SECONDS', 2) * 1000,
  singleConcurrency: intFromEnv('BENCH_CONCURRENCY', 64),
  batchConcurrency: intFromEnv('BENCH_BATCH_CONCURRENCY', 8),
  batchItems: 1000,
  sources: intFromEnv('BENCH_SOURCES', 1000),
  keepDatabase: process.env.BENCH_KEEP_DB === '1',
};

async function main(): Promise<number> {
  const databaseUrl = await createFreshDatabase();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    MYSQL_URL: databaseUrl,
    REDIS_URL: settings.redisUrl,
    INGEST_TOKEN: TOKEN,
    ROLES: 'web',
  });
  const ratewatch = await startRatewatch(config, { logger: createLogger({ level: 'silent' }) });
  let baseline: Baseline | undefined;
  const client = startLoadClient();
  try {
    baseline = await startBaseline({
      mysqlUrl: databaseUrl,
      connectionLimit: config.mysqlPoolSize,
      token: TOKEN,
    });
    printSetup(config.mysqlPoolSize);
    const runs = await runRounds(client, { ratewatch: ratewatch.url as string, baseline: baseline.url });
    return printReport(runs, settings.rounds, settings.batchItems) ? 0 : 1;
  } finally {
    client.kill();
    await baseline?.close();
    await ratewatch.close();
    if (!settings.keepDatabase) await serverQuery(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  }
}

async function runRounds(client: ChildProcess, urls: Record<Target, string>): Promise<Run[]> {
  // Rows go back in time from a few minutes ago; each phase gets minutes that no earlier phase used, and
  // both targets of a phase post the very same rows (each into its own table).
  const anchorMs = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
  let minuteOffset = 0;
  const job = (target: Target, shape: LoadShape, concurrency?: number): LoadJob => ({
    url: urls[target],
    token: TOKEN,
    shape,
    itemsPerRequest: shape === 'single' ? 1 : settings.batchItems,
    concurrency: concurrency ?? (shape === 'single' ? settings.singleConcurrency : settings.batchConcurrency),
    warmupMs: settings.warmupMs,
    measureMs: settings.measureMs,
    sources: settings.sources,
    anchorMs,
    minuteOffset,
  });

  // Onboard every source first (ratewatch creates sources and series on first sight), outside any measurement.
  let primed = 0;
  for (const target of ['ratewatch', 'baseline'] as const) {
    const result = await runJob(client, { ...job(target, 'batch', 1), warmupMs: 0, measureMs: 500 });
    if (result.errors > 0) throw new Error(`priming ${target} failed: ${result.firstError}`);
    primed = Math.max(primed, result.minutesUsed);
  }
  minuteOffset += primed;

  const sampleCpu = createCpuSampler();
  const runs: Run[] = [];
  printRunHeader();
  for (let round = 1; round <= settings.rounds; round++) {
    // Alternate who goes first, so a drift in the machine's speed does not always favour the same one.
    const order: Target[] = round % 2 === 1 ? ['ratewatch', 'baseline'] : ['baseline', 'ratewatch'];
    for (const shape of ['single', 'batch'] as const) {
      let used = 0;
      for (const target of order) {
        const before = sampleCpu();
        const result = await runJob(client, job(target, shape));
        const after = sampleCpu();
        const per1k = (ms: number | undefined) =>
          ms === undefined ? Number.NaN : (ms * 1000) / result.itemsStored;
        const run: Run = {
          round,
          shape,
          target,
          result,
          appCpuMsPer1k: per1k(after.appMs - before.appMs),
          dbCpuMsPer1k: per1k(
            after.dbMs === undefined || before.dbMs === undefined ? undefined : after.dbMs - before.dbMs,
          ),
        };
        runs.push(run);
        printRun(run, settings.batchItems);
        used = Math.max(used, result.minutesUsed);
      }
      minuteOffset += used;
      if (minuteOffset > 30 * 24 * 60) throw new Error('ran out of minutes inside the 35-day retention');
    }
  }
  return runs;
}

function printSetup(poolSize: number): void {
  console.log(
    `bench:ingest — ${settings.rounds} rounds; each run ${settings.warmupMs / 1000} s warm-up + ${settings.measureMs / 1000} s measured; ` +
      `${settings.sources} sources; a MySQL pool of ${poolSize} connections for each server`,
  );
  console.log(
    `single-minute: ${settings.singleConcurrency} keep-alive connections, 1 minute a request; ` +
      `batches: ${settings.batchConcurrency} keep-alive connections, ${settings.batchItems} minutes a request\n`,
  );
}

function startLoadClient(): ChildProcess {
  // fork() passes on tsx's loader flags (process.execArgv), so the client runs from TypeScript too.
  const child = fork(fileURLToPath(new URL('./ingest-load.ts', import.meta.url)), { stdio: 'inherit' });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`load client exited with ${code}`);
  });
  return child;
}

function runJob(client: ChildProcess, job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const onExit = () => reject(new Error('load client exited'));
    client.once('message', (message: { result?: LoadResult; error?: string }) => {
      client.off('exit', onExit);
      if (message.result) resolve(message.result);
      else reject(new Error(`load client failed: ${message.error}`));
    });
    client.once('exit', onExit);
    client.send(job);
  });
}

async function createFreshDatabase(): Promise<string> {
  await serverQuery(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await serverQuery(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const url = new URL(settings.mysqlServerUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function serverQuery(sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: settings.mysqlServerUrl });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench:ingest failed: ${error.stack ?? error.message}`);
    process.exit(2);
  },
);
