import type { Migration } from './migration.js';

/** The alert's chart in its Slack card's thread: one upload per alert and severity level reached. */
export const slackCharts: Migration = {
  name: '009-slack-charts',
  statements: [
    // One row per alert and severity its card has shown: the primary key is "uploaded once". The row is written
    // (INSERT IGNORE) when the card shows that severity, before the upload job is queued, so MySQL knows every
    // chart still owed (state 'pending'; the outbox sweep re-queues it after a Redis wipe). An upload claims the
    // row under a lease (claim_until, database time); maybe_uploaded says an earlier claim ended without knowing
    // whether Slack completed the upload, so the next one first looks in the thread for the file (by file_name,
    // unique per row). state: pending → uploaded (file_id from files.completeUploadExternal), failed (given up
    // after the job's retries; the error, without secrets) or skipped (no chart to show). sweeps counts the sweep's re-queues (job ids).
    `CREATE TABLE IF NOT EXISTS slack_chart_uploads (
  alert_id BIGINT UNSIGNED NOT NULL,
  severity VARCHAR(16) NOT NULL,
  file_name VARCHAR(100) NOT NULL,
  state VARCHAR(16) NOT NULL DEFAULT 'pending',
  file_id VARCHAR(32) NULL,
  channel VARCHAR(100) NULL,
  thread_ts VARCHAR(32) NULL,
  revision INT UNSIGNED NULL,
  claim_token CHAR(24) NULL,
  claimed_at DATETIME(3) NULL,
  claim_until DATETIME(3) NULL,
  maybe_uploaded TINYINT(1) NOT NULL DEFAULT 0,
  sweeps INT UNSIGNED NOT NULL DEFAULT 0,
  error VARCHAR(1000) NULL,
  created_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  PRIMARY KEY (alert_id, severity),
  KEY ix_slack_chart_uploads_state (state, created_at),
  CONSTRAINT fk_slack_chart_uploads_alert FOREIGN KEY (alert_id) REFERENCES alerts (id)
)`,
  ],
};
