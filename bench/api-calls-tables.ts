/**
 * `npx tsx bench/api-calls-tables.ts` — which layout of the API-call minutes measures fastest. The chosen one
 * (migration 006: one wide row per API and minute, keyed by the minute then a 4-byte api id — writes append
 * at one end of the table) against the alternatives considered, on the real server, in the same run:
 *
 * - `api-first`: the same wide row keyed (api id, minute), as minute_counts is (and as first proposed);
 * - `hour-first`: keyed (hour, api id, minute) — an hour's minutes of one API together, for exact rollups;
 * - `named key`: the same wide row keyed (series id, api name, minute) — no api_series table, no id lookup;
 * - `narrow`: one row per non-zero count, keyed (api id, minute, count number) — as counts rejected.
 *
 * For each: fresh rows upserted as posts (replace), the same rows again as log posts (add), the rollup read of
 * the newest hour for every API (the dirty-list query of src/storage/api-call-rollups.ts), of one late minute's
 * hour for one API, one API's minutes over the whole period, and the table's size. BENCH_ROWS (default 600,000)
 * rows of BENCH_APIS (2,000) APIs, in statements of 2,000 rows (src/storage/api-call-writes.ts), the layouts
 * in turns, BENCH_ROUNDS (1) rounds (medians). Creates rw_bench_api_tables and drops it at the end.
 */
import mysql from 'mysql2/promise';
import { API_CALL_COLUMNS } from '../src/storage/api-call-columns.js';
import { apiCalls } from '../src/storage/migrations/006-api-calls.js';

