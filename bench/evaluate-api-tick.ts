/**
 * `npm run bench:api-tick` — what the tick's API batches cost (issue 13), in one process as
 * `evaluate --at` runs them: BENCH_APIS APIs (10 per service) with four weeks of hourly rollups, the minutes of
 * the evaluated hour and of the next one up to its :50 tick (one API in 50 with a 5xx step from :07). Times the
 * hourly run of the APIs (which trains their trees, as the first hour past a cut-off does, and stores their
 * bands) and then the :50 tick twice (the second finds its findings recorded). A fresh database
 * `rw_bench_api_tick` on BENCH_MYSQL_URL; Redis for the notification queue. See bench/README.md.
 */
import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { alertServiceFor, hourRunDeps, openQueues } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { evaluateApiBatch } from '../src/evaluation/evaluate-api-batch.js';
import { prepareApiBatches } from '../src/evaluation/hour-run.js';
import { evaluateTickBatch, prepareTick } from '../src/evaluation/tick-run.js';
import { createLogger } from '../src/logger.js';
import { API_CALL_COLUMNS } from '../src/storage/api-call-columns.js';
import { openStorage, type Storage } from '../src/storage/open-storage.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DATABASE = 'rw_bench_api_tick';
const SERVER = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const APIS = Number(process.env.BENCH_APIS ?? 1000);
const COLUMNS = API_CALL_COLUMNS.join(', ');
/** The evaluated hour: the one before the last whole hour, so its next hour's :50 tick is in the past. */
const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
const tickAt = new Date(hour + HOUR_MS + 50 * MINUTE_MS);

/** An hour's or a minute's counts in API_CALL_COLUMNS order: 0.2 % 5xx (+ `extra5xx`), 2 % 4xx, p99 < 500 ms. */
function counts(calls: number, extra5xx: number): number[] {
  const c5xx = Math.round(calls * 0.002) + extra5xx;
  const c4xx = Math.round(calls * 0.02);
  const c2xx = calls - c5xx - c4xx;
  const latency = [0, 0.1, 0.5, 0.3, 0.095, 0.005, 0, 0, 0, 0].map((share) => Math.floor(calls * share));
  latency[2] = (latency[2] ?? 0) + calls - latency.reduce((a, b) => a + b, 0);
  return [c2xx, 0, c4xx, c5xx, 0, Math.round(c2xx * 0.001), ...latency];
}

/** Calls an hour: 3,000 by day, 300 at night (UTC), with a little hour-to-hour variation. */
const callsAt = (hourStart: number) =>
  (new Date(hourStart).getUTCHours() >= 7 && new Date(hourStart).getUTCHours() < 22 ? 3000 : 300) +
  ((hourStart / HOUR_MS) % 7) * 10;

async function seed(storage: Storage): Promise<number[]> {
  const services = Math.ceil(APIS / 10);
  for (let i = 0; i < services; i++)
    await storage.sources.addSource({
      name: `svc-${i}`,
      defaultEnvironment: 'production',
      tokenHash: `h${i}`,
    });
  const sources = await storage.sources.findByNames(Array.from({ length: services }, (_, i) => `svc-${i}`));
  const series = await storage.sources.ensureSeries(
    sources.map((s) => ({ sourceId: s.id, environment: 'production' })),
  );
  const pairs = series.flatMap((s) =>
    Array.from({ length: 10 }, (_, k) => ({ seriesId: s.id, api: `GET /v1/r${k}` })),
  );
  const ids = (await storage.apiCalls.ensureApiSeries(pairs.slice(0, APIS))).map((a) => a.id);
  const from = hour - 28 * 24 * HOUR_MS;
  for (const id of ids) {
    const rows: unknown[][] = [];
    for (let h = from; h < hour; h += HOUR_MS) rows.push([id, new Date(h), ...counts(callsAt(h), 0), 60]);
    await storage.pool.query(
      `INSERT INTO api_call_hours (api_series_id, hour_start, ${COLUMNS}, minutes_reported) VALUES ?`,
      [rows],
    );
  }
  for (let block = hour; block < tickAt.getTime(); block += 10 * MINUTE_MS) {
    const rows: unknown[][] = [];
    for (let minute = block; minute < block + 10 * MINUTE_MS; minute += MINUTE_MS) {
      const perMinute = Math.round(callsAt(Math.floor(minute / HOUR_MS) * HOUR_MS) / 60);
      for (const id of ids) {
        const step =
          id % 50 === 0 && minute >= hour + HOUR_MS + 7 * MINUTE_MS ? Math.ceil(perMinute / 10) : 0;
        rows.push([new Date(minute), id, ...counts(perMinute, step)]);
      }
    }
    await storage.pool.query(`INSERT INTO api_call_minutes (minute, api_series_id, ${COLUMNS}) VALUES ?`, [
      rows,
    ]);
  }
  return ids;
}

async function main(): Promise<void> {
  const server = await mysql.createConnection(SERVER);
  await server.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await server.end();
  const config = loadConfig({
    ...{ MYSQL_URL: `${SERVER.replace(/\/$/, '')}/${DATABASE}`, LOG_LEVEL: 'silent' },
    ...{ INGEST_TOKEN: 'bench-ingest-token-0123456789', API_TOKEN: 'bench-api-token-0123456789' },
    QUEUE_PREFIX: `rwbench-apitick-${process.pid}`,
  });
  const storage = await openStorage(config);
  const now = () => new Date();
  const clients = openQueues(config, storage.deliveries, { logger: createLogger({ level: 'silent' }), now });
  try {
    let started = performance.now();
    const ids = await seed(storage);
    console.log(`seeded ${ids.length} APIs (4 weeks of rollups, 110 minutes) in ${seconds(started)} s`);
    const deps = hourRunDeps(
      config,
      storage,
      undefined,
      alertServiceFor(config, storage, clients.notifications, now),
    );
    const hourStart = new Date(hour);
    await storage.runs.start(hourStart, 'cli', new Date());
    started = performance.now();
    let cpu = process.cpuUsage();
    for (const batch of await prepareApiBatches(deps, hourStart))
      await evaluateApiBatch(deps, batch, hourStart, new Date());
    const [[stored]] = await storage.pool.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM api_bands WHERE hour_start = ?',
      [new Date(hour + HOUR_MS)],
    );
    console.log(
      `hourly run of the APIs (trees trained, bands stored): ${seconds(started)} s, CPU ${cpuSeconds(cpu)} s; ${stored?.n} bands`,
    );
    await storage.apiCalls.flushRollups();
    for (const round of [1, 2]) {
      started = performance.now();
      cpu = process.cpuUsage();
      let findings = 0;
      let apis = 0;
      for (const batch of await prepareTick(deps, tickAt)) {
        findings += (await evaluateTickBatch(deps, batch, tickAt, new Date())).findings.length;
        apis += batch.apis?.length ?? 0;
      }
      const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
      console.log(
        `tick ${round} at ${tickAt.toISOString()}: ${seconds(started)} s, ${apis} APIs, CPU ${cpuSeconds(cpu)} s, ${findings} findings, RSS ${rss} MiB`,
      );
    }
  } finally {
    // The alert changes it queued for notification go with its queues, and the database with its rows.
    await Promise.all(Object.values(clients.queues.byName).map((queue) => queue.obliterate({ force: true })));
    await clients.close();
    await storage.pool.query(`DROP DATABASE ${DATABASE}`);
    await storage.close();
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);
function cpuSeconds(since: NodeJS.CpuUsage): string {
  const used = process.cpuUsage(since);
  return ((used.user + used.system) / 1e6).toFixed(2);
}

await main();
