import type { Migration } from './migration.js';

/** Email delivery: one row per alert, recipient and kind of news, and the single-use record of action links. */
export const email: Migration = {
  name: '004-email',
  statements: [
    // The unique key is the idempotency of email: whoever inserts the row (a job, under its send_key) owns that
    // piece of news for that recipient. state: claimed → sent, or claimed → failed (a permanent SMTP refusal).
    // Several rows share a send_key when one email carries them (a digest, or a change with several news).
    `CREATE TABLE IF NOT EXISTS email_deliveries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  alert_id BIGINT UNSIGNED NOT NULL,
  recipient VARCHAR(254) NOT NULL,
  kind VARCHAR(40) NOT NULL,
  send_key VARCHAR(320) NOT NULL,
  state VARCHAR(16) NOT NULL,
  message_id VARCHAR(200) NULL,
  error VARCHAR(1000) NULL,
  claimed_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  UNIQUE KEY uq_email_deliveries_news (alert_id, recipient, kind),
  KEY ix_email_deliveries_send (send_key)
)`,
    // A row per action link that was used: the primary key makes each link act once.
    `CREATE TABLE IF NOT EXISTS email_link_uses (
  link_hash CHAR(64) NOT NULL PRIMARY KEY,
  alert_id BIGINT UNSIGNED NOT NULL,
  action VARCHAR(16) NOT NULL,
  recipient VARCHAR(254) NOT NULL,
  used_at DATETIME(3) NOT NULL
)`,
  ],
};
