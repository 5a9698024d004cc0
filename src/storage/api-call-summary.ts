import type { RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** What `sources list` shows of a source+environment's API calls. */
export interface ApiSeriesSummary {
  readonly seriesId: number;
  readonly sourceId: number;
  readonly environment: string;
  readonly apis: number;
  readonly lastMinute: Date | null;
}

const HOUR_MS = 3_600_000;

/**
 * Per series: its APIs and their newest minute. The minutes are keyed minute first, so one API's newest minute
 * is not one lookup: each API's newest hour comes from its rollups (a step back along their key), then one
 * range read per distinct newest hour — for the APIs still posting, that is the current hour, read once.
 */
export async function summarizeApiSeries(pool: Pool): Promise<ApiSeriesSummary[]> {
  const [apis] = await pool.query<RowDataPacket[]>(
    `SELECT a.id, a.series_id, s.source_id, s.environment,
       (SELECT MAX(h.hour_start) FROM api_call_hours h WHERE h.api_series_id = a.id) AS last_hour
     FROM api_series a JOIN series s ON s.id = a.series_id ORDER BY a.series_id, a.id`,
  );
  const lastMinutes = await newestMinutes(pool, apis);
  const bySeries = new Map<number, { -readonly [K in keyof ApiSeriesSummary]: ApiSeriesSummary[K] }>();
  for (const api of apis) {
    const summary = bySeries.get(api.series_id) ?? {
      seriesId: api.series_id,
      sourceId: api.source_id,
      environment: api.environment,
      apis: 0,
      lastMinute: null,
    };
    const last = lastMinutes.get(api.id) ?? (api.last_hour as Date | null);
    summary.apis += 1;
    if (last && (!summary.lastMinute || last > summary.lastMinute)) summary.lastMinute = last;
    bySeries.set(api.series_id, summary);
  }
  return [...bySeries.values()];
}

/** The newest minute of each API within its newest hour, one range read per distinct hour. */
async function newestMinutes(pool: Pool, apis: readonly RowDataPacket[]): Promise<Map<number, Date>> {
  const idsByHour = new Map<number, number[]>();
  for (const api of apis) {
    if (!api.last_hour) continue;
    const hour = (api.last_hour as Date).getTime();
    const ids = idsByHour.get(hour);
    if (ids) ids.push(api.id);
    else idsByHour.set(hour, [api.id]);
  }
  const newest = new Map<number, Date>();
  for (const [hour, ids] of idsByHour) {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT api_series_id, MAX(minute) AS last_minute FROM api_call_minutes
       WHERE minute >= ? AND minute < ? AND api_series_id IN (?) GROUP BY api_series_id`,
      [new Date(hour), new Date(hour + HOUR_MS), ids],
    );
    for (const row of rows) newest.set(row.api_series_id, row.last_minute);
  }
  return newest;
}
