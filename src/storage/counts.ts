import { type QueryOptions, type ResultSetHeader, type RowDataPacket, raw } from 'mysql2';
import { inTransaction, type Pool } from './db.js';
import { SLOT_COLUMNS, SLOT_COUNT } from './slots.js';

/** One stored minute: counts by slot for one series. */
export interface MinuteRow {
  readonly seriesId: number;
  readonly minute: Date;
  /** Counts by slot, length SLOT_COUNT. */
  readonly slots: readonly number[];
}

/** One hourly rollup: the sums of the minutes reported in [hourStart, hourStart + 1 h). */
export interface HourRow {
  readonly seriesId: number;
  readonly hourStart: Date;
  readonly slots: readonly number[];
  readonly minutesReported: number;
}

/**
 * The hourly rollups of one series, packed into flat arrays (no object per hour): hour i starts at
 * `hourStarts[i]` (epoch ms), its count of slot k is `slots[i * SLOT_COUNT + k]`, its minutes reported
 * `minutesReported[i]`. Oldest first.
 */
export interface HourColumns {
  readonly hourStarts: readonly number[];
  readonly slots: readonly number[];
  readonly minutesReported: readonly number[];
}

/** One 10-minute block of an hour: counts by slot and how many of its minutes were reported. */
export interface BlockRow {
  readonly slots: readonly number[];
  readonly minutes: number;
}

export interface CountStore {
  /**
   * Stores minutes, replacing any already stored for the same series and minute, and marks their hours for
   * re-rollup — all in one transaction, so a failure stores nothing.
   */
  upsertMinutes(rows: readonly MinuteRow[]): Promise<void>;
  /**
   * Recomputes the hourly rollups of every hour whose minutes changed (optionally only for some series),
   * from the minutes themselves, so late, out-of-order and re-posted minutes leave them exact.
   * Returns how many hours were rolled up.
   */
  flushRollups(options?: { seriesIds?: readonly number[] }): Promise<number>;
  readHours(seriesId: number, from: Date, to: Date): Promise<HourRow[]>;
  /**
   * Hourly rollups of many series over [from, to), by series, packed. Rows are streamed into the columns as
   * they arrive, so a batch's weeks of history never exist as one object per row (bench:evaluate: that was
   * most of a worker's memory).
   */
  readHoursOf(seriesIds: readonly number[], from: Date, to: Date): Promise<Map<number, HourColumns>>;
  /** The first hour each series ever reported (its history starts there). */
  firstHours(seriesIds: readonly number[]): Promise<Map<number, Date>>;
  /**
   * The six 10-minute blocks of one hour for many series: slot sums and minutes reported per block. With
   * `until` (a tick: a minute inside the hour) only minutes before it count: the block it falls in holds its
   * minutes so far, later blocks stay empty.
   */
  readBlocks(seriesIds: readonly number[], hourStart: Date, until?: Date): Promise<Map<number, BlockRow[]>>;
  /**
   * Each series' last minute with a row in [from, until) (series without one are absent): one index lookup per
   * series on the primary key (series, minute).
   */
  lastMinutes(seriesIds: readonly number[], from: Date, until: Date): Promise<Map<number, Date>>;
  readMinutes(seriesId: number, from: Date, to: Date): Promise<MinuteRow[]>;
  /** Deletes minutes before `minutesBefore` and rollups before `hoursBefore`; returns the rows deleted. */
  deleteExpired(cutoffs: {
    minutesBefore: Date;
    hoursBefore: Date;
  }): Promise<{ minutes: number; hours: number }>;
}

/** Rows per INSERT statement: far below max_allowed_packet (16 MiB) even with every slot at its maximum. */
const INSERT_CHUNK = 2000;
/** Dirty hours rolled up per transaction: keeps the row locks that ingest may wait on short-lived. */
const ROLLUP_CHUNK = 500;
const DELETE_CHUNK = 20_000;
const HOUR_MS = 3_600_000;

const minuteUpdate = SLOT_COLUMNS.map((c) => `${c} = VALUES(${c})`).join(', ');
const slotSums = SLOT_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ');
const slotList = SLOT_COLUMNS.join(', ');

