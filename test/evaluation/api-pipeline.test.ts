import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApiChartData } from '../../src/alert-chart/api-chart-data.js';
import { CALL_CLASSES } from '../../src/api-calls/api-minute.js';
import { LATENCY_BUCKETS } from '../../src/api-calls/latency.js';
import { createCalendar } from '../../src/detection/calendar.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { type ApiShape, drawApiCounts, fitted, SLOW_LATENCY } from '../api-detection/helpers/api-history.js';
import { random } from '../detection/helpers/history.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';

const HOUR_MS = 3_600_000;
const FROM = Date.parse('2026-11-07T00:00:00Z');
const SPIKE_HOUR = '2026-11-15T10:00:00Z';
/** Data ends here: the spike hour, then two normal hours. */
const UNTIL = Date.parse('2026-11-15T13:00:00Z');
const calendar = createCalendar('UTC');

// checkout-api's three APIs: 3,000 calls an hour by day, 60 at night; 0.2 % 5xx, p99 under 500 ms.
const calls = (h: number) => (h >= 7 && h < 22 ? 3_000 : 60);
const NORMAL: ApiShape = { calls };
const APIS: { api: string; incident: ApiShape }[] = [
  { api: 'POST /v1/payments', incident: { calls, share5xx: 0.016 } },
  { api: 'GET /v1/payments', incident: { calls, latency: SLOW_LATENCY } },
  { api: 'POST /v1/refunds', incident: NORMAL },
];

/** Six minutes an hour (one per 10-minute block), each a sixth of the hour, as a poster every 10 minutes sends. */
function apiMinutes(): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const [index, { api, incident }] of APIS.entries()) {
    const next = random(index + 1);
    for (let hour = FROM; hour < UNTIL; hour += HOUR_MS) {
      const shape = hour === Date.parse(SPIKE_HOUR) ? incident : NORMAL;
      for (let block = 0; block < 6; block++) {
        const counts = drawApiCounts(shape, calendar.position(hour).localHour, next, 1 / 6);
        const histogram = fitted(
          counts.latency,
          counts.calls.slice(0, 4).reduce((a, b) => a + b, 0),
        );
        items.push({
          source: 'checkout-api',
          api,
          minute: new Date(hour + block * 600_000).toISOString(),
          calls: Object.fromEntries(CALL_CLASSES.map((c, i) => [c, counts.calls[i]])),
          silent_failures: counts.silentFailures,
          latency_ms: Object.fromEntries(LATENCY_BUCKETS.map((b, i) => [b, histogram[i]])),
        });
      }
    }
  }
  return items;
}

let app: TestApp;
let env: Record<string, string>;

beforeAll(async () => {
  const settings = { RECOVERY_HOURS: '2' };
  app = await startTestApp('api_pipeline', settings, { now: () => new Date('2026-11-15T14:30:00Z') });
  env = { MYSQL_URL: app.database.url, QUEUE_PREFIX: app.queuePrefix, LOG_LEVEL: 'silent', ...settings };
  const items = apiMinutes();
  for (let i = 0; i < items.length; i += 5000) {
    const response = await app.request('/v1/api-calls', {
      method: 'POST',
      json: { items: items.slice(i, i + 5000) },
    });
    if (response.status !== 202)
      throw new Error(`posting: ${response.status} ${(await response.text()).slice(0, 600)}`);
  }
}, 60_000);
afterAll(() => app?.stop());

type AlertJson = {
  id: number;
  api: string | null;
  metric: string;
  occurrences: number;
  recovered_at: string | null;
};
const alertsOf = async () =>
  (await (await app.request('/v1/alerts?source=checkout-api', { token: API_TOKEN })).json()) as {
    alerts: AlertJson[];
    total: number;
  };

