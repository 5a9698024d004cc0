import { API_CALL_COLUMNS } from '../api-call-columns.js';
import type { Migration } from './migration.js';

const minuteCounts = API_CALL_COLUMNS.map((c) => `${c} INT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ');
const hourCounts = API_CALL_COLUMNS.map((c) => `${c} BIGINT UNSIGNED NOT NULL DEFAULT 0`).join(',\n  ');

/**
 * API calls, the second kind of source (src/api-calls/README.md): per-minute summaries per API, their hourly
 * rollups and rollup work list (as counts), and the keys of log posts and import chunks already applied.
 * The layout was measured against the alternatives (bench/api-calls-tables.ts; figures in src/api-calls/README.md).
 */
export const apiCalls: Migration = {
  name: '006-api-calls',
  statements: [
    // One row per (source+environment, api): minutes carry a 4-byte id instead of a name of up to 200
    // characters. utf8mb4_bin: api names are compared exactly (names.ts forbids the trailing spaces that a
    // PAD SPACE collation would ignore).
    `CREATE TABLE IF NOT EXISTS api_series (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  series_id INT UNSIGNED NOT NULL,
  api VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_api_series_api (series_id, api)
)`,
    // The minute first: minutes arrive in time order for every API at once, so rows append at the end of the
    // table and the pages being written stay few, whatever the number of APIs — 1.1–1.7× faster to upsert than
    // (api, minute) at 2,000 APIs, 2.2–5× at 10,000 (bench/api-calls-tables.ts). Rollups read an hour's minutes
    // (as points of the key, or its range); nothing reads one API's minutes over a long span (hourly rollups,
    // keyed by api first, serve history).
    // No foreign key on purpose, as minute_counts: it would add a lookup to every stored minute.
    `CREATE TABLE IF NOT EXISTS api_call_minutes (
  minute DATETIME NOT NULL,
  api_series_id INT UNSIGNED NOT NULL,
  ${minuteCounts},
  PRIMARY KEY (minute, api_series_id)
)`,
    `CREATE TABLE IF NOT EXISTS api_call_hours (
  api_series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  ${hourCounts},
  minutes_reported TINYINT UNSIGNED NOT NULL DEFAULT 0,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (api_series_id, hour_start)
)`,
    // Hours of a source+environment whose API minutes changed since their rollup, written in the same
    // transaction as the minutes. By series, not by API: a batch of a service's APIs marks one row an hour, not
    // one per API (a row per API cost a quarter of bench:ingest's summaries), and the rollup reads every
    // API of the series' hour from the minute-first table at about the cost of one (src/storage/api-call-rollups.ts).
    `CREATE TABLE IF NOT EXISTS api_rollup_dirty (
  series_id INT UNSIGNED NOT NULL,
  hour_start DATETIME NOT NULL,
  PRIMARY KEY (series_id, hour_start)
)`,
    // Log posts' Idempotency-Keys (idem_…) and import chunk keys (log_…), inserted in the transaction that adds
    // their minutes: a key already here means "applied once, add nothing". body_hash tells a repeat from a
    // different request that reused the key. last_minute, the newest minute the batch touched, is what the
    // retention clean-up deletes by: a key is kept while any of its minutes could still be posted again.
    `CREATE TABLE IF NOT EXISTS api_call_batches (
  batch_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  body_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  last_minute DATETIME NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_api_call_batches_last_minute (last_minute)
)`,
  ],
};
