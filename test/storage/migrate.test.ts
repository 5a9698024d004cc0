import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, ensureDatabase, type Pool } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { migrations } from '../../src/storage/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/mysql.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('migrate');
});
afterAll(() => database?.drop());

describe('migrate', () => {
  it('creates the database when it is missing', async () => {
    await database.drop();
    await ensureDatabase(database.url);
    const pool = createPool({ url: database.url });
    await expect(pool.query('SELECT 1')).resolves.toBeDefined();
    await pool.end();
  });

  describe('when two processes start at once', () => {
    it('applies each migration exactly once and both see the full schema', async () => {
      const first = createPool({ url: database.url });
      const second = createPool({ url: database.url });
      const pools: Pool[] = [first, second];
      const applied = await Promise.all(pools.map((pool) => migrate(pool)));
      expect(applied.flat().sort()).toEqual(migrations.map((m) => m.name).sort());
      const [rows] = await first.query<RowDataPacket[]>('SELECT name FROM schema_migrations');
      expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
      expect(await migrate(second)).toEqual([]);
      await Promise.all(pools.map((pool) => pool.end()));
    });
  });

  describe('when the ticks (007) and API alerts (008) migrations were interrupted and run again', () => {
    it('finds their columns and keys in place and succeeds', async () => {
      const pool = createPool({ url: database.url });
      await migrate(pool);
      await pool.query("DELETE FROM schema_migrations WHERE name IN ('007-ticks', '008-api-alerts')");
      expect(await migrate(pool)).toEqual(['007-ticks', '008-api-alerts']);
      const [keys] = await pool.query<RowDataPacket[]>(
        "SHOW INDEX FROM findings WHERE Key_name LIKE 'uq_findings%'",
      );
      expect([...new Set(keys.map((k) => k.Key_name))]).toEqual(['uq_findings_series_api_metric_hour_tick']);
      await pool.end();
    });
  });

  it('runs every connection in UTC at READ COMMITTED', async () => {
    const pool = createPool({ url: database.url });
    const [rows] = await pool.query<RowDataPacket[]>(
      'SELECT @@session.time_zone AS tz, @@session.tx_isolation AS iso',
    );
    expect(rows[0]).toEqual({ tz: '+00:00', iso: 'READ-COMMITTED' });
    await pool.end();
  });

  it('finishes 008 (alerts of API calls) when it is run again after an interruption', async () => {
    const pool = createPool({ url: database.url });
    await migrate(pool);
    // As if the process died after the ALTERs but before recording the migration.
    await pool.query("DELETE FROM schema_migrations WHERE name = '008-api-alerts'");
    expect(await migrate(pool)).toEqual(['008-api-alerts']);
    const [columns] = await pool.query<RowDataPacket[]>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
       WHERE table_schema = DATABASE() AND column_name IN ('api', 'api_series_id') ORDER BY t, c`,
    );
    expect(columns.map((r) => `${r.t}.${r.c}`)).toEqual(
      expect.arrayContaining(['alerts.api', 'findings.api_series_id', 'mutes.api']),
    );
    await pool.end();
  });

  it('finishes 010 (API bands) when it is run again after an interruption, with the key of bands on the API series', async () => {
    const pool = createPool({ url: database.url });
    await migrate(pool);
    await pool.query("DELETE FROM schema_migrations WHERE name = '010-api-bands'");
    expect(await migrate(pool)).toEqual(['010-api-bands']);
    const [keys] = await pool.query<RowDataPacket[]>("SHOW INDEX FROM api_bands WHERE Key_name = 'PRIMARY'");
    expect(keys.map((k) => k.Column_name)).toEqual(['api_series_id', 'hour_start']);
    await pool.end();
  });
});
