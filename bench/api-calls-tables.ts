/**
 * `npx tsx bench/api-calls-tables.ts` — the proposed API-calls minute table (one wide row per API and
 * minute; see src/api-calls/README.md) against a table shaped like minute_counts, in the same run: fresh
 * multi-row upserts that replace (posts), then the same rows again as upserts that add (log posts, imports).
 * Creates the database rw_bench_api_tables and drops it at the end. BENCH_ROWS (default 140,000) rows in
 * statements of 7,000 (stack-facts); prints rows/s per phase, the median of BENCH_ROUNDS (3) rounds.
 */
import mysql from 'mysql2/promise';

const DATABASE = 'rw_bench_api_tables';
const SERVER = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const ROWS = Number(process.env.BENCH_ROWS ?? 140_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STATEMENT_ROWS = 7_000;
const COUNT_COLUMNS = Array.from({ length: 12 }, (_, slot) => `n${slot}`);

/** The proposed columns of an API minute (and hour): the CSV's counts, in its order. */
const API_CALL_COLUMNS = [
  'calls_2xx',
  'calls_3xx',
  'calls_4xx',
  'calls_5xx',
  'calls_timeout',
  'silent_failures',
  ...['25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', 'inf'].map((bound) => `le_${bound}`),
];
const minuteColumns = API_CALL_COLUMNS.map((c) => `${c} INT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ');
const hourColumns = API_CALL_COLUMNS.map((c) => `${c} BIGINT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ');

/** The DDL proposed in src/api-calls/README.md (for the migration of issue 13's wiring), checked here on the server. */
const API_CALL_TABLES = [
  `CREATE TABLE api_series (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  series_id INT UNSIGNED NOT NULL,
  api VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_api_series_api (series_id, api)
)`,
  `CREATE TABLE api_call_minutes (
  api_series_id INT UNSIGNED NOT NULL,
  minute DATETIME NOT NULL,
  ${minuteColumns},
  PRIMARY KEY (api_series_id, minute)
)`,
  `CREATE TABLE api_call_hours (
  api_series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  ${hourColumns},
  minutes_reported TINYINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (api_series_id, hour_start)
)`,
  `CREATE TABLE api_rollup_dirty (
  api_series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  PRIMARY KEY (api_series_id, hour_start)
)`,
  `CREATE TABLE api_call_batches (
  batch_key CHAR(44) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  source_id INT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_api_call_batches_created (created_at)
)`,
];

const COUNTS_TABLE = `CREATE TABLE bench_minute_counts (
  series_id INT UNSIGNED NOT NULL,
  minute DATETIME NOT NULL,
  ${COUNT_COLUMNS.map((c) => `${c} INT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (series_id, minute)
)`;

function upsert(table: string, key: string, columns: readonly string[], add: boolean): string {
  const set = columns.map((c) => (add ? `${c} = ${c} + VALUES(${c})` : `${c} = VALUES(${c})`)).join(', ');
  return `INSERT INTO ${table} (${key}, minute, ${columns.join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${set}`;
}

async function timeRows(
  pool: mysql.Pool,
  sql: string,
  values: (i: number) => number[],
  round: number,
): Promise<number> {
  const base = Date.parse('2026-11-01T00:00:00Z') + round * 86_400_000 * 7;
  const started = performance.now();
  for (let from = 0; from < ROWS; from += STATEMENT_ROWS) {
    const rows = [];
    for (let i = from; i < Math.min(ROWS, from + STATEMENT_ROWS); i++)
      rows.push([1 + (i % 1000), new Date(base + Math.floor(i / 1000) * 60_000), ...values(i)]);
    await pool.query(sql, [rows]);
  }
  return ROWS / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const admin = await mysql.createConnection({ uri: SERVER });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const pool = mysql.createPool({
    uri: `${SERVER.replace(/\/$/, '')}/${DATABASE}`,
    connectionLimit: 2,
    timezone: 'Z',
  });
  try {
    for (const statement of [...API_CALL_TABLES, COUNTS_TABLE]) await pool.query(statement);
    const phases = [
      ['counts-shaped, replace', upsert('bench_minute_counts', 'series_id', COUNT_COLUMNS, false), 12],
      [
        'api_call_minutes, replace (posts)',
        upsert('api_call_minutes', 'api_series_id', API_CALL_COLUMNS, false),
        16,
      ],
      [
        'api_call_minutes, add (logs)',
        upsert('api_call_minutes', 'api_series_id', API_CALL_COLUMNS, true),
        16,
      ],
    ] as const;
    const rates = new Map<string, number[]>(phases.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, sql, width] of phases)
        rates
          .get(name)
          ?.push(
            await timeRows(pool, sql, (i) => Array.from({ length: width }, (_, c) => (i + c) % 50), round),
          );
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const counts = median(rates.get(phases[0][0]) ?? []);
    for (const [name] of phases) {
      const rate = median(rates.get(name) ?? []);
      process.stdout.write(
        `${name.padEnd(36)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} rows/s  ${(rate / counts).toFixed(2)}× counts\n`,
      );
    }
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
    await admin.end();
  }
}

await main();
