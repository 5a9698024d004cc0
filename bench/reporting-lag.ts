/**
 * `npm run bench:reporting-lag`: what `ratewatch_source_reporting_lag_seconds` costs MySQL when it is read — the
 * real `lastReportedMinutes()` over 10,000 series with two hours of minutes each (1.2 million rows), 5 reads,
 * each time printed, against a plain `COUNT(*)` of the same table for scale. Creates and drops its own database.
 */
import { createPool, ensureDatabase } from '../src/storage/db.js';
import { migrate } from '../src/storage/migrate.js';
import { createSourceStore } from '../src/storage/sources.js';

const SERIES = 10_000;
const MINUTES = 120;
const url = `${(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/').replace(/\/$/, '')}/rw_bench_lag`;

async function main(): Promise<void> {
  await ensureDatabase(url);
  const pool = createPool({ url });
  try {
    await migrate(pool);
    const ids = Array.from({ length: SERIES }, (_, i) => i + 1);
    await pool.query('INSERT IGNORE INTO sources (id, name, onboarded_via) VALUES ?', [
      ids.map((id) => [id, `lag-${id}`, 'cli']),
    ]);
    await pool.query('INSERT IGNORE INTO series (id, source_id, environment) VALUES ?', [
      ids.map((id) => [id, id, 'production']),
    ]);
    const start = Date.parse('2026-11-15T00:00:00Z');
    for (let first = 1; first <= SERIES; first += 500) {
      const rows = ids
        .slice(first - 1, first + 499)
        .flatMap((id) => Array.from({ length: MINUTES }, (_, m) => [id, new Date(start + m * 60_000), 5]));
      await pool.query('INSERT IGNORE INTO minute_counts (series_id, minute, n0) VALUES ?', [rows]);
    }
    const sources = createSourceStore(pool);
    for (let round = 1; round <= 5; round++) {
      const began = performance.now();
      const lags = await sources.lastReportedMinutes();
      const ms = performance.now() - began;
      const counted = performance.now();
      await pool.query('SELECT COUNT(*) FROM minute_counts');
      const countMs = performance.now() - counted;
      process.stdout.write(
        `round ${round}: ${lags.length} series read in ${ms.toFixed(0)} ms (COUNT(*) of the table: ${countMs.toFixed(0)} ms)\n`,
      );
    }
  } finally {
    await pool.query('DROP DATABASE IF EXISTS rw_bench_lag');
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
