import { SLOT_COLUMNS } from '../slots.js';
import type { Migration } from './migration.js';

const minuteSlots = SLOT_COLUMNS.map((column) => `${column} INT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ');
const hourSlots = SLOT_COLUMNS.map((column) => `${column} BIGINT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ');

/** Catalogs, sources and their tokens, per-minute counts, hourly rollups and the rollup work list. */
export const foundation: Migration = {
  name: '001-foundation',
  statements: [
    `CREATE TABLE IF NOT EXISTS status_catalogs (
  id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_status_catalogs_name (name)
)`,
    `CREATE TABLE IF NOT EXISTS catalog_statuses (
  catalog_id SMALLINT UNSIGNED NOT NULL,
  slot TINYINT UNSIGNED NOT NULL,
  status VARCHAR(64) NOT NULL,
  watched TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (catalog_id, slot),
  UNIQUE KEY uq_catalog_statuses_status (catalog_id, status),
  CONSTRAINT fk_catalog_statuses_catalog FOREIGN KEY (catalog_id) REFERENCES status_catalogs (id)
)`,
    // The default catalog: the seven payment statuses; failed, denied and reversed are watched for rate rises.
    `INSERT IGNORE INTO status_catalogs (id, name) VALUES (1, 'payments')`,
    `INSERT IGNORE INTO catalog_statuses (catalog_id, slot, status, watched) VALUES
  (1, 0, 'approved', 0), (1, 1, 'denied', 1), (1, 2, 'reversed', 1), (1, 3, 'failed', 1),
  (1, 4, 'processing', 0), (1, 5, 'backend_reversed', 0), (1, 6, 'refunded', 0)`,
    `CREATE TABLE IF NOT EXISTS sources (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  default_environment VARCHAR(32) NOT NULL DEFAULT 'production',
  catalog_id SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  token_hash CHAR(64) NULL,
  token_created_at DATETIME(3) NULL,
  onboarded_via VARCHAR(16) NOT NULL,
  announced_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_sources_name (name),
  UNIQUE KEY uq_sources_token_hash (token_hash),
  CONSTRAINT fk_sources_catalog FOREIGN KEY (catalog_id) REFERENCES status_catalogs (id)
)`,
    `CREATE TABLE IF NOT EXISTS series (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  source_id INT UNSIGNED NOT NULL,
  environment VARCHAR(32) NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_series_source_environment (source_id, environment),
  CONSTRAINT fk_series_source FOREIGN KEY (source_id) REFERENCES sources (id)
)`,
    // No foreign key here on purpose: it would add a lookup to every ingested minute.
    `CREATE TABLE IF NOT EXISTS minute_counts (
  series_id INT UNSIGNED NOT NULL,
  minute DATETIME NOT NULL,
  ${minuteSlots},
  PRIMARY KEY (series_id, minute)
)`,
    `CREATE TABLE IF NOT EXISTS hourly_counts (
  series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  ${hourSlots},
  minutes_reported TINYINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (series_id, hour_start)
)`,
    // Hours whose minutes changed since their rollup was computed; written in the same transaction as the minutes.
    `CREATE TABLE IF NOT EXISTS rollup_dirty (
  series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  PRIMARY KEY (series_id, hour_start)
)`,
  ],
};
