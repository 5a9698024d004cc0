import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/**
 * One series' band for one clock hour, as text: a payment series' (src/detection/band.ts's bandToJson) in
 * `bands`, an API's (src/api-detection/api-band.ts's apiBandToJson) in `api_bands`.
 */
export interface StoredBand {
  /** series.id in `bands`; api_series.id in `api_bands`. */
  readonly seriesId: number;
  readonly hourStart: Date;
  readonly json: string;
}

/**
 * The bands the hourly run stores for the coming hour of every series, which the ticks of that hour read instead
 * of weeks of history. Stores text only: what a band means is src/detection's business.
 */
export interface BandStore {
  /** Writes each band, replacing the one stored for the same series and hour (a retried run, a tick's own). */
  upsert(bands: readonly StoredBand[]): Promise<void>;
  /** The bands stored for `hourStart` of these series, by series id. */
  load(seriesIds: readonly number[], hourStart: Date): Promise<Map<number, string>>;
  /** Deletes bands of hours before `before`; returns how many. */
  deleteBefore(before: Date): Promise<number>;
}

/** Bands per INSERT: a band is 1–2 KB of text, so 500 stay far below max_allowed_packet (16 MiB). */
const UPSERT_CHUNK = 500;
const DELETE_CHUNK = 20_000;

/** The bands of payment series (`bands`, keyed by series id). */
export function createBandStore(pool: Pool): BandStore {
  return bandStoreOn(pool, 'bands', 'series_id');
}

/** The bands of APIs (`api_bands`, keyed by API series id): the same store on the table of migration 010. */
export function createApiBandStore(pool: Pool): BandStore {
  return bandStoreOn(pool, 'api_bands', 'api_series_id');
}

/** The two tables differ only in their name and key column, both constants here (never request text). */
function bandStoreOn(
  pool: Pool,
  table: 'bands' | 'api_bands',
  key: 'series_id' | 'api_series_id',
): BandStore {
  return {
    async upsert(bands) {
      // Sorted by key: two writers of overlapping batches take their row locks in the same order.
      const sorted = [...bands].sort(
        (a, b) => a.seriesId - b.seriesId || a.hourStart.getTime() - b.hourStart.getTime(),
      );
      for (let i = 0; i < sorted.length; i += UPSERT_CHUNK) {
        const rows = sorted.slice(i, i + UPSERT_CHUNK).map((b) => [b.seriesId, b.hourStart, b.json]);
        await pool.query(
          `INSERT INTO ${table} (${key}, hour_start, band) VALUES ? ON DUPLICATE KEY UPDATE band = VALUES(band)`,
          [rows],
        );
      }
    },

    async load(seriesIds, hourStart) {
      const bands = new Map<number, string>();
      if (seriesIds.length === 0) return bands;
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT ${key} AS id, band FROM ${table} WHERE ${key} IN (?) AND hour_start = ?`,
        [seriesIds, hourStart],
      );
      for (const row of rows) bands.set(Number(row.id), String(row.band));
      return bands;
    },

    async deleteBefore(before) {
      let deleted = 0;
      for (;;) {
        const [result] = await pool.query<ResultSetHeader>(
          `DELETE FROM ${table} WHERE hour_start < ? LIMIT ?`,
          [before, DELETE_CHUNK],
        );
        deleted += result.affectedRows;
        if (result.affectedRows < DELETE_CHUNK) return deleted;
      }
    },
  };
}
