import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { DeliveryChannel, RunChanges } from '../alerts/notifications.js';
import { inTransaction, type Pool } from './db.js';

/** One alert change as a channel delivers it: the alert at a revision. */
export interface DeliveryItem {
  readonly alertId: number;
  readonly revision: number;
}

/** A run's held changes, released as one batch: what the fast path enqueues. */
export interface ReleasedBatch {
  readonly batchId: number;
  readonly runKey: string;
  /** The channels that have rows in the batch. */
  readonly channels: readonly DeliveryChannel[];
  /** The batch's escalation rows: each alert's check is a job of its own. */
  readonly escalate: readonly DeliveryItem[];
}

/** A row still owed after it was due for a while: what the sweep looks at. */
export interface OwedDelivery extends DeliveryItem {
  readonly id: number;
  readonly channel: DeliveryChannel;
  readonly batchId: number | null;
  readonly sweeps: number;
}

/** Per channel: rows still owed, when the oldest of them became due, and rows given up on lately (/metrics). */
export interface DeliveryHealth {
  readonly channel: DeliveryChannel;
  readonly pending: number;
  readonly oldestPendingAt: Date | null;
  readonly failed: number;
}

/** What delivery jobs do with the outbox: read a batch, mark rows delivered or given up on. */
export interface DeliveryLedger {
  /** A batch's changes for one channel (every row, delivered or not: a re-run makes the same choice). */
  batchChanges(batchId: number, channel: DeliveryChannel): Promise<RunChanges | undefined>;
  /** These changes reached the channel (each alert's rows up to that revision); returns rows marked. */
  delivered(channel: DeliveryChannel, items: readonly DeliveryItem[], at: Date): Promise<number>;
  deliveredBatch(channel: DeliveryChannel, batchId: number, at: Date): Promise<number>;
  /** Delivery gave up (after its last attempt); a later success still marks the rows delivered. */
  failed(channel: DeliveryChannel, items: readonly DeliveryItem[], error: string, at: Date): Promise<number>;
  failedBatch(channel: DeliveryChannel, batchId: number, error: string, at: Date): Promise<number>;
}

/** The outbox (table deliveries, migration 005): written by the alert service's transactions, read here. */
export interface DeliveryStore extends DeliveryLedger {
  /** Releases a run's held changes as one new batch; undefined when it held none. */
  release(runKey: string, at: Date): Promise<ReleasedBatch | undefined>;
  /** Runs holding changes made before `before` (a run that never finished). */
  heldRuns(before: Date): Promise<string[]>;
  /** Rows owed since before `before`, oldest first. */
  owed(before: Date, limit: number): Promise<OwedDelivery[]>;
  /** Counts a sweep of these rows, unless another sweep did (`sweeps` moved on from `from`). */
  countSweep(ids: readonly number[], from: number): Promise<boolean>;
  /** Owed rows per channel, and rows given up on since `failedSince`. */
  health(failedSince: Date): Promise<DeliveryHealth[]>;
  /** Deletes finished rows (delivered or given up on) and empty batches from before `before`. */
  purge(before: Date): Promise<number>;
}

