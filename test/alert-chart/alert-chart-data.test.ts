import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChartData } from '../../src/alert-chart/alert-chart-data.js';
import type { AlertChartInput } from '../../src/charts/alert-chart-input.js';
import { profileResolver } from '../../src/config-file.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { raiseExternal } from '../helpers/slack-app.js';
import { SPIKED, seedSpikedAlert } from '../helpers/spiked-alert.js';

const HOUR = 3_600_000;
let app: TestApp;
let alertId: number;
let chart: AlertChartInput;

beforeAll(async () => {
  app = await startTestApp('chartdata', {}, { now: () => SPIKED.now });
  alertId = await seedSpikedAlert(app, {});
  const deps = {
    ...app.storage,
    profileOf: profileResolver(undefined),
    retrainHours: 24,
    now: () => SPIKED.now,
  };
  const data = await loadChartData(deps, (await app.storage.alerts.get(alertId)) as never);
  if (data.kind !== 'chart') throw new Error(data.reason);
  chart = data.input;
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

const at = (iso: string) => Date.parse(iso);

describe("an alert's chart data", () => {
  it('covers the 48 hours before now, hourly far back and in 10-minute blocks from before the alert on', () => {
    expect(chart.to).toBe(at('2026-11-15T12:00:00Z'));
    expect(chart.from).toBe(chart.to - 48 * HOUR);
    const hourly = chart.observed.filter((p) => p.minutes === 60);
    const blocks = chart.observed.filter((p) => p.minutes === 10);
    expect(hourly[0]?.start).toBe(at('2026-11-13T12:00:00Z'));
    expect(hourly.at(-1)?.start).toBe(at('2026-11-15T08:00:00Z'));
    expect(blocks[0]?.start).toBe(at('2026-11-15T09:00:00Z'));
    expect(blocks).toHaveLength(18);
    expect(chart.expected).toHaveLength(chart.observed.length);
  });

  it('marks the data window (10:00–11:00), not the time the evaluation ran', () => {
    expect(chart.alertWindow).toEqual({ start: at('2026-11-15T10:00:00Z'), end: at('2026-11-15T11:00:00Z') });
    expect(chart.title).toBe('steady-eu (production) · failed rate');
    expect(chart.valueAxis).toEqual({ kind: 'rate' });
  });

  it('expects about 1 % and keeps every normal hour inside the band the live models give', () => {
    const normal = chart.observed.filter((p) => p.start < at(SPIKED.spikeHour) && p.minutes === 60);
    for (const point of normal) {
      const band = chart.expected.find((e) => e.start === point.start);
      expect(band?.expected).toBeGreaterThan(0.007);
      expect(band?.expected).toBeLessThan(0.013);
      expect(point.value).toBeGreaterThanOrEqual(band?.low ?? Number.NaN);
      expect(point.value).toBeLessThan(band?.high ?? Number.NaN);
    }
  });

  it('shows the spike (8 %) above the band of each of its blocks', () => {
    const spike = chart.observed.filter(
      (p) => p.start >= at(SPIKED.spikeHour) && p.start < at('2026-11-15T11:00:00Z'),
    );
    expect(spike).toHaveLength(6);
    for (const point of spike) {
      const band = chart.expected.find((e) => e.start === point.start);
      expect(point.value).toBeGreaterThan(0.07);
      expect(point.value).toBeGreaterThan(band?.high ?? Number.POSITIVE_INFINITY);
    }
  });
});

describe('GET /v1/alerts/{id}/chart.png', () => {
  it('answers the PNG with the API token, kept privately for a minute while the alert is open', async () => {
    const response = await app.request(`/v1/alerts/${alertId}/chart.png`, { token: API_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    const png = Buffer.from(await response.arrayBuffer());
    if (process.env.CHART_OUT) (await import('node:fs')).writeFileSync(process.env.CHART_OUT, png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1280);
  });

  it('refuses without the API token, and answers 404 for no such alert', async () => {
    expect((await app.request(`/v1/alerts/${alertId}/chart.png`, { token: null })).status).toBe(401);
    expect((await app.request('/v1/alerts/999999/chart.png', { token: API_TOKEN })).status).toBe(404);
  });

  it('says plainly when an external alert is about something ratewatch does not measure', async () => {
    const external = await raiseExternal(app, { source: 'acquirer-gw', metric: 'latency', severity: 'high' });
    const response = await app.request(`/v1/alerts/${external.id}/chart.png`, { token: API_TOKEN });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: 'no_chart',
      message: `ratewatch does not measure "latency", so alert #${external.id} has no chart`,
    });
  });
});
