import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** One piece of news about one alert for one recipient: `open_high`, `acknowledged`, `resolved`, `escalated`… */
export interface NewsItem {
  readonly alertId: number;
  readonly kind: string;
}

/** Who owns a piece of news for a recipient, and how far its email got. */
export interface NewsRow extends NewsItem {
  readonly sendKey: string;
  readonly state: 'claimed' | 'sent' | 'failed';
}

export interface EmailDeliveryStore {
  /**
   * Claims each item for `recipient` under `sendKey` (INSERT IGNORE on the unique alert, recipient and kind)
   * and returns every item's row as it now stands — claimed by this send key or by an earlier one.
   */
  claim(sendKey: string, recipient: string, items: readonly NewsItem[], at: Date): Promise<NewsRow[]>;
  /** The email of `sendKey` was accepted by the SMTP server. */
  markSent(sendKey: string, messageId: string, at: Date): Promise<void>;
  /** The SMTP server refused the email of `sendKey` for good (5xx): recorded, never retried. */
  markFailed(sendKey: string, error: string, at: Date): Promise<void>;
}

/** Email delivery rows in MySQL (table email_deliveries, migration 004). */
export function createEmailDeliveryStore(pool: Pool): EmailDeliveryStore {
  return {
    async claim(sendKey, recipient, items, at) {
      if (items.length === 0) return [];
      await pool.query(
        'INSERT IGNORE INTO email_deliveries (alert_id, recipient, kind, send_key, state, claimed_at) VALUES ?',
        [items.map((item) => [item.alertId, recipient, item.kind, sendKey, 'claimed', at])],
      );
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT alert_id, kind, send_key, state FROM email_deliveries
         WHERE recipient = ? AND (alert_id, kind) IN (?) ORDER BY id`,
        [recipient, items.map((item) => [item.alertId, item.kind])],
      );
      return rows.map((row) => ({
        alertId: Number(row.alert_id),
        kind: String(row.kind),
        sendKey: String(row.send_key),
        state: row.state as NewsRow['state'],
      }));
    },

    async markSent(sendKey, messageId, at) {
      await pool.query<ResultSetHeader>(
        `UPDATE email_deliveries SET state = 'sent', message_id = ?, finished_at = ?
         WHERE send_key = ? AND state = 'claimed'`,
        [messageId.slice(0, 200), at, sendKey],
      );
    },

    async markFailed(sendKey, error, at) {
      await pool.query<ResultSetHeader>(
        `UPDATE email_deliveries SET state = 'failed', error = ?, finished_at = ?
         WHERE send_key = ? AND state = 'claimed'`,
        [error.slice(0, 1000), at, sendKey],
      );
    },
  };
}
