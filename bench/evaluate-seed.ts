/**
 * Writes the state the timed run starts from, straight into the tables (not through ingest): sources and
 * series, four weeks of hourly rollups, the evaluated hour's minutes (its rollup stale and marked dirty, as the
 * last minutes arrive after the :00 flush), and the findings, alerts and finished runs of the past hours.
 */
import type { RowDataPacket } from 'mysql2';
import type { Pool } from '../src/storage/db.js';
import { type AlertingHour, writeFindingsAndAlerts } from './evaluate-alerts-seed.js';
import { createBulkInserter, createDatetimeText } from './evaluate-bulk.js';
import {
  type BenchSeries,
  type BenchWindow,
  evaluatedMinutes,
  historyHours,
  planSeries,
} from './evaluate-traffic.js';

const HOUR_MS = 3_600_000;
const SLOTS = 12;
const SLOT_LIST = Array.from({ length: SLOTS }, (_, slot) => `n${slot}`).join(', ');
/** Minutes of the evaluated hour already rolled up by the flush at :50 (the rest arrive later). */
const FLUSHED_MINUTES = 50;

export interface SeedFigures {
  readonly series: number;
  readonly hourRows: number;
  readonly minuteRows: number;
  readonly findings: number;
  readonly alerts: number;
  readonly openAlerts: number;
  readonly incidents: number;
  readonly silent: number;
  readonly joinedLate: number;
  /** Seconds each step took. */
  readonly seconds: { sources: number; history: number; minutes: number; alerts: number };
}

export type Progress = (message: string) => void;

/** Fills a migrated, empty database. Returns what it wrote. */
export async function seedDatabase(
  pool: Pool,
  window: BenchWindow,
  progress: Progress,
): Promise<SeedFigures> {
  let mark = performance.now();
  const lap = () => {
    const seconds = (performance.now() - mark) / 1000;
    mark = performance.now();
    return seconds;
  };
  const plan = planSeries(window);
  const ids = await insertSources(pool, plan);
  const sources = lap();
  progress(`${plan.length} sources and series (${sources.toFixed(1)} s)`);
  const { hourRows, alerting } = await insertHistory(pool, plan, ids, window, progress);
  const history = lap();
  progress(`${hourRows} hourly rows (${history.toFixed(1)} s)`);
  const minuteRows = await insertEvaluatedHour(pool, plan, ids, window);
  const minutes = lap();
  progress(`${minuteRows} minutes of the evaluated hour (${minutes.toFixed(1)} s)`);
  const alerts = await writeFindingsAndAlerts(pool, alerting, window);
  const alertSeconds = lap();
  progress(`${alerts.findings} findings, ${alerts.alerts} alerts, past runs (${alertSeconds.toFixed(1)} s)`);
  return {
    seconds: { sources, history, minutes, alerts: alertSeconds },
    series: plan.length,
    hourRows,
    minuteRows,
    ...alerts,
    incidents: plan.filter((s) => s.incident && s.endMs > window.hourStartMs).length,
    silent: plan.filter((s) => s.endMs <= window.hourStartMs).length,
    joinedLate: plan.filter((s) => s.firstHourMs > window.historyFromMs).length,
  };
}

/** Sources (with no token, as `sources add` would leave them after rotation) and one production series each. */
async function insertSources(pool: Pool, plan: readonly BenchSeries[]): Promise<number[]> {
  for (let i = 0; i < plan.length; i += 2000) {
    const rows = plan.slice(i, i + 2000).map((s) => [s.name, 'production', 1, 'cli']);
    await pool.query('INSERT INTO sources (name, default_environment, catalog_id, onboarded_via) VALUES ?', [
      rows,
    ]);
  }
  await pool.query(
    "INSERT INTO series (source_id, environment) SELECT id, 'production' FROM sources ORDER BY id",
  );
  const [rows] = await pool.query<RowDataPacket[]>(
    'SELECT s.id, o.name FROM series s JOIN sources o ON o.id = s.source_id',
  );
  const byName = new Map(rows.map((row) => [row.name as string, row.id as number]));
  return plan.map((s) => byName.get(s.name) as number);
}

