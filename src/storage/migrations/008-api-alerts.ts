import type { Migration } from './migration.js';

/**
 * Alerts of API calls (issue 13): an alert, a finding and a mute name the API they are about; an API's trees
 * are kept per training cut-off. Each ALTER does one thing and names the errors that mean it was done before,
 * so a migration interrupted and run again finishes.
 */
export const apiAlerts: Migration = {
  name: '008-api-alerts',
  statements: [
    // api: '' for payment alerts rather than NULL, so the filter is a plain `api = ?` and nothing in the key is
    // NULL. utf8mb4_bin as api_series.api: names compare exactly.
    {
      sql: `ALTER TABLE alerts
  ADD COLUMN api VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '' AFTER environment`,
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
    // open_key becomes alertKey's "source/environment/metric[/api]" — at most 64 + 32 + 64 + 200 + 3 = 363
    // characters, 1,452 bytes: within InnoDB's 3,072-byte index limit on both servers — and binary, so "GET /x"
    // and "GET /X" are two keys. Re-running it changes nothing.
    'ALTER TABLE alerts MODIFY open_key VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL',
    { sql: 'ALTER TABLE alerts ADD KEY ix_alerts_api (api, id)', alreadyDone: ['ER_DUP_KEYNAME'] },
    // A finding of API calls is recorded once per (series, API series, metric, hour, tick minute); payment
    // findings keep api_series_id 0. The series id stays the source+environment's, so everything that reads
    // findings by series still finds them. The new key first, then 007's goes (already gone: done).
    {
      sql: 'ALTER TABLE findings ADD COLUMN api_series_id INT UNSIGNED NOT NULL DEFAULT 0 AFTER series_id',
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
    {
      sql: `ALTER TABLE findings
  ADD UNIQUE KEY uq_findings_series_api_metric_hour_tick (series_id, api_series_id, metric, hour_start, tick_minute)`,
      alreadyDone: ['ER_DUP_KEYNAME'],
    },
    {
      sql: 'ALTER TABLE findings DROP INDEX uq_findings_series_metric_hour_tick',
      alreadyDone: ['ER_CANT_DROP_FIELD_OR_KEY'],
    },
    // The trees of an API trained at one cut-off, all its metrics in one row (ApiTreeModel[] as JSON; [] = too
    // little history then). First write wins: the same cut-off trains the same trees.
    `CREATE TABLE IF NOT EXISTS api_models (
  api_series_id INT UNSIGNED NOT NULL,
  trained_until DATETIME NOT NULL,
  trees MEDIUMTEXT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (api_series_id, trained_until),
  KEY ix_api_models_trained_until (trained_until)
)`,
    // A mute may name one api (the card's Mute menu on an API alert); NULL: every api and the payments.
    {
      sql: 'ALTER TABLE mutes ADD COLUMN api VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL AFTER metric',
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
  ],
};