export function createCountStore(pool: Pool): CountStore {
  return {
    async upsertMinutes(rows) {
      if (rows.length === 0) return;
      // A fixed lock order (series, minute) keeps concurrent batches from deadlocking each other.
      const sorted = [...rows].sort(
        (a, b) => a.seriesId - b.seriesId || a.minute.getTime() - b.minute.getTime(),
      );
      const dirty = dirtyHours(sorted);
      await inTransaction(pool, async (connection) => {
        for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
          await connection.query(
            `INSERT INTO minute_counts (series_id, minute, ${slotList}) VALUES ? ON DUPLICATE KEY UPDATE ${minuteUpdate}`,
            [raw(minuteTuples(sorted.slice(i, i + INSERT_CHUNK)))],
          );
        }
        for (let i = 0; i < dirty.length; i += INSERT_CHUNK) {
          await connection.query(
            'INSERT INTO rollup_dirty (series_id, hour_start) VALUES ? ON DUPLICATE KEY UPDATE series_id = series_id',
            [raw(hourTuples(dirty.slice(i, i + INSERT_CHUNK)))],
          );
        }
      });
    },

    async flushRollups(options = {}) {
      let total = 0;
      for (;;) {
        const rolled = await inTransaction(pool, (connection) => rollUpChunk(connection, options.seriesIds));
        total += rolled;
        if (rolled < ROLLUP_CHUNK) return total;
      }
    },

    async readHours(seriesId, from, to) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, hour_start, ${slotList}, minutes_reported FROM hourly_counts
         WHERE series_id = ? AND hour_start >= ? AND hour_start < ? ORDER BY hour_start`,
        [seriesId, from, to],
      );
      return rows.map(toHourRow);
    },

    async readHoursOf(seriesIds, from, to) {
      const bySeries = new Map<number, HourColumns>();
      if (seriesIds.length === 0) return bySeries;
      let current: { hourStarts: number[]; slots: number[]; minutesReported: number[] } | undefined;
      let currentId = -1;
      await streamRows(
        pool,
        {
          // Seconds since the epoch (hour_start holds UTC) parse faster than a DATETIME into a Date, and unlike
          // UNIX_TIMESTAMP this works past 2038 and whatever the session's time zone.
          sql: `SELECT series_id, TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', hour_start), ${slotList}, minutes_reported
                FROM hourly_counts WHERE series_id IN (?) AND hour_start >= ? AND hour_start < ?
                ORDER BY series_id, hour_start`,
          values: [seriesIds, from, to],
          rowsAsArray: true,
        },
        (row) => {
          const seriesId = row[0] as number;
          if (seriesId !== currentId || !current) {
            currentId = seriesId;
            current = { hourStarts: [], slots: [], minutesReported: [] };
            bySeries.set(seriesId, current);
          }
          current.hourStarts.push(Number(row[1]) * 1000);
          for (let slot = 0; slot < SLOT_COUNT; slot++) current.slots.push(Number(row[2 + slot]));
          current.minutesReported.push(Number(row[2 + SLOT_COUNT]));
        },
      );
      return bySeries;
    },

    async firstHours(seriesIds) {
      const first = new Map<number, Date>();
      if (seriesIds.length === 0) return first;
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT series_id, MIN(hour_start) AS first FROM hourly_counts WHERE series_id IN (?) GROUP BY series_id',
        [seriesIds],
      );
      for (const row of rows) first.set(row.series_id, row.first);
      return first;
    },

    async readBlocks(seriesIds, hourStart, until) {
      const bySeries = new Map<number, BlockRow[]>();
      if (seriesIds.length === 0) return bySeries;
      const end = new Date(
        Math.min(until?.getTime() ?? Number.POSITIVE_INFINITY, hourStart.getTime() + HOUR_MS),
      );
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, FLOOR(TIMESTAMPDIFF(MINUTE, ?, minute) / 10) AS block, COUNT(*) AS minutes, ${slotSums}
         FROM minute_counts WHERE series_id IN (?) AND minute >= ? AND minute < ?
         GROUP BY series_id, block`,
        [hourStart, seriesIds, hourStart, end],
      );
      for (const row of rows) {
        const blocks =
          bySeries.get(row.series_id) ??
          Array.from({ length: 6 }, () => ({ slots: new Array<number>(SLOT_COUNT).fill(0), minutes: 0 }));
        blocks[Number(row.block)] = { slots: slotsOf(row), minutes: Number(row.minutes) };
        bySeries.set(row.series_id, blocks);
      }
      return bySeries;
    },

    async lastMinutes(seriesIds, from, until) {
      const last = new Map<number, Date>();
      if (seriesIds.length === 0) return last;
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, MAX(minute) AS last_minute FROM minute_counts
         WHERE series_id IN (?) AND minute >= ? AND minute < ? GROUP BY series_id`,
        [seriesIds, from, until],
      );
      for (const row of rows) if (row.last_minute) last.set(Number(row.series_id), row.last_minute as Date);
      return last;
    },

    async readMinutes(seriesId, from, to) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, minute, ${slotList} FROM minute_counts
         WHERE series_id = ? AND minute >= ? AND minute < ? ORDER BY minute`,
        [seriesId, from, to],
      );
      return rows.map((row) => ({ seriesId: row.series_id, minute: row.minute, slots: slotsOf(row) }));
    },

    async deleteExpired({ minutesBefore, hoursBefore }) {
      // Per series, so each DELETE walks the primary key (series_id, minute) instead of scanning the table.
      const [series] = await pool.query<RowDataPacket[]>('SELECT id FROM series ORDER BY id');
      let minutes = 0;
      let hours = 0;
      for (const { id } of series) {
        minutes += await deleteInChunks(
          pool,
          'DELETE FROM minute_counts WHERE series_id = ? AND minute < ? LIMIT ?',
          [id, minutesBefore],
        );
        hours += await deleteInChunks(
          pool,
          'DELETE FROM hourly_counts WHERE series_id = ? AND hour_start < ? LIMIT ?',
          [id, hoursBefore],
        );
      }
      return { minutes, hours };
    },
  };
}