async function insertHistory(
  pool: Pool,
  plan: readonly BenchSeries[],
  ids: readonly number[],
  window: BenchWindow,
  progress: Progress,
): Promise<{ hourRows: number; alerting: AlertingHour[] }> {
  const inserter = createBulkInserter(
    pool,
    `INSERT INTO hourly_counts (series_id, hour_start, ${SLOT_LIST}, minutes_reported) VALUES`,
  );
  const datetime = createDatetimeText();
  const alerting: AlertingHour[] = [];
  const started = performance.now();
  for (const [index, series] of plan.entries()) {
    const seriesId = ids[index] as number;
    const tuples: string[] = [];
    historyHours(series, window, (row) => {
      tuples.push(`(${seriesId},'${datetime(row.hourMs)}',${slotText(row.slots)},${row.minutes})`);
      if (row.episode) alerting.push({ seriesId, source: series.name, row, episode: row.episode });
    });
    await inserter.add(tuples);
    if ((index + 1) % 1000 === 0) {
      const seconds = (performance.now() - started) / 1000;
      progress(`hourly history: ${index + 1}/${plan.length} series (${seconds.toFixed(0)} s)`);
    }
  }
  return { hourRows: await inserter.finish(), alerting };
}

/**
 * The evaluated hour's minutes; its rollup holds only the minutes flushed at :50 and is marked dirty, so the
 * run's rollup flush recomputes it from the minutes, as it would at :02 in production.
 */
async function insertEvaluatedHour(
  pool: Pool,
  plan: readonly BenchSeries[],
  ids: readonly number[],
  window: BenchWindow,
): Promise<number> {
  const minutes = createBulkInserter(
    pool,
    `INSERT INTO minute_counts (series_id, minute, ${SLOT_LIST}) VALUES`,
  );
  const stale = createBulkInserter(
    pool,
    `INSERT INTO hourly_counts (series_id, hour_start, ${SLOT_LIST}, minutes_reported) VALUES`,
  );
  const datetime = createDatetimeText();
  const hour = datetime(window.hourStartMs);
  for (const [index, series] of plan.entries()) {
    const seriesId = ids[index] as number;
    const tuples: string[] = [];
    const sums = new Array<number>(7).fill(0);
    let flushed = 0;
    evaluatedMinutes(series, window, (minuteMs, slots) => {
      tuples.push(`(${seriesId},'${datetime(minuteMs)}',${slotText(slots)})`);
      if (minuteMs < window.hourStartMs + FLUSHED_MINUTES * 60_000) {
        slots.forEach((count, slot) => {
          sums[slot] = (sums[slot] ?? 0) + count;
        });
        flushed++;
      }
    });
    await minutes.add(tuples);
    if (flushed > 0) await stale.add([`(${seriesId},'${hour}',${slotText(sums)},${flushed})`]);
  }
  await stale.finish();
  const inserted = await minutes.finish();
  await markEvaluatedHourDirty(pool, window.hourStartMs);
  return inserted;
}

/** Marks the evaluated hour of every series with minutes in it for re-rollup (also before each round). */
export async function markEvaluatedHourDirty(pool: Pool, hourStartMs: number): Promise<void> {
  const from = new Date(hourStartMs);
  await pool.query(
    `INSERT IGNORE INTO rollup_dirty (series_id, hour_start)
     SELECT DISTINCT series_id, ? FROM minute_counts WHERE minute >= ? AND minute < ?`,
    [from, from, new Date(hourStartMs + HOUR_MS)],
  );
}

/** Counts of the 7 catalog slots, then zeros up to the 12 slot columns. */
function slotText(slots: readonly number[]): string {
  let text = String(slots[0] ?? 0);
  for (let slot = 1; slot < SLOTS; slot++) text += `,${slots[slot] ?? 0}`;
  return text;
}
