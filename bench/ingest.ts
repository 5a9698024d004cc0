/**
 * `npm run bench:ingest` — ratewatch's real ingest endpoints against a bare node:http + mysql2 baseline doing
 * the same parse and upsert of the same rows, over keep-alive connections, for a few rounds: `POST /v1/counts`
 * in single-minute posts and 1,000-item batches, `POST /v1/api-calls` in 1,000-summary batches, and
 * `POST /v1/api-calls/log` with 10,000 call records a request, as a JSON array and as NDJSON. Prints every run,
 * a table of medians and a PASS/FAIL per floor; exits 1 when a floor fails. See bench/README.md.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { startRatewatch } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createCpuSampler } from './cpu-usage.js';
import { type Baseline, startBaseline } from './ingest-baseline.js';
import { API_COUNT, type LoadJob, type LoadResult, type LoadShape } from './ingest-load.js';
import {
  type PhaseNames,
  printReport,
  printRun,
  printRunHeader,
  type Run,
  type Target,
} from './ingest-report.js';

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
  /** Sources of the API-call summaries, each with API_COUNT APIs: 1,000 API-minutes a minute by default. */
  apiSources: intFromEnv('BENCH_API_SOURCES', 100),
  logRecords: intFromEnv('BENCH_LOG_RECORDS', 10_000),
  logConcurrency: intFromEnv('BENCH_LOG_CONCURRENCY', 4),
  phases: phasesFromEnv(),
  keepDatabase: process.env.BENCH_KEEP_DB === '1',
};

const PHASE_NAMES: PhaseNames = {
  single: 'single-minute',
  batch: `batch of ${settings.batchItems}`,
  'api-batch': `api summaries ×${settings.batchItems}`,
  'log-json': `log JSON ×${settings.logRecords}`,
  'log-ndjson': `log NDJSON ×${settings.logRecords}`,
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
    return printReport(runs, settings.rounds, PHASE_NAMES) ? 0 : 1;
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
    itemsPerRequest: itemsPerRequest(shape),
    concurrency: concurrency ?? concurrencyOf(shape),
    warmupMs: settings.warmupMs,
    measureMs: settings.measureMs,
    sources: shape === 'api-batch' ? settings.apiSources : settings.sources,
    anchorMs,
    minuteOffset,
  });

  // Onboard every source, series and API first (ratewatch creates them on first sight), outside any measurement.
  let primed = 0;
  const priming = (['batch', 'api-batch', 'log-json'] as const).filter((shape) =>
    settings.phases.some((phase) => phase === shape || (shape === 'log-json' && phase === 'log-ndjson')),
  );
  for (const shape of priming.length > 0 ? priming : (['batch'] as const))
    for (const target of ['ratewatch', 'baseline'] as const) {
      const result = await runJob(client, { ...job(target, shape, 1), warmupMs: 0, measureMs: 500 });
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
    for (const shape of settings.phases) {
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
        printRun(run, PHASE_NAMES);
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
      `batches: ${settings.batchConcurrency} keep-alive connections, ${settings.batchItems} minutes a request`,
  );
  console.log(
    `api summaries: ${settings.batchConcurrency} connections, ${settings.batchItems} a request (${settings.apiSources} sources × ${API_COUNT} APIs); ` +
      `logs: ${settings.logConcurrency} connections, ${settings.logRecords} call records a request with an Idempotency-Key\n`,
  );
}

function itemsPerRequest(shape: LoadShape): number {
  if (shape === 'single') return 1;
  return shape.startsWith('log-') ? settings.logRecords : settings.batchItems;
}

function concurrencyOf(shape: LoadShape): number {
  if (shape === 'single') return settings.singleConcurrency;
  return shape.startsWith('log-') ? settings.logConcurrency : settings.batchConcurrency;
}

function phasesFromEnv(): LoadShape[] {
  const all: LoadShape[] = ['single', 'batch', 'api-batch', 'log-json', 'log-ndjson'];
  const raw = process.env.BENCH_PHASES;
  if (raw === undefined || raw === '') return all;
  const asked = raw.split(',').map((phase) => phase.trim());
  const unknown = asked.filter((phase) => !all.includes(phase as LoadShape));
  if (unknown.length > 0)
    throw new Error(`BENCH_PHASES: unknown ${unknown.join(', ')}; the phases are ${all.join(', ')}`);
  return all.filter((phase) => asked.includes(phase));
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