async function rollUpChunk(
  connection: import('mysql2/promise').PoolConnection,
  seriesIds?: readonly number[],
) {
  if (seriesIds && seriesIds.length === 0) return 0;
  // Locking the work-list rows makes concurrent flushers take disjoint work, and makes ingest of the same
  // hour wait until this rollup commits — so no minute can slip between our read and the row's deletion.
  const [dirty] = await connection.query<RowDataPacket[]>(
    `SELECT series_id, hour_start FROM rollup_dirty ${seriesIds ? 'WHERE series_id IN (?)' : ''}
     ORDER BY series_id, hour_start LIMIT ${ROLLUP_CHUNK} FOR UPDATE`,
    seriesIds ? [seriesIds] : [],
  );
  if (dirty.length === 0) return 0;
  // One condition per dirty hour with the list of its series: the same rows as one range per (series, hour),
  // but MariaDB plans 500 OR'ed ranges 4-20x slower than it reads them (bench:evaluate: 0.2-1.2 s a chunk).
  const seriesByHour = new Map<number, number[]>();
  for (const row of dirty) {
    const hour = (row.hour_start as Date).getTime();
    seriesByHour.set(hour, [...(seriesByHour.get(hour) ?? []), row.series_id]);
  }
  const conditions = [...seriesByHour.keys()].map(() => '(minute >= ? AND minute < ? AND series_id IN (?))');
  const params = [...seriesByHour].flatMap(([hour, ids]) => [new Date(hour), new Date(hour + HOUR_MS), ids]);
  const [sums] = await connection.query<RowDataPacket[]>(
    `SELECT series_id, TIMESTAMPADD(MINUTE, -MINUTE(minute), minute) AS hour_start, ${slotSums},
       COUNT(*) AS minutes_reported
     FROM minute_counts WHERE ${conditions.join(' OR ')} GROUP BY series_id, hour_start`,
    params,
  );
  if (sums.length > 0) {
    const values = sums.map((row) => [row.series_id, row.hour_start, ...slotsOf(row), row.minutes_reported]);
    const update = [...SLOT_COLUMNS, 'minutes_reported'].map((c) => `${c} = VALUES(${c})`).join(', ');
    await connection.query(
      `INSERT INTO hourly_counts (series_id, hour_start, ${slotList}, minutes_reported) VALUES ?
       ON DUPLICATE KEY UPDATE ${update}`,
      [values],
    );
  }
  await connection.query('DELETE FROM rollup_dirty WHERE (series_id, hour_start) IN (?)', [
    dirty.map((row) => [row.series_id, row.hour_start]),
  ]);
  return dirty.length;
}

