import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import { API_CALL_COLUMNS } from './api-call-columns.js';
import { API_ROLLUP_CHUNK, rollUpApiChunk } from './api-call-rollups.js';
import { type ApiSeriesSummary, summarizeApiSeries } from './api-call-summary.js';
import {
  type ApiCallBatch,
  type ApiMinuteRow,
  applyBatchesOnce,
  type BatchOutcome,
  writeApiMinutes,
} from './api-call-writes.js';
import { inTransaction, type Pool } from './db.js';

export type { ApiSeriesSummary } from './api-call-summary.js';
export type { ApiCallBatch, ApiMinuteRow, BatchOutcome } from './api-call-writes.js';

/** One API of one source+environment: what minutes, rollups and (later) models and alerts are kept for. */
export interface ApiSeries {
  readonly id: number;
  readonly seriesId: number;
  readonly api: string;
}

/** One hourly rollup of one API: the sums of the minutes reported in [hourStart, hourStart + 1 h). */
export interface ApiHourRow {
  readonly apiSeriesId: number;
  readonly api: string;
  readonly hourStart: Date;
  /** Sums in API_CALL_COLUMNS order. */
  readonly counts: readonly number[];
  readonly minutesReported: number;
}

export interface ApiCallStore {
  /** The ids of (series, api) pairs, creating the missing ones. */
  ensureApiSeries(pairs: readonly { seriesId: number; api: string }[]): Promise<ApiSeries[]>;
  /** The APIs of a series (or the one named), by name. */
  listApiSeries(seriesId: number, api?: string): Promise<ApiSeries[]>;
  /** Stores posted minutes, replacing what each minute held (logs' additions too); one transaction. */
  replaceMinutes(rows: readonly ApiMinuteRow[]): Promise<void>;
  /** Adds minutes (log records without an Idempotency-Key); one transaction. */
  addMinutes(rows: readonly ApiMinuteRow[]): Promise<void>;
  /** Adds each batch whose key was never applied, recording the keys; one transaction. Outcomes in input order. */
  addBatchesOnce(batches: readonly ApiCallBatch[]): Promise<BatchOutcome[]>;
  /**
   * Recomputes the rollups of every hour whose minutes changed (optionally only of some source+environment
   * series), from the minutes themselves; returns how many (series, hour) it rolled up.
   */
  flushRollups(options?: { seriesIds?: readonly number[] }): Promise<number>;
  /** Hourly rollups of a series' APIs (or one) over [from, to), by api then hour; at most `limit` rows. */
  readHours(
    seriesId: number,
    range: { from: Date; to: Date; api?: string | undefined; limit: number },
  ): Promise<ApiHourRow[]>;
  /**
   * Per series with API calls: how many APIs, and the newest minute stored (the start of the newest hour when
   * that hour's minutes are past their retention). Reads the rollups: flush them first.
   */
  summarizeSeries(): Promise<ApiSeriesSummary[]>;
  /** Deletes minutes and keys before `minutesBefore` and rollups before `hoursBefore`; returns the rows deleted. */
  deleteExpired(cutoffs: {
    minutesBefore: Date;
    hoursBefore: Date;
  }): Promise<{ minutes: number; hours: number; batches: number }>;
}

const DELETE_CHUNK = 20_000;
/** A batch key inserted by a concurrent transaction after our read: retrying sees it and skips it. */
const BATCH_ATTEMPTS = 3;

