import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrMerge } from '../../src/alerts/alert-service.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp('alerts_api');
});
afterAll(() => app?.stop());

const api = (path: string, init: { method?: string; json?: unknown; token?: string | null } = {}) =>
  app.request(path, { token: API_TOKEN, ...init });
const raise = (body: Record<string, unknown>) => api('/v1/alerts', { method: 'POST', json: body });
type AlertJson = {
  id: number;
  status: string;
  severity: string;
  occurrences: number;
  acknowledged_by: string | null;
};

describe('POST /v1/alerts (external producers)', () => {
  it('opens an alert, then merges repeats into it: count up, severity only rises', async () => {
    const first = await raise({
      source: 'acq-gw',
      metric: 'latency',
      severity: 'medium',
      title: 'p99 over 2 s',
    });
    expect(first.status).toBe(201);
    const opened = ((await first.json()) as { alert: AlertJson }).alert;
    const lower = await raise({ source: 'acq-gw', metric: 'latency', severity: 'low' });
    expect(lower.status).toBe(200);
    expect(((await lower.json()) as { alert: AlertJson }).alert).toMatchObject({
      id: opened.id,
      occurrences: 2,
      severity: 'medium',
    });
    const higher = (await (
      await raise({ source: 'acq-gw', metric: 'latency', severity: 'critical' })
    ).json()) as { alert: AlertJson };
    expect(higher.alert).toMatchObject({ id: opened.id, occurrences: 3, severity: 'critical' });
  });

  it('names every problem of a bad alert', async () => {
    const response = await raise({ source: 'bad source', severity: 'urgent', extra: 1 });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: { path: string }[] };
    expect(body.problems.map((p) => p.path).sort()).toEqual(['extra', 'metric', 'severity', 'source']);
  });

  it('says a severity given is not one of the four, and one left out is required', async () => {
    const problem = async (body: Record<string, unknown>) => {
      const response = await raise({ source: 'acq-gw', metric: 'latency', ...body });
      const { problems } = (await response.json()) as { problems: { path: string; message: string }[] };
      return problems.find((p) => p.path === 'severity')?.message;
    };
    expect(await problem({ severity: 'urgent' })).toMatch(/^must be one of /);
    expect(await problem({})).toMatch(/^is required: one of /);
  });

  // Names follow the rule ingest follows (and the columns hold): 32 characters of environment at most.
  it.each([
    [32, 201],
    [33, 400],
    [64, 400],
  ])('answers an environment of %i characters with %i, never 500', async (length, status) => {
    const environment = `e${'x'.repeat(length - 1)}`;
    const response = await raise({
      source: `env-${length}`,
      environment,
      metric: 'failed',
      severity: 'medium',
    });
    expect(response.status).toBe(status);
    if (status === 400)
      expect(((await response.json()) as { problems: unknown[] }).problems).toEqual([
        {
          path: 'environment',
          message: 'must be 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit',
        },
      ]);
  });
});

describe('GET /v1/alerts', () => {
  it('filters, pages, and reports the true total', async () => {
    for (let i = 0; i < 7; i++)
      await raise({ source: `paged-${i}`, metric: 'failed', severity: i < 3 ? 'high' : 'low' });
    const page = (await (await api('/v1/alerts?severity=low&limit=2&offset=1')).json()) as {
      alerts: { source: string }[];
      total: number;
      limit: number;
      offset: number;
    };
    expect(page.total).toBe(4);
    expect(page.limit).toBe(2);
    expect(page.offset).toBe(1);
    expect(page.alerts.map((a) => a.source)).toEqual(['paged-5', 'paged-4']);
  });

  it('refuses a bad filter with a 400 naming it', async () => {
    const response = await api('/v1/alerts?status=open&limit=0');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /status: must be one of new, acknowledged, resolved.*limit: must be at least 1/,
    );
  });

  it('needs the API token', async () => {
    expect((await api('/v1/alerts', { token: null })).status).toBe(401);
    expect((await api('/v1/alerts', { token: 'wrong-token-0123456789' })).status).toBe(401);
  });
});

