import type { Migration } from './migration.js';

/**
 * The outbox: what every alert change owes each delivery channel, written in the same transaction as the change,
 * so MySQL — not Redis — knows what is still to be delivered. Also the generated link secret (settings).
 */
export const outbox: Migration = {
  name: '005-outbox',
  statements: [
    // One row per alert change (alert, revision) and channel ('slack', 'email', 'escalate'): the unique key is
    // "each change delivered once per channel". run_key names the evaluation run that made the change
    // ('hour_2026-11-21T17', later 'tick_…'); such rows are held (batch_id NULL, released_at NULL) until the run
    // finishes, then released together as one batch, so a storm becomes one digest. Changes outside a run are
    // released at once. state: pending → done (delivered), or failed (given up; a later success still marks it
    // done). sweeps counts how often the sweep re-enqueued it (part of the re-enqueued job's id).
    `CREATE TABLE IF NOT EXISTS deliveries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  alert_id BIGINT UNSIGNED NOT NULL,
  revision INT UNSIGNED NOT NULL,
  channel VARCHAR(16) NOT NULL,
  change_kind VARCHAR(16) NOT NULL,
  run_key VARCHAR(64) NULL,
  batch_id BIGINT UNSIGNED NULL,
  state VARCHAR(16) NOT NULL DEFAULT 'pending',
  sweeps INT UNSIGNED NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  released_at DATETIME(3) NULL,
  finished_at DATETIME(3) NULL,
  error VARCHAR(1000) NULL,
  UNIQUE KEY uq_deliveries_change (alert_id, revision, channel),
  KEY ix_deliveries_state (state, released_at),
  KEY ix_deliveries_run (run_key, batch_id),
  KEY ix_deliveries_batch (batch_id, channel)
)`,
    // A finished run's released changes: its id names the run's digests and digest emails, so a run of an hour
    // evaluated again is a batch of its own (its new alerts are delivered, the old ones not again).
    `CREATE TABLE IF NOT EXISTS delivery_batches (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  run_key VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  KEY ix_delivery_batches_run (run_key)
)`,
    // Values the processes share and create once (the generated LINK_SECRET): INSERT IGNORE, then read back.
    `CREATE TABLE IF NOT EXISTS settings (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  value VARCHAR(1000) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
)`,
  ],
};
