/**
 * The baseline of bench/evaluate.ts: only reading the data an hourly run reads, with the same driver settings
 * (src/storage/db.ts's pool) and nothing done with the rows. The SELECTs mirror those of the stores that
 * forEachSeriesContext calls (src/storage/counts.ts, findings.ts, models.ts): keep them in step.
 */
import type { RowDataPacket } from 'mysql2';
import type { Pool } from '../src/storage/db.js';

const HOUR_MS = 3_600_000;
const SLOT_COLUMNS = Array.from({ length: 12 }, (_, slot) => `n${slot}`);
const SLOT_LIST = SLOT_COLUMNS.join(', ');
const SLOT_SUMS = SLOT_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ');

export interface BaselineWindow {
  /** Series in the order the run batches them (listActiveSeries: by id). */
  readonly seriesIds: readonly number[];
  readonly batchSize: number;
  /** Series a job reads at once within its batch (READ_SERIES). */
  readonly sliceSize: number;
  /** Batches read at once in the "all reads" variant: the run's parallelism (workers × concurrency). */
  readonly inFlight: number;
  readonly fromMs: number;
  readonly hourStartMs: number;
  readonly cutoffMs: number;
}

export interface BaselineFigures {
  /** One streamed SELECT of every series' history over the window. */
  readonly stream: Timed;
  /** The history query of each batch, one batch after another. */
  readonly batchHistory: Timed;
  /**
   * What the jobs read, as they read it: each batch slice by slice, the five reads of a slice (history, blocks,
   * alerting hours, trees, first hours) at once, `inFlight` batches at a time.
   */
  readonly batchAll: Timed;
}

export interface Timed {
  readonly seconds: number;
  readonly rows: number;
}

export async function measureBaseline(pool: Pool, window: BaselineWindow): Promise<BaselineFigures> {
  const stream = await timed(() => streamHistory(pool, window));
  const batches = batchesOf(window);
  const batchHistory = await timed(async () => {
    let rows = 0;
    for (const ids of batches) rows += await readHistory(pool, ids, window);
    return rows;
  });
  const batchAll = await timed(async () => {
    let rows = 0;
    let next = 0;
    const lane = async () => {
      while (next < batches.length) {
        const batch = batches[next++] as number[];
        for (let first = 0; first < batch.length; first += window.sliceSize)
          rows += await readAll(pool, batch.slice(first, first + window.sliceSize), window);
      }
    };
    await Promise.all(Array.from({ length: window.inFlight }, lane));
    return rows;
  });
  return { stream, batchHistory, batchAll };
}

async function timed(work: () => Promise<number>): Promise<Timed> {
  const started = performance.now();
  const rows = await work();
  return { seconds: (performance.now() - started) / 1000, rows };
}

async function streamHistory(pool: Pool, window: BaselineWindow): Promise<number> {
  // The callback pool under the promise one (same connections and session settings) can stream rows.
  const stream = pool.pool
    .query(
      `SELECT series_id, TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', hour_start), ${SLOT_LIST}, minutes_reported
       FROM hourly_counts WHERE hour_start >= ? AND hour_start < ?`,
      [new Date(window.fromMs), new Date(window.hourStartMs)],
    )
    .stream();
  let rows = 0;
  for await (const _row of stream) rows++;
  return rows;
}

function batchesOf(window: BaselineWindow): number[][] {
  const batches: number[][] = [];
  for (let i = 0; i < window.seriesIds.length; i += window.batchSize)
    batches.push(window.seriesIds.slice(i, i + window.batchSize));
  return batches;
}

async function readHistory(pool: Pool, ids: readonly number[], window: BaselineWindow): Promise<number> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT series_id, TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', hour_start), ${SLOT_LIST}, minutes_reported
     FROM hourly_counts WHERE series_id IN (?) AND hour_start >= ? AND hour_start < ?
     ORDER BY series_id, hour_start`,
    [ids, new Date(window.fromMs), new Date(window.hourStartMs)],
  );
  return rows.length;
}

/** The five reads forEachSeriesContext makes for one slice, at once as it makes them. */
async function readAll(pool: Pool, ids: readonly number[], window: BaselineWindow): Promise<number> {
  const from = new Date(window.fromMs);
  const hour = new Date(window.hourStartMs);
  const select = async (sql: string, params: unknown[]) =>
    (await pool.query<RowDataPacket[]>(sql, params))[0].length;
  const counts = await Promise.all([
    readHistory(pool, ids, window),
    select(
      `SELECT series_id, FLOOR(TIMESTAMPDIFF(MINUTE, ?, minute) / 10) AS block, COUNT(*) AS minutes, ${SLOT_SUMS}
       FROM minute_counts WHERE series_id IN (?) AND minute >= ? AND minute < ? GROUP BY series_id, block`,
      [hour, ids, hour, new Date(window.hourStartMs + HOUR_MS)],
    ),
    select(
      'SELECT series_id, hour_start, metric FROM findings WHERE series_id IN (?) AND hour_start >= ? AND hour_start < ?',
      [ids, from, hour],
    ),
    select(
      `SELECT series_id, metric, trained_from, trained_until, samples, training_rows, spread, training_error,
         floor_rate, tree FROM models WHERE series_id IN (?) AND trained_until = ?`,
      [ids, new Date(window.cutoffMs)],
    ),
    select(
      'SELECT series_id, MIN(hour_start) AS first FROM hourly_counts WHERE series_id IN (?) GROUP BY series_id',
      [ids],
    ),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}
