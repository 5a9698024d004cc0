import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiMinuteRow, createApiCallStore } from '../../src/storage/api-calls.js';
import { createPool, type Pool } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { createTestDatabase, type TestDatabase } from '../helpers/mysql.js';

const HOUR = Date.parse('2026-11-21T17:00:00Z');
let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase('api_calls_store');
  pool = createPool({ url: database.url });
  await migrate(pool);
  await pool.query("INSERT INTO sources (id, name, onboarded_via) VALUES (1, 'store-svc', 'cli')");
  await pool.query(
    "INSERT INTO series (id, source_id, environment) VALUES (1, 1, 'production'), (2, 1, 'staging')",
  );
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** One call answered 2xx within 25 ms, at minute `m` of the hour. */
const oneCall = (seriesId: number, apiSeriesId: number, m: number): ApiMinuteRow => ({
  seriesId,
  apiSeriesId,
  minuteMs: HOUR + m * 60_000,
  counts: [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
});

describe('the API-call store', () => {
  it('gives each (series, api) one id, names compared exactly', async () => {
    const store = createApiCallStore(pool);
    const first = await store.ensureApiSeries([
      { seriesId: 1, api: 'GET /v1/a' },
      { seriesId: 1, api: 'get /v1/a' },
      { seriesId: 2, api: 'GET /v1/a' },
      { seriesId: 1, api: 'GET /v1/a' },
    ]);
    expect(new Set(first.map((s) => s.id)).size).toBe(3);
    const again = await store.ensureApiSeries([{ seriesId: 1, api: 'get /v1/a' }]);
    expect(again.map((s) => s.id)).toEqual(first.filter((s) => s.api === 'get /v1/a').map((s) => s.id));
  });

  it('keeps hourly rollups exact while minutes are added and flushed at the same time', async () => {
    const store = createApiCallStore(pool);
    const apis = await store.ensureApiSeries(
      [1, 2, 3].map((k) => ({ seriesId: 1, api: `POST /v1/race-${k}` })),
    );
    const ids = apis.map((a) => a.id);
    const writes = Array.from({ length: 60 }, (_, i) =>
      store.addMinutes([
        oneCall(1, ids[i % 3] as number, i % 7),
        oneCall(1, ids[(i + 1) % 3] as number, 59 - (i % 5)),
      ]),
    );
    const flushes = Array.from({ length: 10 }, () => store.flushRollups());
    await Promise.all([...writes, ...flushes]);
    await store.flushRollups();
    const [hours] = await pool.query<RowDataPacket[]>(
      'SELECT api_series_id, calls_2xx, le_25, minutes_reported FROM api_call_hours WHERE api_series_id IN (?) ORDER BY api_series_id',
      [ids],
    );
    expect(hours.map((h) => Number(h.calls_2xx)).reduce((a, b) => a + b, 0)).toBe(120);
    expect(hours.map((h) => [Number(h.calls_2xx), Number(h.le_25)])).toEqual([
      [40, 40],
      [40, 40],
      [40, 40],
    ]);
  });

  it('applies a keyed batch once when several transactions race for it', async () => {
    const store = createApiCallStore(pool);
    const [api] = await store.ensureApiSeries([{ seriesId: 2, api: 'GET /v1/once' }]);
    const batch = { key: 'idem_race', bodyHash: 'h1', rows: [oneCall(2, api?.id as number, 3)] };
    const outcomes = (
      await Promise.all(Array.from({ length: 6 }, () => store.addBatchesOnce([batch])))
    ).flat();
    expect(outcomes.sort()).toEqual(['applied', 'repeated', 'repeated', 'repeated', 'repeated', 'repeated']);
    expect(await store.addBatchesOnce([{ ...batch, bodyHash: 'h2' }])).toEqual(['conflict']);
    const [[row]] = await pool.query<RowDataPacket[]>(
      'SELECT calls_2xx FROM api_call_minutes WHERE api_series_id = ?',
      [api?.id],
    );
    expect(Number(row?.calls_2xx)).toBe(1);
  });

  it('summarizes each series: its APIs and their newest minute', async () => {
    const store = createApiCallStore(pool);
    await store.flushRollups();
    const summaries = await store.summarizeSeries();
    expect(summaries.map((s) => [s.seriesId, s.environment, s.apis, s.lastMinute?.toISOString()])).toEqual([
      [1, 'production', 5, '2026-11-21T17:59:00.000Z'],
      [2, 'staging', 2, '2026-11-21T17:03:00.000Z'],
    ]);
  });
});
