import type { RowDataPacket } from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import { API_CALL_COLUMNS } from './api-call-columns.js';

/** Dirty hours rolled up per transaction: keeps the row locks that ingest may wait on short-lived. */
export const API_ROLLUP_CHUNK = 500;
const HOUR_MS = 3_600_000;

const sumColumns = API_CALL_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ');
const hourColumns = [...API_CALL_COLUMNS, 'minutes_reported'];
const hourUpdate = hourColumns.map((c) => `${c} = VALUES(${c})`).join(', ');

/**
 * Recomputes up to API_ROLLUP_CHUNK dirty (series, hour)s from their minutes, as the counts rollup does
 * (src/storage/counts.ts): the work-list rows are locked, so concurrent flushers take disjoint work and ingest
 * of the same hour waits until this rollup commits (no minute slips between the read and the row's deletion);
 * each dirty hour is read by the primary key (minute, api series) — one condition per hour with the APIs of its
 * dirty series: their 60 × n keys as points when few, else the hour's range — and summed by a plain SELECT,
 * which at READ COMMITTED locks nothing, never by an `INSERT … SELECT … GROUP BY` over the table
 * (stack-facts). The range holds every API's minutes of that hour: the price of the minute-first key (an hour
 * of 10,000 APIs: about 0.25 s; bench/api-calls-tables.ts), paid once per hour however many of its series are
 * dirty. Returns how many (series, hour)s it rolled up.
 */
export async function rollUpApiChunk(
  connection: PoolConnection,
  seriesIds?: readonly number[],
): Promise<number> {
  if (seriesIds && seriesIds.length === 0) return 0;
  const [dirty] = await connection.query<RowDataPacket[]>(
    `SELECT series_id, hour_start FROM api_rollup_dirty ${seriesIds ? 'WHERE series_id IN (?)' : ''}
     ORDER BY series_id, hour_start LIMIT ${API_ROLLUP_CHUNK} FOR UPDATE`,
    seriesIds ? [seriesIds] : [],
  );
  if (dirty.length === 0) return 0;
  const apisOf = await apisBySeries(connection, [...new Set(dirty.map((row) => row.series_id as number))]);
  const apisByHour = new Map<number, number[]>();
  for (const row of dirty) {
    const hour = (row.hour_start as Date).getTime();
    const apis = apisByHour.get(hour) ?? [];
    apis.push(...(apisOf.get(row.series_id) ?? []));
    apisByHour.set(hour, apis);
  }
  const hours = [...apisByHour].filter(([, apis]) => apis.length > 0);
  if (hours.length > 0) await rollUpHours(connection, hours);
  await connection.query('DELETE FROM api_rollup_dirty WHERE (series_id, hour_start) IN (?)', [
    dirty.map((row) => [row.series_id, row.hour_start]),
  ]);
  return dirty.length;
}

/** The api series ids of each series. */
async function apisBySeries(connection: PoolConnection, seriesIds: readonly number[]) {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT id, series_id FROM api_series WHERE series_id IN (?)',
    [seriesIds],
  );
  const apis = new Map<number, number[]>();
  for (const row of rows) {
    const ids = apis.get(row.series_id);
    if (ids) ids.push(row.id);
    else apis.set(row.series_id, [row.id]);
  }
  return apis;
}

/**
 * Most (minute, api) keys an hour is read by one at a time. For a few APIs the 60 minutes × their ids are read
 * as points of the key instead of the hour's whole range — for a series of 40 APIs in an hour of 2,000, a
 * fifth of the time; past about 200 APIs the range is quicker (measured on MariaDB 10.11).
 */
const MAX_POINTS = 12_000;
const MINUTES_OF_HOUR = Array.from({ length: 60 }, (_, m) => m * 60_000);

/** Sums the minutes of each (hour, its APIs) and writes the hourly rows. */
async function rollUpHours(connection: PoolConnection, hours: readonly [number, number[]][]): Promise<void> {
  const byPoints = (ids: readonly number[]) => ids.length * MINUTES_OF_HOUR.length <= MAX_POINTS;
  const conditions = hours.map(([, ids]) =>
    byPoints(ids)
      ? '(minute IN (?) AND api_series_id IN (?))'
      : '(minute >= ? AND minute < ? AND api_series_id IN (?))',
  );
  const params = hours.flatMap(([hour, ids]): unknown[] =>
    byPoints(ids)
      ? [MINUTES_OF_HOUR.map((offset) => new Date(hour + offset)), ids]
      : [new Date(hour), new Date(hour + HOUR_MS), ids],
  );
  const [sums] = await connection.query<RowDataPacket[]>(
    `SELECT api_series_id, TIMESTAMPADD(MINUTE, -MINUTE(minute), minute) AS hour_start, ${sumColumns},
       COUNT(*) AS minutes_reported
     FROM api_call_minutes WHERE ${conditions.join(' OR ')} GROUP BY api_series_id, hour_start`,
    params,
  );
  if (sums.length === 0) return;
  const values = sums.map((row) => [
    row.api_series_id,
    row.hour_start,
    ...hourColumns.map((c) => Number(row[c])),
  ]);
  await connection.query(
    `INSERT INTO api_call_hours (api_series_id, hour_start, ${hourColumns.join(', ')}) VALUES ?
     ON DUPLICATE KEY UPDATE ${hourUpdate}`,
    [values],
  );
}
