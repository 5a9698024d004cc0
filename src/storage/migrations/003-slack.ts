import type { Migration } from './migration.js';

/** What Slack delivery needs: every message the bot posts (cards, digests, thread replies, announcements). */
export const slack: Migration = {
  name: '003-slack',
  statements: [
    // One row per message the bot means to post, keyed by what it is ("card_12", "digest_2026-11-21T17_C123",
    // "reply_event_88"): the primary key is what makes a retried or re-run job post it once. A job claims the
    // row (claim_until, a lease in database time) before calling chat.postMessage and stores ts after it;
    // maybe_posted says an earlier claim ended without knowing whether Slack took the message, so the next
    // claimant first looks for it (by the key in the message's metadata) instead of posting again.
    `CREATE TABLE IF NOT EXISTS slack_messages (
  message_key VARCHAR(191) NOT NULL PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  channel VARCHAR(100) NOT NULL,
  thread_ts VARCHAR(32) NULL,
  ts VARCHAR(32) NULL,
  posted_revision BIGINT UNSIGNED NULL,
  claim_token CHAR(24) NULL,
  claimed_at DATETIME(3) NULL,
  claim_until DATETIME(3) NULL,
  maybe_posted TINYINT(1) NOT NULL DEFAULT 0,
  posted_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
)`,
    // Which message shows an alert: its own card, or the digest it went out in. One row per alert, so an alert
    // is posted once; events_through is the last audit-trail event already reflected in the message's thread.
    `CREATE TABLE IF NOT EXISTS slack_alert_messages (
  alert_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  message_key VARCHAR(191) NOT NULL,
  events_through BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_slack_alert_messages_message (message_key),
  CONSTRAINT fk_slack_alert_messages_alert FOREIGN KEY (alert_id) REFERENCES alerts (id)
)`,
  ],
};
