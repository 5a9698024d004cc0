import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** One series' band for one clock hour, as text (src/detection/band.ts's bandToJson). */
export interface StoredBand {
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

export function createBandStore(pool: Pool): BandStore {
  return {
    async upsert(bands) {
      // Sorted by key: two writers of overlapping batches take their row locks in the same order.
      const sorted = [...bands].sort(
        (a, b) => a.seriesId - b.seriesId || a.hourStart.getTime() - b.hourStart.getTime(),
      );
      for (let i = 0; i < sorted.length; i += UPSERT_CHUNK) {
        const rows = sorted.slice(i, i + UPSERT_CHUNK).map((b) => [b.seriesId, b.hourStart, b.json]);
        await pool.query(
          'INSERT INTO bands (series_id, hour_start, band) VALUES ? ON DUPLICATE KEY UPDATE band = VALUES(band)',
          [rows],
        );
      }
    },

    async load(seriesIds, hourStart) {
      const bands = new Map<number, string>();
      if (seriesIds.length === 0) return bands;
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT series_id, band FROM bands WHERE series_id IN (?) AND hour_start = ?',
        [seriesIds, hourStart],
      );
      for (const row of rows) bands.set(Number(row.series_id), String(row.band));
      return bands;
    },

    async deleteBefore(before) {
      let deleted = 0;
      for (;;) {
        const [result] = await pool.query<ResultSetHeader>('DELETE FROM bands WHERE hour_start < ? LIMIT ?', [
          before,
          DELETE_CHUNK,
        ]);
        deleted += result.affectedRows;
        if (result.affectedRows < DELETE_CHUNK) return deleted;
      }
    },
  };
}
