import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack-api.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { slackEnv } from '../helpers/slack.js';
import { messagesWithKey } from '../helpers/slack-app.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait-for.js';

let fake: FakeSlack;
let redis: TcpProxy;
let app: TestApp;
let clock = new Date('2026-11-21T18:00:00Z');

beforeAll(async () => {
  fake = await FakeSlack.start();
  redis = await startTcpProxy({ host: '127.0.0.1', port: 6379 });
  app = await startTestApp(
    'alerts_redis_down',
    { ...slackEnv(fake), ROLES: 'web,worker', REDIS_URL: `redis://127.0.0.1:${redis.port}` },
    { now: () => clock },
  );
}, 60_000);
afterAll(async () => {
  await redis?.restore().catch(() => undefined);
  await app?.stop();
  await redis?.close();
  await fake?.close();
});

describe('POST /v1/alerts while Redis is unreachable', () => {
  it('stores the alert and answers at once; its card follows when Redis is back', async () => {
    await redis.cut();
    const response = await fetch(`${app.url}/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'acquirer-gw', metric: 'latency', severity: 'high' }),
      // A poster that gives up after two seconds still gets its answer.
      signal: AbortSignal.timeout(2000),
    });
    expect(response.status).toBe(201);
    const { alert } = (await response.json()) as { alert: { id: number } };
    expect((await app.storage.alerts.get(alert.id))?.source).toBe('acquirer-gw');

    await redis.restore();
    await waitFor(() => app.jobs.connected(), 'the queue connection to come back');
    clock = new Date(clock.getTime() + 3 * 60_000);
    await app.sweep();
    const card = await waitFor(
      () => messagesWithKey(fake.messagesIn('C0ALERTS01'), `card_${alert.id}`)[0],
      'the card, by the sweep',
    );
    expect(JSON.stringify(card.blocks)).toContain('acquirer-gw');
  });
});