export function createDeliveryStore(pool: Pool): DeliveryStore {
  return {
    release: (runKey, at) => inTransaction(pool, (tx) => releaseRun(tx, runKey, at)),

    async heldRuns(before) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT DISTINCT run_key FROM deliveries
         WHERE state = 'pending' AND released_at IS NULL AND created_at < ? ORDER BY run_key`,
        [before],
      );
      return rows.map((row) => String(row.run_key));
    },

    async owed(before, limit) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT id, alert_id, revision, channel, batch_id, sweeps FROM deliveries
         WHERE state = 'pending' AND released_at < ? ORDER BY id LIMIT ?`,
        [before, limit],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        alertId: Number(row.alert_id),
        revision: Number(row.revision),
        channel: row.channel as DeliveryChannel,
        batchId: row.batch_id === null ? null : Number(row.batch_id),
        sweeps: Number(row.sweeps),
      }));
    },

    async countSweep(ids, from) {
      if (ids.length === 0) return false;
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE deliveries SET sweeps = ? WHERE id IN (?) AND sweeps <= ? AND state = 'pending'`,
        [from + 1, ids, from],
      );
      return result.affectedRows > 0;
    },

    async batchChanges(batchId, channel) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT d.alert_id, d.change_kind, b.run_key FROM deliveries d JOIN delivery_batches b ON b.id = d.batch_id
         WHERE d.batch_id = ? AND d.channel = ? ORDER BY d.alert_id`,
        [batchId, channel],
      );
      const runKey = rows[0]?.run_key;
      if (runKey === undefined) return undefined;
      const of = (kind: string) => rows.filter((r) => r.change_kind === kind).map((r) => Number(r.alert_id));
      return { runKey: String(runKey), batchId, raised: of('raised'), recovered: of('recovered') };
    },

    delivered: (channel, items, at) => finishItems(pool, channel, items, { state: 'done', at }),
    failed: (channel, items, error, at) => finishItems(pool, channel, items, { state: 'failed', at, error }),

    async deliveredBatch(channel, batchId, at) {
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE deliveries SET state = 'done', finished_at = ?, error = NULL
         WHERE batch_id = ? AND channel = ? AND state <> 'done'`,
        [at, batchId, channel],
      );
      return result.affectedRows;
    },

    async failedBatch(channel, batchId, error, at) {
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE deliveries SET state = 'failed', finished_at = ?, error = ?
         WHERE batch_id = ? AND channel = ? AND state = 'pending'`,
        [at, error.slice(0, 1000), batchId, channel],
      );
      return result.affectedRows;
    },

    async health(failedSince) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT channel, state, COUNT(*) AS n, MIN(released_at) AS oldest FROM deliveries
         WHERE (state = 'pending' AND released_at IS NOT NULL) OR (state = 'failed' AND finished_at >= ?)
         GROUP BY channel, state`,
        [failedSince],
      );
      const byChannel = new Map<DeliveryChannel, DeliveryHealth>();
      for (const row of rows) {
        const channel = row.channel as DeliveryChannel;
        const health = byChannel.get(channel) ?? { channel, pending: 0, oldestPendingAt: null, failed: 0 };
        byChannel.set(
          channel,
          row.state === 'pending'
            ? { ...health, pending: Number(row.n), oldestPendingAt: row.oldest }
            : { ...health, failed: Number(row.n) },
        );
      }
      return [...byChannel.values()];
    },

    async purge(before) {
      const [result] = await pool.query<ResultSetHeader>(
        "DELETE FROM deliveries WHERE state IN ('done', 'failed') AND finished_at < ?",
        [before],
      );
      await pool.query(
        `DELETE FROM delivery_batches WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.batch_id = delivery_batches.id)`,
        [before],
      );
      return result.affectedRows;
    },
  };
}

async function releaseRun(
  tx: import('mysql2/promise').PoolConnection,
  runKey: string,
  at: Date,
): Promise<ReleasedBatch | undefined> {
  const [batch] = await tx.query<ResultSetHeader>(
    'INSERT INTO delivery_batches (run_key, created_at) VALUES (?, ?)',
    [runKey, at],
  );
  const batchId = batch.insertId;
  const [released] = await tx.query<ResultSetHeader>(
    `UPDATE deliveries SET batch_id = ?, released_at = ?
     WHERE run_key = ? AND batch_id IS NULL AND state = 'pending'`,
    [batchId, at, runKey],
  );
  if (released.affectedRows === 0) {
    // Nothing held: no batch (a run that changed nothing, or one whose changes another finish released).
    await tx.query('DELETE FROM delivery_batches WHERE id = ?', [batchId]);
    return undefined;
  }
  const [rows] = await tx.query<RowDataPacket[]>(
    'SELECT alert_id, revision, channel FROM deliveries WHERE batch_id = ? ORDER BY id',
    [batchId],
  );
  const channels = [...new Set(rows.map((row) => row.channel as DeliveryChannel))];
  const escalate = rows
    .filter((row) => row.channel === 'escalate')
    .map((row) => ({ alertId: Number(row.alert_id), revision: Number(row.revision) }));
  return { batchId, runKey, channels, escalate };
}

/** Marks each alert's rows of a channel up to the item's revision (a later state shown covers earlier ones). */
async function finishItems(
  pool: Pool,
  channel: DeliveryChannel,
  items: readonly DeliveryItem[],
  outcome: { state: 'done' | 'failed'; at: Date; error?: string },
): Promise<number> {
  if (items.length === 0) return 0;
  // done overrides failed (a late success), failed only replaces pending.
  const from = outcome.state === 'done' ? "state <> 'done'" : "state = 'pending'";
  const match = items.map(() => '(alert_id = ? AND revision <= ?)').join(' OR ');
  const [result] = await pool.query<ResultSetHeader>(
    `UPDATE deliveries SET state = ?, finished_at = ?, error = ?
     WHERE channel = ? AND ${from} AND (${match})`,
    [
      outcome.state,
      outcome.at,
      outcome.error?.slice(0, 1000) ?? null,
      channel,
      ...items.flatMap((item) => [item.alertId, item.revision]),
    ],
  );
  return result.affectedRows;
}
