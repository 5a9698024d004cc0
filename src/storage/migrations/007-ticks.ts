import type { Migration } from './migration.js';

/**
 * The tick between the hourly runs (issue 10): the band each hourly run stores for the coming hour of every
 * series, findings recorded once per tick, recovery counted in ticks, and paused sources.
 */
export const ticks: Migration = {
  name: '007-ticks',
  statements: [
    // What the hourly run expects of one series' coming clock hour (src/detection/band.ts, as JSON): a tick reads
    // it instead of weeks of history. One row per (series, hour), upserted, so a retried run writes it again.
    // MEDIUMTEXT rather than JSON: the text is only stored and handed back, and reads the same on both servers.
    `CREATE TABLE IF NOT EXISTS bands (
  series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  band MEDIUMTEXT NOT NULL,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (series_id, hour_start),
  KEY ix_bands_hour (hour_start)
)`,
    // A finding is recorded once per series, metric, hour and tick: 0 for the hourly run of the hour, 10…50 for
    // the ticks inside it (minutes past the hour). NOT NULL, so the unique key holds for hourly findings too.
    {
      sql: 'ALTER TABLE findings ADD COLUMN tick_minute TINYINT UNSIGNED NOT NULL DEFAULT 0 AFTER hour_start',
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
    {
      sql: 'ALTER TABLE findings ADD UNIQUE KEY uq_findings_series_metric_hour_tick (series_id, metric, hour_start, tick_minute)',
      alreadyDone: ['ER_DUP_KEYNAME'],
    },
    {
      sql: 'ALTER TABLE findings DROP INDEX uq_findings_series_metric_hour',
      alreadyDone: ['ER_CANT_DROP_FIELD_OR_KEY'],
    },
    // Recovery at the tick cadence: the last tick that counted for the alert and the normal ticks since its last
    // finding (src/alerts/alert-recovery.ts).
    {
      sql: 'ALTER TABLE alerts ADD COLUMN last_tick_at DATETIME NULL AFTER normal_hours',
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
    {
      sql: 'ALTER TABLE alerts ADD COLUMN normal_ticks INT UNSIGNED NOT NULL DEFAULT 0 AFTER last_tick_at',
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
    // A paused source (`sources pause`) is judged by neither the hourly run nor the ticks until it is resumed.
    {
      sql: 'ALTER TABLE sources ADD COLUMN paused_at DATETIME(3) NULL AFTER announced_at',
      alreadyDone: ['ER_DUP_FIELDNAME'],
    },
  ],
};
