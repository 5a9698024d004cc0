import type { RowDataPacket } from 'mysql2';
import { type PoolConnection, raw } from 'mysql2/promise';
import { API_CALL_COLUMNS } from './api-call-columns.js';
import { createDatetimeCache, sqlInteger } from './sql-values.js';

/** One stored minute of one API: the flat counts of API_CALL_COLUMNS for (api series, minute). */
export interface ApiMinuteRow {
  /** The source+environment the API belongs to: whose hour the rollup work list marks. */
  readonly seriesId: number;
  readonly apiSeriesId: number;
  /** Start of the minute, epoch ms (UTC, whole minute). */
  readonly minuteMs: number;
  /** Counts in API_CALL_COLUMNS order: calls by class, silent failures, latency buckets. */
  readonly counts: readonly number[];
}

/** Replace: a post is the whole truth about its minute. Add: log records and import chunks add to it. */
export type WriteMode = 'replace' | 'add';

/** A batch of minutes applied at most once, under its key (a log post's Idempotency-Key, an import chunk). */
export interface ApiCallBatch {
  /** `idem_…` or `log_…`, at most 64 ASCII characters. */
  readonly key: string;
  /** What the batch holds (a hash): a repeat with other content is a conflict, not a repeat. Null: not checked. */
  readonly bodyHash: string | null;
  readonly rows: readonly ApiMinuteRow[];
}

/** applied: its minutes were added now; repeated: its key was applied before; conflict: reused for other content. */
export type BatchOutcome = 'applied' | 'repeated' | 'conflict';

/** Rows per INSERT statement: 18 numbers a row stay far below max_allowed_packet (16 MiB). */
const INSERT_CHUNK = 2000;
const HOUR_MS = 3_600_000;

const columnList = API_CALL_COLUMNS.join(', ');
const UPDATE: Record<WriteMode, string> = {
  replace: API_CALL_COLUMNS.map((c) => `${c} = VALUES(${c})`).join(', '),
  add: API_CALL_COLUMNS.map((c) => `${c} = ${c} + VALUES(${c})`).join(', '),
};

/**
 * Upserts minutes (replacing or adding) and marks their hours dirty, on the caller's transaction. Rows are
 * written in the primary key's order (minute, api series): a fixed lock order that keeps concurrent writers
 * from deadlocking, and pages touched one after another. Two rows of one minute and API in a call are both
 * applied, in the order given: the later wins (replace) or both count (add).
 */
export async function writeApiMinutes(
  connection: PoolConnection,
  rows: readonly ApiMinuteRow[],
  mode: WriteMode,
): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => a.minuteMs - b.minuteMs || a.apiSeriesId - b.apiSeriesId);
  for (let i = 0; i < sorted.length; i += INSERT_CHUNK) {
    await connection.query(
      `INSERT INTO api_call_minutes (minute, api_series_id, ${columnList}) VALUES ? ON DUPLICATE KEY UPDATE ${UPDATE[mode]}`,
      [raw(minuteTuples(sorted.slice(i, i + INSERT_CHUNK)))],
    );
  }
  // INSERT IGNORE: a work-list row that is there already gets a shared lock, not the exclusive one an upsert
  // takes, so concurrent writes of the same hours do not queue behind each other — while a rollup holding the
  // row (FOR UPDATE) still makes them wait until it commits, which is what keeps rollups exact.
  const dirty = dirtyHourTuples(sorted);
  for (let i = 0; i < dirty.length; i += INSERT_CHUNK) {
    await connection.query('INSERT IGNORE INTO api_rollup_dirty (series_id, hour_start) VALUES ?', [
      raw(dirty.slice(i, i + INSERT_CHUNK).join(',')),
    ]);
  }
}

/**
 * Applies each batch whose key is new — records the key and adds its minutes — and reports the others, on the
 * caller's transaction. The keys are read with a locking read first: a batch being applied by another
 * transaction makes this one wait for it and then see it. Two transactions that both found a key missing both
 * insert it; the second fails with ER_DUP_ENTRY after the first commits, and is retried by the caller.
 */
export async function applyBatchesOnce(
  connection: PoolConnection,
  batches: readonly ApiCallBatch[],
): Promise<BatchOutcome[]> {
  if (batches.length === 0) return [];
  const keys = [...new Set(batches.map((b) => b.key))].sort();
  const [found] = await connection.query<RowDataPacket[]>(
    'SELECT batch_key, body_hash FROM api_call_batches WHERE batch_key IN (?) FOR UPDATE',
    [keys],
  );
  const known = new Map<string, string | null>(found.map((row) => [row.batch_key, row.body_hash]));
  const fresh: ApiCallBatch[] = [];
  const outcomes = batches.map((batch): BatchOutcome => {
    if (known.has(batch.key)) {
      const hash = known.get(batch.key);
      return batch.bodyHash === null || hash === null || hash === batch.bodyHash ? 'repeated' : 'conflict';
    }
    known.set(batch.key, batch.bodyHash); // the same key twice in one call: the first applies
    fresh.push(batch);
    return 'applied';
  });
  if (fresh.length === 0) return outcomes;
  fresh.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await connection.query('INSERT INTO api_call_batches (batch_key, body_hash, last_minute) VALUES ?', [
    fresh.map((batch) => [batch.key, batch.bodyHash, new Date(lastMinuteOf(batch))]),
  ]);
  await writeApiMinutes(
    connection,
    fresh.flatMap((batch) => batch.rows),
    'add',
  );
  return outcomes;
}

function lastMinuteOf(batch: ApiCallBatch): number {
  if (batch.rows.length === 0) throw new Error(`batch ${batch.key} holds no minutes`);
  let last = Number.NEGATIVE_INFINITY;
  for (const row of batch.rows) last = Math.max(last, row.minuteMs);
  return last;
}

function minuteTuples(rows: readonly ApiMinuteRow[]): string {
  const datetimes = createDatetimeCache();
  const tuples = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as ApiMinuteRow;
    if (row.counts.length !== API_CALL_COLUMNS.length)
      throw new Error(`an API minute has ${API_CALL_COLUMNS.length} counts, not ${row.counts.length}`);
    let tuple = `('${datetimes(row.minuteMs)}',${sqlInteger(row.apiSeriesId)}`;
    for (const count of row.counts) tuple += `,${sqlInteger(count)}`;
    tuples[i] = `${tuple})`;
  }
  return tuples.join(',');
}

/** The distinct (series, hour) tuples of the rows, in the work list's key order (series, hour). */
function dirtyHourTuples(rows: readonly ApiMinuteRow[]): string[] {
  const hours = new Map<number, Set<number>>();
  for (const row of rows) {
    const hour = Math.floor(row.minuteMs / HOUR_MS) * HOUR_MS;
    const ofSeries = hours.get(row.seriesId);
    if (ofSeries) ofSeries.add(hour);
    else hours.set(row.seriesId, new Set([hour]));
  }
  const datetimes = createDatetimeCache();
  const tuples: string[] = [];
  for (const id of [...hours.keys()].sort((a, b) => a - b))
    for (const hour of [...(hours.get(id) ?? [])].sort((a, b) => a - b))
      tuples.push(`(${sqlInteger(id)},'${datetimes(hour)}')`);
  return tuples;
}