const DATABASE = 'rw_bench_api_tables';
const SERVER = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const ROWS = Number(process.env.BENCH_ROWS ?? 600_000);
const APIS = Number(process.env.BENCH_APIS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const STATEMENT_ROWS = 2000;
const BASE_MS = Date.parse('2026-11-01T00:00:00Z');
const HOUR_MS = 3_600_000;

const minuteCounts = API_CALL_COLUMNS.map((c) => `${c} INT UNSIGNED NOT NULL DEFAULT 0`).join(', ');
const setColumns = (add: boolean) =>
  API_CALL_COLUMNS.map((c) => (add ? `${c} = ${c} + VALUES(${c})` : `${c} = VALUES(${c})`)).join(', ');
const sums = API_CALL_COLUMNS.map((c) => `SUM(${c})`).join(', ');

/** Row i: api 1 + i mod APIS at minute ⌊i / APIS⌋ — every minute holds all APIs, as a live system posts. */
const apiOf = (i: number) => 1 + (i % APIS);
const minuteOf = (i: number) => new Date(BASE_MS + Math.floor(i / APIS) * 60_000);
/** Counts of a plausible minute: calls by class, silent, a histogram — about half of them zero. */
const countsOf = (i: number) =>
  API_CALL_COLUMNS.map((_, c) =>
    c === 0 ? 500 + (i % 97) : c < 6 ? (i + c) % 3 : c < 11 ? (i * c) % 90 : 0,
  );
const hourOf = (minute: Date) => new Date(Math.floor(minute.getTime() / HOUR_MS) * HOUR_MS);
const apiName = (api: number) => `POST /v1/merchants/payments/capture-${api}`;

interface Layout {
  readonly name: string;
  readonly create: readonly string[];
  upsert(rows: number[], add: boolean): [string, unknown[]];
  /** The sums of one hour of the given apis, as the rollup reads them. */
  rollup(hourMs: number, apis: readonly number[]): [string, unknown[]];
  /** One API's minutes over the whole period. */
  history(api: number): [string, unknown[]];
  readonly table: string;
}

const wide = (
  name: string,
  table: string,
  key: string,
  order: (api: number, minute: Date) => unknown[],
): Layout => ({
  name,
  table,
  create: [
    `CREATE TABLE ${table} (api_series_id INT UNSIGNED NOT NULL, minute DATETIME NOT NULL, ${minuteCounts}, PRIMARY KEY (${key}))`,
  ],
  upsert: (rows, add) => [
    `INSERT INTO ${table} (${key}, ${API_CALL_COLUMNS.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${setColumns(add)}`,
    [rows.map((i) => [...order(apiOf(i), minuteOf(i)), ...countsOf(i)])],
  ],
  rollup: (hourMs, apis) => [
    `SELECT api_series_id, ${sums}, COUNT(*) FROM ${table} WHERE minute >= ? AND minute < ? AND api_series_id IN (?) GROUP BY api_series_id`,
    [new Date(hourMs), new Date(hourMs + HOUR_MS), apis],
  ],
  history: (api) => [`SELECT * FROM ${table} WHERE api_series_id = ? ORDER BY minute`, [api]],
});

const LAYOUTS: readonly Layout[] = [
  {
    ...wide('chosen: (minute, api id)', 'api_call_minutes', 'minute, api_series_id', (api, minute) => [
      minute,
      api,
    ]),
    create: apiCalls.statements as readonly string[],
  },
  wide('api-first: (api id, minute)', 'alt_api_first', 'api_series_id, minute', (api, minute) => [
    api,
    minute,
  ]),
  {
    name: 'hour-first: (hour, api id, minute)',
    table: 'alt_hour_first',
    create: [
      `CREATE TABLE alt_hour_first (hour_start DATETIME NOT NULL, api_series_id INT UNSIGNED NOT NULL, minute DATETIME NOT NULL,
       ${minuteCounts}, PRIMARY KEY (hour_start, api_series_id, minute))`,
    ],
    upsert: (rows, add) => [
      `INSERT INTO alt_hour_first (hour_start, api_series_id, minute, ${API_CALL_COLUMNS.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${setColumns(add)}`,
      [
        rows
          .map((i) => [hourOf(minuteOf(i)), apiOf(i), minuteOf(i), ...countsOf(i)])
          .sort(
            (a, b) =>
              Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]),
          ),
      ],
    ],
    rollup: (hourMs, apis) => [
      `SELECT api_series_id, ${sums}, COUNT(*) FROM alt_hour_first WHERE hour_start = ? AND api_series_id IN (?) GROUP BY api_series_id`,
      [new Date(hourMs), apis],
    ],
    history: (api) => ['SELECT * FROM alt_hour_first WHERE api_series_id = ? ORDER BY minute', [api]],
  },
  {
    name: 'named key: (series, api, minute)',
    table: 'alt_named',
    create: [
      `CREATE TABLE alt_named (series_id INT UNSIGNED NOT NULL, api VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
       minute DATETIME NOT NULL, ${minuteCounts}, PRIMARY KEY (series_id, api, minute))`,
    ],
    upsert: (rows, add) => [
      `INSERT INTO alt_named (series_id, api, minute, ${API_CALL_COLUMNS.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${setColumns(add)}`,
      [rows.map((i) => [1, apiName(apiOf(i)), minuteOf(i), ...countsOf(i)])],
    ],
    rollup: (hourMs, apis) => [
      `SELECT api, ${sums}, COUNT(*) FROM alt_named WHERE minute >= ? AND minute < ? AND series_id = 1 AND api IN (?) GROUP BY api`,
      [new Date(hourMs), new Date(hourMs + HOUR_MS), apis.map(apiName)],
    ],
    history: (api) => [
      'SELECT * FROM alt_named WHERE series_id = 1 AND api = ? ORDER BY minute',
      [apiName(api)],
    ],
  },
  {
    name: 'narrow: a row per count',
    table: 'alt_narrow',
    create: [
      `CREATE TABLE alt_narrow (api_series_id INT UNSIGNED NOT NULL, minute DATETIME NOT NULL, k TINYINT UNSIGNED NOT NULL,
       n INT UNSIGNED NOT NULL, PRIMARY KEY (api_series_id, minute, k))`,
    ],
    upsert: (rows, add) => [
      `INSERT INTO alt_narrow (api_series_id, minute, k, n) VALUES ? ON DUPLICATE KEY UPDATE n = ${add ? 'n + ' : ''}VALUES(n)`,
      [rows.flatMap((i) => countsOf(i).flatMap((n, k) => (n > 0 ? [[apiOf(i), minuteOf(i), k, n]] : [])))],
    ],
    rollup: (hourMs, apis) => [
      'SELECT api_series_id, k, SUM(n), COUNT(*) FROM alt_narrow WHERE minute >= ? AND minute < ? AND api_series_id IN (?) GROUP BY api_series_id, k',
      [new Date(hourMs), new Date(hourMs + HOUR_MS), apis],
    ],
    history: (api) => ['SELECT * FROM alt_narrow WHERE api_series_id = ? ORDER BY minute, k', [api]],
  },
];

