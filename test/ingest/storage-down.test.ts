import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MINUTE, postLog, postSummaries, readApiCalls } from '../helpers/api-calls.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const NOW = new Date('2026-11-21T18:05:30Z');
let proxy: TcpProxy;
let app: TestApp;

beforeAll(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 3306 });
  app = await startTestApp('storage_down', {}, { now: () => NOW, mysqlPort: proxy.port });
});
afterAll(async () => {
  await proxy.restore().catch(() => undefined);
  await app?.stop();
  await proxy?.close();
});

const minute = { source: 'card-eu', minute: '2026-11-21T18:04:00Z', counts: { approved: 10, failed: 1 } };

describe('when MySQL is unreachable', () => {
  it('answers 503 with Retry-After, and the retried post is stored once MySQL is back', async () => {
    expect((await app.request('/v1/counts', { method: 'POST', json: minute })).status).toBe(202);
    await proxy.cut();

    const refused = await app.request('/v1/counts', {
      method: 'POST',
      json: { ...minute, counts: { approved: 20 } },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ error: 'storage_unavailable' });
    expect((await app.request('/readyz')).status).toBe(503);

    await proxy.restore();
    const retried = await app.request('/v1/counts', {
      method: 'POST',
      json: { ...minute, counts: { approved: 20 } },
    });
    expect(retried.status).toBe(202);
    const rates = await app.request(
      '/v1/sources/card-eu/rates?from=2026-11-21T18:00:00Z&to=2026-11-21T19:00:00Z',
      {
        token: API_TOKEN,
      },
    );
    const body = (await rates.json()) as { hours: { total: number }[] };
    expect(body.hours.map((h) => h.total)).toEqual([20]);
  });

  it('answers 503 to API-call posts, and a retried log post with the same Idempotency-Key then counts once', async () => {
    const summary = { ...EXAMPLE_MINUTE, minute: '2026-11-21T18:03:00Z' };
    const call = {
      at: '2026-11-21T18:04:10Z',
      source: 'checkout-api',
      api: 'POST /v1/payments',
      status: 500,
      response_ms: 80,
    };
    expect((await postSummaries(app, summary)).status).toBe(202);
    await proxy.cut();

    const refusedSummary = await postSummaries(app, { ...summary, minute: '2026-11-21T18:04:00Z' });
    const refusedLog = await postLog(app, { records: [call] }, { key: 'retry-me' });
    expect([refusedSummary.status, refusedLog.status]).toEqual([503, 503]);
    expect(refusedLog.headers.get('retry-after')).toBe('5');

    await proxy.restore();
    expect((await postLog(app, { records: [call] }, { key: 'retry-me' })).status).toBe(202);
    expect((await postLog(app, { records: [call] }, { key: 'retry-me' })).status).toBe(200);
    const { apis } = await readApiCalls(
      app,
      'checkout-api',
      'from=2026-11-21T18:00:00Z&to=2026-11-21T19:00:00Z',
    );
    expect(apis[0]?.hours.map((h) => [h.minutes_reported, h.total, h.calls['5xx']])).toEqual([[2, 1217, 5]]);
  });
});
