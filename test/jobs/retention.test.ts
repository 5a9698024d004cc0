import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetentionHandler } from '../../jobs/maintenance.js';
import { createApiCallStore } from '../../src/storage/api-calls.js';
import { createBandStore } from '../../src/storage/bands.js';
import { createCountStore } from '../../src/storage/counts.js';
import { createPool, type Pool } from '../../src/storage/db.js';
import { createDeliveryStore } from '../../src/storage/deliveries.js';
import { migrate } from '../../src/storage/migrate.js';
import { createModelStore } from '../../src/storage/models.js';
import { createTestDatabase, type TestDatabase } from '../helpers/mysql.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const DAY = 86_400_000;
let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('retention');
  pool = createPool({ url: database.url });
  await migrate(pool);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('the retention clean-up', () => {
  it('deletes minutes past 35 days and rollups past 400, and keeps the rollups of the minutes it deleted', async () => {
    const counts = createCountStore(pool);
    await pool.query("INSERT INTO sources (id, name, onboarded_via) VALUES (1, 'old-source', 'cli')");
    await pool.query("INSERT INTO series (id, source_id, environment) VALUES (1, 1, 'production')");
    const days = [2, 34, 36, 399, 401];
    await counts.upsertMinutes(
      days.map((d) => ({
        seriesId: 1,
        minute: new Date(NOW.getTime() - d * DAY),
        slots: [5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      })),
    );
    const handler = createRetentionHandler({
      counts,
      apiCalls: createApiCallStore(pool),
      models: createModelStore(pool),
      deliveries: createDeliveryStore(pool),
      bands: createBandStore(pool),
      retention: { minuteDays: 35, rollupDays: 400 },
      retrainHours: 24,
      now: () => NOW,
    });
    await handler({} as never);
    const [minutes] = await pool.query<RowDataPacket[]>(
      'SELECT minute FROM minute_counts ORDER BY minute DESC',
    );
    expect(minutes.map((m) => Math.round((NOW.getTime() - (m.minute as Date).getTime()) / DAY))).toEqual([
      2, 34,
    ]);
    const [hours] = await pool.query<RowDataPacket[]>(
      'SELECT hour_start, n0 FROM hourly_counts ORDER BY hour_start DESC',
    );
    expect(hours.map((h) => Math.round((NOW.getTime() - (h.hour_start as Date).getTime()) / DAY))).toEqual([
      2, 34, 36, 399,
    ]);
  });

  it('deletes outbox rows finished more than 30 days ago, and keeps what is still owed however old', async () => {
    const row = (id: number, state: string, finishedDaysAgo: number | null) => [
      id,
      id,
      1,
      'slack',
      'changed',
      state,
      new Date(NOW.getTime() - 40 * DAY),
      new Date(NOW.getTime() - 40 * DAY),
      finishedDaysAgo === null ? null : new Date(NOW.getTime() - finishedDaysAgo * DAY),
    ];
    await pool.query(
      `INSERT INTO deliveries (id, alert_id, revision, channel, change_kind, state, created_at, released_at,
         finished_at) VALUES ?`,
      [[row(1, 'done', 31), row(2, 'failed', 31), row(3, 'done', 29), row(4, 'pending', null)]],
    );
    const handler = createRetentionHandler({
      counts: createCountStore(pool),
      models: createModelStore(pool),
      apiCalls: createApiCallStore(pool),
      deliveries: createDeliveryStore(pool),
      bands: createBandStore(pool),
      retention: { minuteDays: 35, rollupDays: 400 },
      retrainHours: 24,
      now: () => NOW,
    });
    await handler({} as never);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM deliveries ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual([3, 4]);
  });

  it('deletes API minutes and their log keys past 35 days and API rollups past 400, after rolling them up', async () => {
    const apiCalls = createApiCallStore(pool);
    await pool.query("INSERT INTO series (id, source_id, environment) VALUES (2, 1, 'staging')");
    const [api] = await apiCalls.ensureApiSeries([{ seriesId: 2, api: 'GET /v1/old' }]);
    const apiSeriesId = api?.id as number;
    const days = [2, 34, 36, 399, 401];
    const counts = [3, 0, 0, 1, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0];
    await apiCalls.addBatchesOnce(
      days.map((d) => ({
        key: `log_${d}`,
        bodyHash: null,
        rows: [{ seriesId: 2, apiSeriesId, minuteMs: NOW.getTime() - d * DAY, counts }],
      })),
    );
    const handler = createRetentionHandler({
      counts: createCountStore(pool),
      apiCalls,
      models: createModelStore(pool),
      deliveries: createDeliveryStore(pool),
      bands: createBandStore(pool),
      retention: { minuteDays: 35, rollupDays: 400 },
      retrainHours: 24,
      now: () => NOW,
    });
    await handler({} as never);
    const daysAgo = (at: Date) => Math.round((NOW.getTime() - at.getTime()) / DAY);
    const [minutes] = await pool.query<RowDataPacket[]>(
      'SELECT minute FROM api_call_minutes ORDER BY minute DESC',
    );
    expect(minutes.map((m) => daysAgo(m.minute))).toEqual([2, 34]);
    const [keys] = await pool.query<RowDataPacket[]>(
      'SELECT batch_key FROM api_call_batches ORDER BY batch_key',
    );
    expect(keys.map((k) => k.batch_key)).toEqual(['log_2', 'log_34']);
    const [hours] = await pool.query<RowDataPacket[]>(
      'SELECT hour_start, calls_2xx FROM api_call_hours ORDER BY hour_start DESC',
    );
    expect(hours.map((h) => [daysAgo(h.hour_start), Number(h.calls_2xx)])).toEqual([
      [2, 3],
      [34, 3],
      [36, 3],
      [399, 3],
    ]);
  });

  it('deletes bands older than BAND_KEEP_DAYS and keeps the recent ones', async () => {
    const bands = createBandStore(pool);
    const hours = [1, 24 * 2, 24 * 4];
    await bands.upsert(
      hours.map((h) => ({ seriesId: 1, hourStart: new Date(NOW.getTime() - h * 3_600_000), json: '{}' })),
    );
    const handler = createRetentionHandler({
      counts: createCountStore(pool),
      apiCalls: createApiCallStore(pool),
      models: createModelStore(pool),
      deliveries: createDeliveryStore(pool),
      bands,
      retention: { minuteDays: 35, rollupDays: 400 },
      retrainHours: 24,
      now: () => NOW,
    });
    await handler({} as never);
    const [rows] = await pool.query<RowDataPacket[]>('SELECT hour_start FROM bands ORDER BY hour_start DESC');
    expect(
      rows.map((r) => Math.round((NOW.getTime() - (r.hour_start as Date).getTime()) / 3_600_000)),
    ).toEqual([1, 48]);
  });
});