describe('acknowledge and resolve', () => {
  it('moves an alert new → acknowledged → resolved, records who and how, and then a repeat opens a new alert', async () => {
    const { alert } = (await (
      await raise({ source: 'triage', metric: 'denied', severity: 'high' })
    ).json()) as { alert: AlertJson };
    const acked = await api(`/v1/alerts/${alert.id}/acknowledge`, {
      method: 'POST',
      json: { actor: 'ana@example.com' },
    });
    expect(((await acked.json()) as { alert: AlertJson }).alert).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: 'ana@example.com',
    });
    const again = await api(`/v1/alerts/${alert.id}/acknowledge`, { method: 'POST', json: { actor: 'bo' } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toContain(
      'already acknowledged by ana@example.com',
    );
    const resolved = await api(`/v1/alerts/${alert.id}/resolve`, {
      method: 'POST',
      json: { actor: 'bo', note: 'acquirer fixed it' },
    });
    expect(((await resolved.json()) as { alert: AlertJson }).alert.status).toBe('resolved');
    const shown = (await (await api(`/v1/alerts/${alert.id}`)).json()) as {
      events: { kind: string; actor: string; channel: string }[];
    };
    expect(shown.events.map((e) => [e.kind, e.actor, e.channel])).toEqual([
      ['created', 'api', 'api'],
      ['acknowledged', 'ana@example.com', 'api'],
      ['resolved', 'bo', 'api'],
    ]);
    const reopened = (await (
      await raise({ source: 'triage', metric: 'denied', severity: 'low' })
    ).json()) as { outcome: string; alert: AlertJson };
    expect(reopened.outcome).toBe('created');
    expect(reopened.alert.id).not.toBe(alert.id);
  });

  it('lets exactly one of many simultaneous acknowledgements win', async () => {
    const { alert } = (await (
      await raise({ source: 'racy', metric: 'failed', severity: 'high' })
    ).json()) as { alert: AlertJson };
    const clicks = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api(`/v1/alerts/${alert.id}/acknowledge`, { method: 'POST', json: { actor: `p${i}` } }),
      ),
    );
    expect(clicks.map((r) => r.status).sort()).toEqual([200, ...Array.from({ length: 11 }, () => 409)]);
  });

  it('answers 404 for an alert that does not exist', async () => {
    expect((await api('/v1/alerts/999999/resolve', { method: 'POST', json: { actor: 'x' } })).status).toBe(
      404,
    );
  });
});

describe('alerts of API calls', () => {
  const PAYMENTS = 'POST /v1/payments';

  it('merges an external alert with an api into our own alert of that api, and keeps other apis apart', async () => {
    // Our own latency alert of checkout-api's POST /v1/payments, opened as the evaluation opens one.
    const { alert: ours } = await app.storage.alerts.transaction((tx) =>
      openOrMerge(tx, {
        ...{ source: 'checkout-api', environment: 'production', api: PAYMENTS, metric: 'latency' },
        ...{ severity: 'medium', origin: 'detection', title: 'p99 2.4 s', summary: null, finding: null },
        ...{ actor: 'ratewatch', channel: 'auto', at: new Date() },
      }),
    );
    const merged = await raise({
      source: 'checkout-api',
      api: PAYMENTS,
      metric: 'latency',
      severity: 'high',
    });
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as { alert: AlertJson & { api: string } }).alert).toMatchObject({
      id: ours.id,
      api: PAYMENTS,
      occurrences: 2,
      severity: 'high',
    });
    const otherApi = await raise({
      source: 'checkout-api',
      api: 'GET /v1/payments',
      metric: 'latency',
      severity: 'low',
    });
    const noApi = await raise({ source: 'checkout-api', metric: 'latency', severity: 'low' });
    expect([otherApi.status, noApi.status]).toEqual([201, 201]);
    const { alert } = (await noApi.json()) as { alert: { api: unknown; title: string } };
    expect(alert.api).toBeNull();
  });

  it('lists the alerts of one api with GET /v1/alerts?api=, with the true total', async () => {
    await raise({ source: 'ledger-api', api: 'POST /v1/entries', metric: 'errors', severity: 'high' });
    await raise({
      source: 'ledger-api',
      api: 'POST /v1/entries',
      metric: 'silent_failures',
      severity: 'low',
    });
    await raise({ source: 'ledger-api', api: 'GET /v1/entries', metric: 'errors', severity: 'low' });
    const page = (await (
      await api(`/v1/alerts?source=ledger-api&api=${encodeURIComponent('POST /v1/entries')}`)
    ).json()) as { alerts: { api: string; metric: string; title: string }[]; total: number };
    expect(page.total).toBe(2);
    expect(page.alerts.map((a) => [a.api, a.metric])).toEqual([
      ['POST /v1/entries', 'silent_failures'],
      ['POST /v1/entries', 'errors'],
    ]);
    expect(page.alerts[1]?.title).toBe('errors of POST /v1/entries on ledger-api/production');
  });

  it('refuses an api that is no api name, by path', async () => {
    const response = await raise({ source: 'x-api', api: ' GET /x', metric: 'errors', severity: 'low' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: unknown[] }).problems).toEqual([
      { path: 'api', message: 'must not start or end with a space' },
    ]);
    expect((await api('/v1/alerts?api=')).status).toBe(400);
  });
});
