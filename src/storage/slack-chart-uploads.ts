import { randomBytes } from 'node:crypto';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { inTransaction, type Pool } from './db.js';

/** Which chart: an alert at a severity level its card has shown (one upload each). */
export interface ChartKey {
  readonly alertId: number;
  readonly severity: string;
}

/** pending → uploaded, or failed (given up after retries), or skipped (the alert has no chart to show). */
export type ChartUploadState = 'pending' | 'uploaded' | 'failed' | 'skipped';

/** An owed, done or abandoned upload of an alert's chart into its card's thread. */
export interface ChartUploadRow extends ChartKey {
  /** `ratewatch-alert-12-critical.png`: unique per row, what a look in the thread recognises. */
  readonly fileName: string;
  readonly state: ChartUploadState;
  /** Slack's file id once the upload completed. */
  readonly fileId: string | null;
  readonly sweeps: number;
}

/** The outcome of claiming an upload. */
export type ChartClaim =
  | {
      readonly kind: 'claimed';
      readonly token: string;
      /** An earlier claim may have completed the upload: look for the file in the thread first (from `since` on). */
      readonly maybeUploaded: boolean;
      readonly since: Date | null;
      readonly row: ChartUploadRow;
    }
  | { readonly kind: 'finished'; readonly row: ChartUploadRow }
  | { readonly kind: 'busy'; readonly retryInMs: number };

export interface ChartUploadStore {
  /** Owes the chart of this alert at this severity unless it is owed or uploaded already; true when new. */
  ensure(key: ChartKey, at: Date): Promise<boolean>;
  get(key: ChartKey): Promise<ChartUploadRow | undefined>;
  /** Takes a lease on uploading (database time), unless it is finished or someone else holds one. */
  claim(key: ChartKey, leaseSeconds: number): Promise<ChartClaim>;
  /** Ends a claim without an upload; `maybeUploaded` when Slack may have completed it anyway. */
  release(key: ChartKey, token: string, maybeUploaded: boolean): Promise<void>;
  /** The upload completed: records the file (and where it went); false if it was recorded already. */
  recordUploaded(
    key: ChartKey,
    upload: { fileId: string; channel: string; threadTs: string; revision: number },
    at: Date,
  ): Promise<boolean>;
  /**
   * Given up after the job's last attempt (`failed`, with the error, without secrets), or nothing to upload
   * (`skipped`, with why). Only a pending row changes.
   */
  finish(key: ChartKey, outcome: { state: 'failed' | 'skipped'; reason: string }, at: Date): Promise<void>;
  /** Uploads still owed since before `before`, oldest first: what the outbox sweep re-queues. */
  owed(before: Date, limit: number): Promise<ChartUploadRow[]>;
  /** Counts a sweep of the row, unless another sweep did (`sweeps` moved on from `from`). */
  countSweep(key: ChartKey, from: number): Promise<boolean>;
}

/** `ratewatch-alert-12-critical.png`. */
export function chartFileName(key: ChartKey): string {
  return `ratewatch-alert-${key.alertId}-${key.severity}.png`;
}

/** The MySQL side of chart uploads (table slack_chart_uploads, migration 009). */
export function createChartUploadStore(pool: Pool): ChartUploadStore {
  return {
    async ensure(key, at) {
      const [result] = await pool.query<ResultSetHeader>(
        `INSERT IGNORE INTO slack_chart_uploads (alert_id, severity, file_name, created_at) VALUES (?, ?, ?, ?)`,
        [key.alertId, key.severity, chartFileName(key), at],
      );
      return result.affectedRows === 1;
    },

    async get(key) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT * FROM slack_chart_uploads WHERE alert_id = ? AND severity = ?',
        [key.alertId, key.severity],
      );
      return rows[0] ? toRow(rows[0]) : undefined;
    },

    claim: (key, leaseSeconds) => inTransaction(pool, (tx) => claimIn(tx, key, leaseSeconds)),

    async release(key, token, maybeUploaded) {
      await pool.query(
        `UPDATE slack_chart_uploads SET claim_token = NULL, claim_until = NULL, maybe_uploaded = ?
         WHERE alert_id = ? AND severity = ? AND claim_token = ? AND state = 'pending'`,
        [maybeUploaded ? 1 : 0, key.alertId, key.severity, token],
      );
    },

    async recordUploaded(key, upload, at) {
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE slack_chart_uploads SET state = 'uploaded', file_id = ?, channel = ?, thread_ts = ?, revision = ?,
           finished_at = ?, error = NULL, claim_token = NULL, claim_until = NULL, maybe_uploaded = 0
         WHERE alert_id = ? AND severity = ? AND state <> 'uploaded'`,
        [upload.fileId, upload.channel, upload.threadTs, upload.revision, at, key.alertId, key.severity],
      );
      return result.affectedRows === 1;
    },

    async finish(key, outcome, at) {
      await pool.query(
        `UPDATE slack_chart_uploads SET state = ?, error = ?, finished_at = ?, claim_token = NULL,
           claim_until = NULL WHERE alert_id = ? AND severity = ? AND state = 'pending'`,
        [outcome.state, outcome.reason.slice(0, 1000), at, key.alertId, key.severity],
      );
    },

    async owed(before, limit) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT * FROM slack_chart_uploads WHERE state = 'pending' AND created_at < ?
         ORDER BY created_at, alert_id LIMIT ?`,
        [before, limit],
      );
      return rows.map(toRow);
    },

    async countSweep(key, from) {
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE slack_chart_uploads SET sweeps = ?
         WHERE alert_id = ? AND severity = ? AND sweeps <= ? AND state = 'pending'`,
        [from + 1, key.alertId, key.severity, from],
      );
      return result.affectedRows > 0;
    },
  };
}

async function claimIn(tx: PoolConnection, key: ChartKey, leaseSeconds: number): Promise<ChartClaim> {
  const [rows] = await tx.query<RowDataPacket[]>(
    `SELECT *, claim_until > NOW(3) AS held, TIMESTAMPDIFF(MICROSECOND, NOW(3), claim_until) AS held_us
     FROM slack_chart_uploads WHERE alert_id = ? AND severity = ? FOR UPDATE`,
    [key.alertId, key.severity],
  );
  const row = rows[0];
  if (!row) throw new Error(`no chart upload of alert #${key.alertId} at ${key.severity} to claim`);
  if (row.state !== 'pending') return { kind: 'finished', row: toRow(row) };
  if (Number(row.held) === 1) return { kind: 'busy', retryInMs: Math.max(100, Number(row.held_us) / 1000) };
  const token = randomBytes(12).toString('hex');
  // As for messages (slack-messages.ts): the new claim is marked "maybe uploaded" until it says otherwise, so a
  // claimant that dies mid-upload leaves the next one looking first, from the first claim on.
  await tx.query(
    `UPDATE slack_chart_uploads SET claim_token = ?, claimed_at = COALESCE(claimed_at, NOW(3)),
       claim_until = NOW(3) + INTERVAL ? SECOND, maybe_uploaded = 1 WHERE alert_id = ? AND severity = ?`,
    [token, leaseSeconds, key.alertId, key.severity],
  );
  return {
    kind: 'claimed',
    token,
    maybeUploaded: Number(row.maybe_uploaded) === 1,
    since: row.claimed_at ?? null,
    row: toRow(row),
  };
}

function toRow(row: RowDataPacket): ChartUploadRow {
  return {
    alertId: Number(row.alert_id),
    severity: String(row.severity),
    fileName: String(row.file_name),
    state: row.state as ChartUploadState,
    fileId: row.file_id ?? null,
    sweeps: Number(row.sweeps),
  };
}