/** Runs a query and hands each row to `onRow` as it arrives, instead of collecting the result set first. */
function streamRows(pool: Pool, options: QueryOptions, onRow: (row: unknown[]) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: unknown;
    pool.pool
      .query(options)
      .on('result', (row) => {
        if (failure !== undefined) return;
        try {
          onRow(row as unknown as unknown[]);
        } catch (error) {
          failure = error;
        }
      })
      // A failed query emits 'error' and then 'end'; a connection that could not be had, only 'error'.
      .on('error', reject)
      .on('end', () => (failure === undefined ? resolve() : reject(failure)));
  });
}

async function deleteInChunks(pool: Pool, sql: string, params: unknown[]): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [result] = await pool.query<ResultSetHeader>(sql, [...params, DELETE_CHUNK]);
    deleted += result.affectedRows;
    if (result.affectedRows < DELETE_CHUNK) return deleted;
  }
}

/** The distinct (series, hour) pairs of rows sorted by series, then minute (so equal pairs are adjacent). */
function dirtyHours(sorted: readonly MinuteRow[]): { seriesId: number; hourStart: number }[] {
  const hours: { seriesId: number; hourStart: number }[] = [];
  let last: { seriesId: number; hourStart: number } | undefined;
  for (const row of sorted) {
    const hourStart = Math.floor(row.minute.getTime() / HOUR_MS) * HOUR_MS;
    if (last?.seriesId === row.seriesId && last.hourStart === hourStart) continue;
    last = { seriesId: row.seriesId, hourStart };
    hours.push(last);
  }
  return hours;
}

/*
 * VALUES lists written by hand and passed as raw SQL: mysql2's escaping of 14,000 values (and its scan of the
 * finished text for placeholders) cost as much CPU as all the rest of a 1,000-minute batch (bench:ingest).
 * Every value is a number or a time computed here, never text from a request, and anything that is not a
 * safe integer throws before it can reach the database.
 */

function minuteTuples(rows: readonly MinuteRow[]): string {
  const datetimes = createDatetimeCache();
  const tuples = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as MinuteRow;
    let tuple = `(${integer(row.seriesId)},'${datetimes(row.minute.getTime())}'`;
    for (const count of row.slots) tuple += `,${integer(count)}`;
    tuples[i] = `${tuple})`;
  }
  return tuples.join(',');
}

function hourTuples(hours: readonly { seriesId: number; hourStart: number }[]): string {
  const datetimes = createDatetimeCache();
  return hours.map((h) => `(${integer(h.seriesId)},'${datetimes(h.hourStart)}')`).join(',');
}

/** datetime() remembered per instant: the rows of one statement share few minutes and fewer hours. */
function createDatetimeCache(): (epochMs: number) => string {
  const cache = new Map<number, string>();
  return (epochMs) => {
    let text = cache.get(epochMs);
    if (text === undefined) {
      text = datetime(epochMs);
      cache.set(epochMs, text);
    }
    return text;
  };
}

function integer(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return value;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as mysql2 writes a Date with `timezone: 'Z'`. */
function datetime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  if (iso.length !== 24) throw new Error(`time out of range: ${iso}`);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

function slotsOf(row: RowDataPacket): number[] {
  const slots = new Array<number>(SLOT_COUNT);
  for (let slot = 0; slot < SLOT_COUNT; slot++) slots[slot] = Number(row[`n${slot}`]);
  return slots;
}

function toHourRow(row: RowDataPacket): HourRow {
  return {
    seriesId: row.series_id,
    hourStart: row.hour_start,
    slots: slotsOf(row),
    minutesReported: row.minutes_reported,
  };
}