describe('the hourly evaluation of a service’s APIs', () => {
  it('raises one alert with its api for a 5xx incident and one for a latency incident, and none for a normal API', async () => {
    const run = await cli(['evaluate', '--hour', SPIKE_HOUR], env);
    expect(run.code).toBe(0);
    const findings = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(findings.map((f) => [f.api, f.metric])).toEqual([
      ['POST /v1/payments', 'errors'],
      ['GET /v1/payments', 'latency'],
    ]);
    expect(findings[1]).toMatchObject({
      source: 'checkout-api',
      environment: 'production',
      window_start: expect.stringMatching(/^2026-11-15T10:/),
      latency: { bound_ms: 500, observed: { p99: expect.any(Object) }, normal: { p99: expect.any(Object) } },
    });
    const { alerts } = await alertsOf();
    expect(alerts.map((a) => [a.api, a.metric, a.occurrences]).sort()).toEqual([
      ['GET /v1/payments', 'latency', 1],
      ['POST /v1/payments', 'errors', 1],
    ]);
  });

  it('trains each API’s trees once at the training cut-off and keeps them for the hours after it', async () => {
    const apis = await app.storage.apiReads.listActiveApiSeries(new Date(FROM));
    const stored = await app.storage.apiModels.load(
      apis.map((a) => a.id),
      new Date('2026-11-15T00:00:00Z'),
    );
    expect(stored.size).toBe(3);
    for (const trees of stored.values())
      expect(trees.map((t) => t.metric)).toEqual(expect.arrayContaining(['errors', 'traffic']));
  });

  it('raises nothing twice when the hour is evaluated again', async () => {
    const again = await cli(['evaluate', '--hour', SPIKE_HOUR], env);
    expect(again.code).toBe(0);
    const { alerts, total } = await alertsOf();
    expect(total).toBe(2);
    expect(alerts.every((a) => a.occurrences === 1)).toBe(true);
  });

  it('counts the normal hours after it towards recovery', async () => {
    const after = await cli(
      ['evaluate', '--from', '2026-11-15T11:00:00Z', '--to', '2026-11-15T13:00:00Z'],
      env,
    );
    expect(after.stdout).toBe('');
    const { alerts } = await alertsOf();
    expect(alerts.map((a) => a.recovered_at !== null)).toEqual([true, true]);
  });

  it('shows the api in the alert’s page of GET /v1/alerts?api=', async () => {
    const page = (await (
      await app.request(`/v1/alerts?api=${encodeURIComponent('GET /v1/payments')}`, { token: API_TOKEN })
    ).json()) as { alerts: { title: string; last_finding: { api: string } }[] };
    expect(page.alerts).toHaveLength(1);
    expect(page.alerts[0]?.last_finding.api).toBe('GET /v1/payments');
    expect(page.alerts[0]?.title).toMatch(/^p99 \d\.\d s \(expected \d+ ms\)$/);
  });

  it('draws each API alert’s chart: its metric from the API’s calls against the z-score’s band', async () => {
    const { alerts } = await alertsOf();
    for (const alert of alerts) {
      const response = await app.request(`/v1/alerts/${alert.id}/chart.png`, { token: API_TOKEN });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
    const deps = {
      ...{ apiReads: app.storage.apiReads, findings: app.storage.findings, apiModels: app.storage.apiModels },
      retrainHours: 24,
      profileOf: () => ({ settings: DEFAULT_DETECTION, timeZone: 'UTC', holidays: [] }),
      now: () => new Date('2026-11-15T14:30:00Z'),
    };
    const errors = alerts.find((a) => a.metric === 'errors');
    const stored = await app.storage.alerts.get(errors?.id ?? 0);
    const data = await loadApiChartData(deps, stored ?? (undefined as never));
    if (data.kind !== 'chart') throw new Error(data.kind === 'none' ? data.reason : 'no chart');
    expect(data.input.title).toBe('checkout-api · POST /v1/payments · 5xx+timeouts');
    const spike = Date.parse(SPIKE_HOUR);
    const inSpike = data.input.observed.filter((p) => p.start >= spike && p.start < spike + HOUR_MS);
    const bands = data.input.expected.filter((p) => p.start >= spike && p.start < spike + HOUR_MS);
    expect(inSpike).toHaveLength(6);
    // The incident's blocks stand far above what was expected of them, each with its band.
    for (const [i, point] of inSpike.entries()) {
      expect(point.value).toBeGreaterThan(3 * (bands[i]?.expected ?? 1));
      expect(bands[i]?.high).toEqual(expect.any(Number));
    }
    const before = data.input.observed.find((p) => p.start === spike - 2 * HOUR_MS);
    expect(before?.value).toBeLessThan(0.006);
  });

  it('says why an API alert about something it does not measure has no chart', async () => {
    const response = await app.request('/v1/alerts', {
      method: 'POST',
      token: API_TOKEN,
      json: { source: 'checkout-api', api: 'GET /v1/unknown', metric: 'errors', severity: 'low' },
    });
    const { alert } = (await response.json()) as { alert: { id: number } };
    const chart = await app.request(`/v1/alerts/${alert.id}/chart.png`, { token: API_TOKEN });
    expect(chart.status).toBe(404);
    expect(((await chart.json()) as { message: string }).message).toBe(
      `ratewatch has no calls of GET /v1/unknown on checkout-api (production), so alert #${alert.id} has no chart`,
    );
  });
});