export function createApiCallStore(pool: Pool): ApiCallStore {
  const selectApiSeries = async (where: string, params: unknown[]) => {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT id, series_id, api FROM api_series WHERE ${where}`,
      params,
    );
    return rows.map((row): ApiSeries => ({ id: row.id, seriesId: row.series_id, api: row.api }));
  };
  return {
    async ensureApiSeries(pairs) {
      if (pairs.length === 0) return [];
      const tuples = [
        ...new Map(pairs.map((p) => [`${p.seriesId}\u0000${p.api}`, [p.seriesId, p.api]])).values(),
      ];
      const found = await selectApiSeries('(series_id, api) IN (?)', [tuples]);
      if (found.length === tuples.length) return found;
      // Only the missing ones: INSERT IGNORE of an existing row would still use up an auto-increment id.
      const have = new Set(found.map((s) => `${s.seriesId}\u0000${s.api}`));
      const missing = tuples.filter((t) => !have.has(`${t[0]}\u0000${t[1]}`));
      await pool.query('INSERT IGNORE INTO api_series (series_id, api) VALUES ?', [missing]);
      return [...found, ...(await selectApiSeries('(series_id, api) IN (?)', [missing]))];
    },

    listApiSeries(seriesId, api) {
      return api === undefined
        ? selectApiSeries('series_id = ? ORDER BY api', [seriesId])
        : selectApiSeries('series_id = ? AND api = ?', [seriesId, api]);
    },

    replaceMinutes: (rows) =>
      inTransaction(pool, (connection) => writeApiMinutes(connection, rows, 'replace')),

    addMinutes: (rows) => inTransaction(pool, (connection) => writeApiMinutes(connection, rows, 'add')),

    async addBatchesOnce(batches) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await inTransaction(pool, (connection) => applyBatchesOnce(connection, batches));
        } catch (error) {
          if ((error as { code?: string }).code !== 'ER_DUP_ENTRY' || attempt >= BATCH_ATTEMPTS) throw error;
        }
      }
    },

    async flushRollups(options = {}) {
      let total = 0;
      for (;;) {
        const rolled = await inTransaction(pool, (c) => rollUpApiChunk(c, options.seriesIds));
        total += rolled;
        if (rolled < API_ROLLUP_CHUNK) return total;
      }
    },

    async readHours(seriesId, { from, to, api, limit }) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT a.id, a.api, h.hour_start, ${API_CALL_COLUMNS.map((c) => `h.${c}`).join(', ')}, h.minutes_reported
         FROM api_series a JOIN api_call_hours h ON h.api_series_id = a.id
         WHERE a.series_id = ? ${api === undefined ? '' : 'AND a.api = ?'} AND h.hour_start >= ? AND h.hour_start < ?
         ORDER BY a.api, h.hour_start LIMIT ?`,
        [seriesId, ...(api === undefined ? [] : [api]), from, to, limit],
      );
      return rows.map((row) => ({
        apiSeriesId: row.id,
        api: row.api,
        hourStart: row.hour_start,
        counts: API_CALL_COLUMNS.map((c) => Number(row[c])),
        minutesReported: row.minutes_reported,
      }));
    },

    summarizeSeries: () => summarizeApiSeries(pool),

    async deleteExpired({ minutesBefore, hoursBefore }) {
      // Minutes: the oldest end of the primary key (minute, api). Hours: per API, so each DELETE walks the
      // primary key (api_series_id, hour_start) instead of scanning the table.
      const minutes = await deleteInChunks(pool, 'DELETE FROM api_call_minutes WHERE minute < ? LIMIT ?', [
        minutesBefore,
      ]);
      const [apis] = await pool.query<RowDataPacket[]>('SELECT id FROM api_series ORDER BY id');
      let hours = 0;
      for (const { id } of apis) {
        hours += await deleteInChunks(
          pool,
          'DELETE FROM api_call_hours WHERE api_series_id = ? AND hour_start < ? LIMIT ?',
          [id, hoursBefore],
        );
      }
      const batches = await deleteInChunks(
        pool,
        'DELETE FROM api_call_batches WHERE last_minute < ? LIMIT ?',
        [minutesBefore],
      );
      return { minutes, hours, batches };
    },
  };
}

async function deleteInChunks(pool: Pool, sql: string, params: unknown[]): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [result] = await pool.query<ResultSetHeader>(sql, [...params, DELETE_CHUNK]);
    deleted += result.affectedRows;
    if (result.affectedRows < DELETE_CHUNK) return deleted;
  }
}
