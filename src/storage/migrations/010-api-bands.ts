import type { Migration } from './migration.js';

/**
 * The ticks judge APIs too (issue 13): the band the hourly run stores for each API's coming hour, in a table of
 * its own rather than a column of `bands` — keyed by the API series alone, as `api_models` is, while `bands`, its
 * key and its readers stay as 007 made them.
 */
export const apiBands: Migration = {
  name: '010-api-bands',
  statements: [
    // The same table as `bands` (an ApiBand as JSON text, one row per key and hour, upserted), keyed by
    // api_series_id: built from it so the two cannot drift. Its hour index keeps the name ix_bands_hour.
    'CREATE TABLE IF NOT EXISTS api_bands LIKE bands',
    {
      sql: 'ALTER TABLE api_bands CHANGE COLUMN series_id api_series_id INT UNSIGNED NOT NULL',
      alreadyDone: ['ER_BAD_FIELD_ERROR'],
    },
  ],
};
