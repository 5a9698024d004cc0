/**
 * Puts the benchmark database back where a round starts: the alerts as seeding and training left them, no
 * findings and no run for the evaluated hour, and its rollup marked dirty again. Each round then evaluates the
 * same hour from the same state.
 */
import type { Pool } from '../src/storage/db.js';
import { markEvaluatedHourDirty } from './evaluate-seed.js';

/** Tables a run changes (beyond findings of its hour and its run row), children after parents. */
const SNAPSHOT_TABLES = ['alerts', 'alert_events'] as const;

export async function snapshotAlerts(pool: Pool): Promise<void> {
  for (const table of SNAPSHOT_TABLES) {
    await pool.query(`CREATE TABLE bench_snapshot_${table} LIKE ${table}`);
    await pool.query(`INSERT INTO bench_snapshot_${table} SELECT * FROM ${table}`);
  }
}

export async function resetRound(pool: Pool, hourStartMs: number): Promise<void> {
  const hour = new Date(hourStartMs);
  await pool.query('DELETE FROM findings WHERE hour_start = ?', [hour]);
  await pool.query('DELETE FROM evaluation_runs WHERE hour_start = ?', [hour]);
  for (const table of [...SNAPSHOT_TABLES].reverse()) await pool.query(`DELETE FROM ${table}`);
  for (const table of SNAPSHOT_TABLES)
    await pool.query(`INSERT INTO ${table} SELECT * FROM bench_snapshot_${table}`);
  await markEvaluatedHourDirty(pool, hourStartMs);
}
