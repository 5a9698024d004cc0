import type { RowDataPacket } from 'mysql2';
import { API_CALL_COLUMNS } from './api-call-columns.js';
import type { Pool } from './db.js';

const HOUR_MS = 3_600_000;
const BLOCK_MS = 600_000;
const sums = API_CALL_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ');
const columns = API_CALL_COLUMNS.join(', ');

/** One API of one source+environment, as the hourly evaluation judges it. */
export interface ApiSeriesInfo {
  /** api_series.id */
  readonly id: number;
  /** The source+environment series (series.id) it belongs to. */
  readonly seriesId: number;
  readonly source: string;
  readonly environment: string;
  readonly api: string;
}

/** A window's flat counts (API_CALL_COLUMNS order) and how many minutes had a row. */
export interface ApiWindowRow {
  /** Start of the window (an hour, a 10-minute block, a minute), epoch ms. */
  readonly start: number;
  readonly counts: readonly number[];
  readonly minutes: number;
}

/** What evaluating and charting API series read (src/evaluation, src/alert-chart). */
export interface ApiCallReads {
  /** APIs with at least one hourly rollup since `since`, with their source and environment, in id order. */
  listActiveApiSeries(since: Date): Promise<ApiSeriesInfo[]>;
  /** One API by its source, environment and name. */
  findApiSeries(source: string, environment: string, api: string): Promise<ApiSeriesInfo | undefined>;
  /** Hourly rollups of these APIs over [from, to), oldest first, by api series id. */
  readApiHours(ids: readonly number[], from: Date, to: Date): Promise<Map<number, ApiWindowRow[]>>;
  /**
   * The hour's minutes summed per 10-minute block (six, a block without rows all zero), by api series id; only
   * minutes before `until` when given (a tick reads the blocks before it).
   */
  readApiBlocks(ids: readonly number[], hourStart: Date, until?: Date): Promise<Map<number, ApiWindowRow[]>>;
  /**
   * Each API's last minute with a row in [from, until) (APIs without one are absent): the range of minutes of the
   * minute-first key, filtered, in one query.
   */
  lastApiMinutes(ids: readonly number[], from: Date, until: Date): Promise<Map<number, Date>>;
  /** One API's minutes over [from, to), oldest first (the minute-first key: a range of minutes, filtered). */
  readApiMinutes(id: number, from: Date, to: Date): Promise<ApiWindowRow[]>;
}

const INFO = `SELECT a.id, a.series_id, a.api, s.environment, o.name
  FROM api_series a JOIN series s ON s.id = a.series_id JOIN sources o ON o.id = s.source_id`;

export function createApiCallReads(pool: Pool): ApiCallReads {
  return {
    async listActiveApiSeries(since) {
      // EXISTS walks each API's primary-key range of the rollups instead of scanning them. Paused sources are
      // not judged (sources pause).
      const [rows] = await pool.query<RowDataPacket[]>(
        `${INFO} WHERE o.paused_at IS NULL AND EXISTS (SELECT 1 FROM api_call_hours h WHERE h.api_series_id = a.id AND h.hour_start >= ?)
         ORDER BY a.id`,
        [since],
      );
      return rows.map(toInfo);
    },

    async findApiSeries(source, environment, api) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `${INFO} WHERE o.name = ? AND s.environment = ? AND a.api = ?`,
        [source, environment, api],
      );
      return rows[0] ? toInfo(rows[0]) : undefined;
    },

    async readApiHours(ids, from, to) {
      const byApi = new Map<number, ApiWindowRow[]>();
      if (ids.length === 0) return byApi;
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT api_series_id, hour_start, minutes_reported, ${columns} FROM api_call_hours
         WHERE api_series_id IN (?) AND hour_start >= ? AND hour_start < ? ORDER BY api_series_id, hour_start`,
        [ids, from, to],
      );
      for (const row of rows) {
        const list = byApi.get(row.api_series_id) ?? [];
        list.push(windowRow((row.hour_start as Date).getTime(), row, Number(row.minutes_reported)));
        byApi.set(row.api_series_id, list);
      }
      return byApi;
    },

    async readApiBlocks(ids, hourStart, until) {
      const byApi = new Map<number, ApiWindowRow[]>();
      if (ids.length === 0) return byApi;
      const start = hourStart.getTime();
      const end = Math.min(until?.getTime() ?? Number.POSITIVE_INFINITY, start + HOUR_MS);
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT api_series_id, FLOOR(TIMESTAMPDIFF(MINUTE, ?, minute) / 10) AS block, COUNT(*) AS minutes, ${sums}
         FROM api_call_minutes WHERE minute >= ? AND minute < ? AND api_series_id IN (?)
         GROUP BY api_series_id, block`,
        [hourStart, hourStart, new Date(end), ids],
      );
      for (const row of rows) {
        const blocks =
          byApi.get(row.api_series_id) ??
          Array.from({ length: 6 }, (_, i) => ({
            start: start + i * BLOCK_MS,
            counts: new Array<number>(API_CALL_COLUMNS.length).fill(0),
            minutes: 0,
          }));
        const block = Number(row.block);
        blocks[block] = windowRow(start + block * BLOCK_MS, row, Number(row.minutes));
        byApi.set(row.api_series_id, blocks);
      }
      return byApi;
    },

    async lastApiMinutes(ids, from, until) {
      const last = new Map<number, Date>();
      if (ids.length === 0) return last;
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT api_series_id, MAX(minute) AS last_minute FROM api_call_minutes
         WHERE minute >= ? AND minute < ? AND api_series_id IN (?) GROUP BY api_series_id`,
        [from, until, ids],
      );
      for (const row of rows)
        if (row.last_minute) last.set(Number(row.api_series_id), row.last_minute as Date);
      return last;
    },

    async readApiMinutes(id, from, to) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT minute, ${columns} FROM api_call_minutes
         WHERE minute >= ? AND minute < ? AND api_series_id = ? ORDER BY minute`,
        [from, to, id],
      );
      return rows.map((row) => windowRow((row.minute as Date).getTime(), row, 1));
    },
  };
}

function toInfo(row: RowDataPacket): ApiSeriesInfo {
  return {
    id: row.id,
    seriesId: row.series_id,
    source: row.name,
    environment: row.environment,
    api: row.api,
  };
}

function windowRow(start: number, row: RowDataPacket, minutes: number): ApiWindowRow {
  return { start, counts: API_CALL_COLUMNS.map((c) => Number(row[c])), minutes };
}