interface Figures {
  insert: number;
  add: number;
  rollupAll: number;
  rollupOne: number;
  history: number;
  mib: number;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

async function writeAll(pool: mysql.Pool, layout: Layout, add: boolean): Promise<number> {
  const seconds = await timed(async () => {
    for (let from = 0; from < ROWS; from += STATEMENT_ROWS) {
      const rows = Array.from({ length: Math.min(STATEMENT_ROWS, ROWS - from) }, (_, k) => from + k);
      const [sql, values] = layout.upsert(rows, add);
      await pool.query(sql, values);
    }
  });
  return ROWS / seconds;
}

async function measure(pool: mysql.Pool, layout: Layout): Promise<Figures> {
  for (const statement of layout.create) await pool.query(statement.replace('IF NOT EXISTS ', ''));
  const insert = await writeAll(pool, layout, false);
  const add = await writeAll(pool, layout, true);
  const lastHour =
    Math.floor((BASE_MS + Math.floor((ROWS - 1) / APIS) * 60_000) / HOUR_MS) * HOUR_MS - HOUR_MS;
  const allApis = Array.from({ length: APIS }, (_, k) => k + 1);
  const rollupAll = await timed(() => pool.query(...layout.rollup(lastHour, allApis)));
  const rollupOne = await timed(() => pool.query(...layout.rollup(lastHour, [APIS >> 1])));
  const history = await timed(() => pool.query(...layout.history(APIS >> 1)));
  await pool.query(`ANALYZE TABLE ${layout.table}`);
  const [[size]] = await pool.query<mysql.RowDataPacket[]>(
    'SELECT data_length + index_length AS bytes FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
    [DATABASE, layout.table],
  );
  for (const table of [
    layout.table,
    ...(layout.table === 'api_call_minutes'
      ? ['api_series', 'api_call_hours', 'api_rollup_dirty', 'api_call_batches']
      : []),
  ])
    await pool.query(`DROP TABLE ${table}`);
  return { insert, add, rollupAll, rollupOne, history, mib: Number(size?.bytes) / 2 ** 20 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function main(): Promise<void> {
  const admin = await mysql.createConnection({ uri: SERVER });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const pool = mysql.createPool({
    uri: `${SERVER.replace(/\/$/, '')}/${DATABASE}`,
    connectionLimit: 2,
    timezone: 'Z',
  });
  try {
    process.stdout.write(
      `${ROWS.toLocaleString('en-US')} rows: ${APIS} APIs × ${Math.ceil(ROWS / APIS)} minutes, ${ROUNDS} round(s)\n`,
    );
    const results = new Map<string, Figures[]>(LAYOUTS.map((l) => [l.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? LAYOUTS : [...LAYOUTS].reverse();
      for (const layout of order) results.get(layout.name)?.push(await measure(pool, layout));
    }
    const header = [
      'layout',
      'insert rows/s',
      'add rows/s',
      `rollup ${APIS} APIs`,
      'rollup 1 API',
      '1 API history',
      'MiB',
    ];
    process.stdout.write(
      `${header[0]?.padEnd(34)}${header
        .slice(1)
        .map((h) => h.padStart(15))
        .join('')}\n`,
    );
    for (const layout of LAYOUTS) {
      const runs = results.get(layout.name) ?? [];
      const of = (key: keyof Figures) => median(runs.map((r) => r[key]));
      const cells = [
        Math.round(of('insert')).toLocaleString('en-US'),
        Math.round(of('add')).toLocaleString('en-US'),
        `${(of('rollupAll') * 1000).toFixed(0)} ms`,
        `${(of('rollupOne') * 1000).toFixed(1)} ms`,
        `${(of('history') * 1000).toFixed(1)} ms`,
        of('mib').toFixed(0),
      ];
      process.stdout.write(`${layout.name.padEnd(34)}${cells.map((c) => c.padStart(18)).join('')}\n`);
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.end();
  }
}

await main();
