import type { Migration } from './migration.js';

/** What detection and triage need: findings, alerts with their audit trail, trained models, runs and mutes. */
export const alertsAndModels: Migration = {
  name: '002-alerts-and-models',
  statements: [
    // One finding per series, metric and evaluated hour: a retried evaluation cannot record (or alert) twice.
    `CREATE TABLE IF NOT EXISTS findings (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  series_id INT UNSIGNED NOT NULL,
  metric VARCHAR(32) NOT NULL,
  hour_start DATETIME NOT NULL,
  window_start DATETIME NOT NULL,
  window_end DATETIME(3) NOT NULL,
  severity VARCHAR(16) NOT NULL,
  score DOUBLE NOT NULL,
  detail JSON NOT NULL,
  alert_id BIGINT UNSIGNED NULL,
  muted TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_findings_series_metric_hour (series_id, metric, hour_start),
  KEY ix_findings_hour (hour_start),
  KEY ix_findings_alert (alert_id)
)`,
    // open_key is "source/environment/metric" while the alert is not resolved and NULL after: the unique key
    // lets at most one open alert exist per key, which is what merging relies on.
    `CREATE TABLE IF NOT EXISTS alerts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  source VARCHAR(64) NOT NULL,
  environment VARCHAR(32) NOT NULL,
  metric VARCHAR(64) NOT NULL,
  open_key VARCHAR(200) NULL,
  status VARCHAR(16) NOT NULL,
  severity VARCHAR(16) NOT NULL,
  origin VARCHAR(16) NOT NULL,
  title VARCHAR(300) NOT NULL,
  summary TEXT NULL,
  occurrences INT UNSIGNED NOT NULL DEFAULT 1,
  first_seen_at DATETIME(3) NOT NULL,
  last_seen_at DATETIME(3) NOT NULL,
  last_finding JSON NULL,
  last_evaluated_hour DATETIME NULL,
  normal_hours INT UNSIGNED NOT NULL DEFAULT 0,
  recovered_at DATETIME(3) NULL,
  acknowledged_at DATETIME(3) NULL,
  acknowledged_by VARCHAR(200) NULL,
  resolved_at DATETIME(3) NULL,
  resolved_by VARCHAR(200) NULL,
  resolution_note VARCHAR(1000) NULL,
  revision INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_alerts_open_key (open_key),
  KEY ix_alerts_status (status, id),
  KEY ix_alerts_source (source, environment, id),
  KEY ix_alerts_severity (severity, id)
)`,
    // Every transition, with who, through which channel and when. dedupe_key makes retried side effects
    // ("notified by slack at revision 3") record once.
    `CREATE TABLE IF NOT EXISTS alert_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  alert_id BIGINT UNSIGNED NOT NULL,
  kind VARCHAR(32) NOT NULL,
  actor VARCHAR(200) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  detail JSON NULL,
  dedupe_key VARCHAR(200) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_alert_events_dedupe (dedupe_key),
  KEY ix_alert_events_alert (alert_id, id),
  CONSTRAINT fk_alert_events_alert FOREIGN KEY (alert_id) REFERENCES alerts (id)
)`,
    // One trained tree per series, metric and training cut-off; tree NULL records "too little history then".
    `CREATE TABLE IF NOT EXISTS models (
  series_id INT UNSIGNED NOT NULL,
  metric VARCHAR(32) NOT NULL,
  trained_until DATETIME NOT NULL,
  trained_from DATETIME NOT NULL,
  samples INT UNSIGNED NOT NULL DEFAULT 0,
  training_rows INT UNSIGNED NOT NULL DEFAULT 0,
  spread DOUBLE NOT NULL DEFAULT 0,
  training_error DOUBLE NOT NULL DEFAULT 0,
  floor_rate DOUBLE NOT NULL DEFAULT 0,
  tree JSON NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (series_id, metric, trained_until)
)`,
    `CREATE TABLE IF NOT EXISTS evaluation_runs (
  hour_start DATETIME NOT NULL PRIMARY KEY,
  status VARCHAR(16) NOT NULL,
  trigger_kind VARCHAR(16) NOT NULL,
  series_total INT UNSIGNED NOT NULL DEFAULT 0,
  findings INT UNSIGNED NOT NULL DEFAULT 0,
  started_at DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  duration_ms INT UNSIGNED NULL
)`,
    // A muted source (optionally one environment or metric) records findings without alerting until it ends.
    `CREATE TABLE IF NOT EXISTS mutes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  source VARCHAR(64) NOT NULL,
  environment VARCHAR(32) NULL,
  metric VARCHAR(64) NULL,
  until_at DATETIME(3) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ended_at DATETIME(3) NULL,
  KEY ix_mutes_source (source, until_at)
)`,
  ],
};
