import { randomBytes } from 'node:crypto';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { inTransaction, type Pool } from './db.js';

export type MessageKind = 'card' | 'digest' | 'reply' | 'announce';

/** A message the bot posts (or is about to): its key, where it goes, and what Slack answered. */
export interface SlackMessageRow {
  readonly key: string;
  readonly kind: MessageKind;
  /** Channel id (resolved before the row is written). */
  readonly channel: string;
  /** For thread replies: the ts of the message replied to. */
  readonly threadTs: string | null;
  /** Slack's ts once posted; null while not (yet) posted. */
  readonly ts: string | null;
  /** The revision the message showed when last written (alert revision for cards, their sum for digests). */
  readonly postedRevision: number | null;
}

/** The outcome of claiming a message for posting. */
export type Claim =
  | {
      readonly kind: 'claimed';
      readonly token: string;
      /** An earlier claim may have posted it: look for it before posting (from `since` on). */
      readonly maybePosted: boolean;
      readonly since: Date | null;
    }
  | { readonly kind: 'posted'; readonly row: SlackMessageRow }
  | { readonly kind: 'busy'; readonly retryInMs: number };

/** Which message shows an alert. */
export interface AlertLink {
  readonly alertId: number;
  readonly messageKey: string;
  /** The last audit-trail event already reflected in the thread. */
  readonly eventsThrough: number;
}

export interface CardStore {
  get(key: string): Promise<SlackMessageRow | undefined>;
  /** Writes the row unless it exists (the key is the primary key). */
  ensure(row: { key: string; kind: MessageKind; channel: string; threadTs?: string | null }): Promise<void>;
  /** Takes a lease on posting the message (database time), unless it is posted or someone else holds one. */
  claim(key: string, leaseSeconds: number): Promise<Claim>;
  /** Stores Slack's ts and ends the claim; false if the message was already recorded as posted. */
  recordPosted(key: string, ts: string, revision: number): Promise<boolean>;
  /** Ends a claim without a post; `maybePosted` when Slack may have taken the message anyway. */
  release(key: string, token: string, maybePosted: boolean): Promise<void>;
  /** Records that the message now shows `revision` (never lowers it). */
  recordRevision(key: string, revision: number): Promise<void>;
  /** Links the alerts to the message unless they are linked already; returns each alert's link. */
  link(alertIds: readonly number[], messageKey: string): Promise<AlertLink[]>;
  linkOf(alertId: number): Promise<AlertLink | undefined>;
  /** The alerts a message shows (one for a card, many for a digest), in id order. */
  alertIdsOf(messageKey: string): Promise<number[]>;
  /** Records that the thread reflects the alert's events up to `eventId`. */
  advanceEvents(alertId: number, eventId: number): Promise<void>;
}

/** The MySQL side of Slack delivery: the message rows and their claims, and which message shows which alert. */
export function createCardStore(pool: Pool): CardStore {
  return {
    async get(key) {
      const [rows] = await pool.query<RowDataPacket[]>('SELECT * FROM slack_messages WHERE message_key = ?', [
        key,
      ]);
      return rows[0] ? toRow(rows[0]) : undefined;
    },

    async ensure({ key, kind, channel, threadTs }) {
      await pool.query(
        'INSERT IGNORE INTO slack_messages (message_key, kind, channel, thread_ts) VALUES (?, ?, ?, ?)',
        [key, kind, channel, threadTs ?? null],
      );
    },

    claim: (key, leaseSeconds) => inTransaction(pool, (tx) => claimIn(tx, key, leaseSeconds)),

    async recordPosted(key, ts, revision) {
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE slack_messages SET ts = ?, posted_revision = ?, posted_at = NOW(3), claim_token = NULL,
           claim_until = NULL, maybe_posted = 0 WHERE message_key = ? AND ts IS NULL`,
        [ts, revision, key],
      );
      return result.affectedRows === 1;
    },

    async release(key, token, maybePosted) {
      await pool.query(
        `UPDATE slack_messages SET claim_token = NULL, claim_until = NULL, maybe_posted = ?
         WHERE message_key = ? AND claim_token = ? AND ts IS NULL`,
        [maybePosted ? 1 : 0, key, token],
      );
    },

    async recordRevision(key, revision) {
      await pool.query(
        'UPDATE slack_messages SET posted_revision = GREATEST(COALESCE(posted_revision, 0), ?) WHERE message_key = ?',
        [revision, key],
      );
    },

    async link(alertIds, messageKey) {
      for (const id of alertIds) {
        // events_through starts at the alert's latest event: the message shows its state, the thread what follows.
        await pool.query(
          `INSERT IGNORE INTO slack_alert_messages (alert_id, message_key, events_through)
           SELECT ?, ?, COALESCE(MAX(id), 0) FROM alert_events WHERE alert_id = ?`,
          [id, messageKey, id],
        );
      }
      if (alertIds.length === 0) return [];
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT * FROM slack_alert_messages WHERE alert_id IN (?) ORDER BY alert_id',
        [alertIds],
      );
      return rows.map(toLink);
    },

    async linkOf(alertId) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT * FROM slack_alert_messages WHERE alert_id = ?',
        [alertId],
      );
      return rows[0] ? toLink(rows[0]) : undefined;
    },

    async alertIdsOf(messageKey) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT alert_id FROM slack_alert_messages WHERE message_key = ? ORDER BY alert_id',
        [messageKey],
      );
      return rows.map((row) => Number(row.alert_id));
    },

    async advanceEvents(alertId, eventId) {
      await pool.query(
        'UPDATE slack_alert_messages SET events_through = GREATEST(events_through, ?) WHERE alert_id = ?',
        [eventId, alertId],
      );
    },
  };
}

async function claimIn(tx: PoolConnection, key: string, leaseSeconds: number): Promise<Claim> {
  const [rows] = await tx.query<RowDataPacket[]>(
    `SELECT *, claim_until > NOW(3) AS held, TIMESTAMPDIFF(MICROSECOND, NOW(3), claim_until) AS held_us
     FROM slack_messages WHERE message_key = ? FOR UPDATE`,
    [key],
  );
  const row = rows[0];
  if (!row) throw new Error(`no slack message "${key}" to claim`);
  if (row.ts !== null) return { kind: 'posted', row: toRow(row) };
  if (Number(row.held) === 1) return { kind: 'busy', retryInMs: Math.max(100, Number(row.held_us) / 1000) };
  const token = randomBytes(12).toString('hex');
  // maybe_posted is set for the new claim too: if this claimant dies mid-post, the next one must look first —
  // from the first claim on (claimed_at keeps it), since any earlier attempt may be the one that got through.
  await tx.query(
    `UPDATE slack_messages SET claim_token = ?, claimed_at = COALESCE(claimed_at, NOW(3)),
       claim_until = NOW(3) + INTERVAL ? SECOND, maybe_posted = 1 WHERE message_key = ?`,
    [token, leaseSeconds, key],
  );
  return {
    kind: 'claimed',
    token,
    maybePosted: Number(row.maybe_posted) === 1,
    since: row.claimed_at ?? null,
  };
}

function toRow(row: RowDataPacket): SlackMessageRow {
  return {
    key: row.message_key,
    kind: row.kind,
    channel: row.channel,
    threadTs: row.thread_ts,
    ts: row.ts,
    postedRevision: row.posted_revision === null ? null : Number(row.posted_revision),
  };
}

function toLink(row: RowDataPacket): AlertLink {
  return {
    alertId: Number(row.alert_id),
    messageKey: row.message_key,
    eventsThrough: Number(row.events_through),
  };
}
