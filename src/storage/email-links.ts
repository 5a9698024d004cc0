import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** A used action link, keyed by the SHA-256 of its token. */
export interface LinkUse {
  readonly linkHash: string;
  readonly alertId: number;
  readonly action: string;
  readonly recipient: string;
}

export interface EmailLinkStore {
  /** Records the link as used; false when it was used before (the primary key decides, so two clicks act once). */
  use(link: LinkUse, at: Date): Promise<boolean>;
  /** Takes a use back, when the action it was for could not be carried out (the person may try again). */
  release(linkHash: string): Promise<void>;
  isUsed(linkHash: string): Promise<boolean>;
}

/** Single-use action links in MySQL (table email_link_uses, migration 004). */
export function createEmailLinkStore(pool: Pool): EmailLinkStore {
  return {
    async use(link, at) {
      const [result] = await pool.query<ResultSetHeader>(
        'INSERT IGNORE INTO email_link_uses (link_hash, alert_id, action, recipient, used_at) VALUES (?, ?, ?, ?, ?)',
        [link.linkHash, link.alertId, link.action, link.recipient, at],
      );
      return result.affectedRows === 1;
    },

    async release(linkHash) {
      await pool.query('DELETE FROM email_link_uses WHERE link_hash = ?', [linkHash]);
    },

    async isUsed(linkHash) {
      const [rows] = await pool.query<RowDataPacket[]>('SELECT 1 FROM email_link_uses WHERE link_hash = ?', [
        linkHash,
      ]);
      return rows.length > 0;
    },
  };
}
