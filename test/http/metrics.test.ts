import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/metrics.js';
import { JOB } from '../../src/queue/names.js';
import { API_TOKEN, postCounts, startTestApp, type TestApp } from '../helpers/app.js';
import { steadyMinutes } from '../helpers/steady-traffic.js';
import { waitFor } from '../helpers/wait-for.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp(
    'metrics',
    { ROLES: 'web,worker' },
    { now: () => new Date('2026-11-15T11:05:00Z') },
  );
});
afterAll(() => app?.stop());

const scrape = async () => (await app.request('/metrics', { token: null })).text();

async function metric(name: string): Promise<number> {
  const text = await scrape();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('GET /metrics', () => {
  it('serves Prometheus text with process metrics and queue depths', async () => {
    const response = await app.request('/metrics', { token: null });
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('ratewatch_process_resident_memory_bytes');
    expect(text).toMatch(/ratewatch_queue_jobs\{queue="evaluation",state="waiting"\} \d+/);
  });

  it('counts accepted posts, stored minutes and rejections by reason', async () => {
    const ok = { source: 'metered', minute: '2026-11-15T11:00:00Z', counts: { approved: 5 } };
    await app.request('/v1/counts', {
      method: 'POST',
      json: { items: [ok, { ...ok, minute: '2026-11-15T11:01:00Z' }] },
    });
    await app.request('/v1/counts', { method: 'POST', json: ok, token: 'not-a-real-token-000' });
    await app.request('/v1/counts', { method: 'POST', json: { ...ok, counts: { lost: 1 } } });
    expect(await metric('ratewatch_ingest_posts_total{outcome="accepted"')).toBe(1);
    expect(await metric('ratewatch_ingest_rows_stored_total')).toBe(2);
    expect(await metric('ratewatch_ingest_posts_total{outcome="rejected",reason="unauthorized"}')).toBe(1);
    expect(await metric('ratewatch_ingest_posts_total{outcome="rejected",reason="invalid_request"}')).toBe(1);
  });

  it('counts the evaluation run, its findings and the alert it opened', async () => {
    const items = steadyMinutes({
      source: 'metered-spike',
      from: '2026-11-11T00:00:00Z',
      hours: 4 * 24 + 11,
      perMinute: 40,
      failedRate: 0.01,
      spikes: [{ from: '2026-11-15T10:00:00Z', to: '2026-11-15T11:00:00Z', failedRate: 0.08 }],
    });
    await postCounts(app, items);
    await app.jobs.add(
      JOB.evaluateHour,
      { hourStart: '2026-11-15T10:00:00.000Z', trigger: 'schedule' },
      { jobId: 'evaluate_2026-11-15T10' },
    );
    const runs = () => metric('ratewatch_evaluation_run_duration_seconds_count');
    await waitFor(async () => (await runs()) === 1, 'one evaluation run to be counted', 30_000);
    expect(await metric('ratewatch_findings_total{metric="failed"')).toBe(1);
    expect(await metric('ratewatch_alerts_total{metric="failed"')).toBe(1);
    expect(await metric('ratewatch_evaluation_series_total')).toBeGreaterThanOrEqual(2);
    // The run finished at the app's 11:05.
    expect(await metric('ratewatch_evaluation_last_completed_timestamp_seconds')).toBe(
      Date.parse('2026-11-15T11:05:00Z') / 1000,
    );
  });

  it('counts alerts raised through POST /v1/alerts, and every alert change delivered', async () => {
    const raised = await app.request('/v1/alerts', {
      method: 'POST',
      token: API_TOKEN,
      json: { source: 'metered-api', metric: 'latency', severity: 'high' },
    });
    expect(raised.status).toBe(201);
    expect(await metric('ratewatch_alerts_total{metric="latency",severity="high",outcome="created"}')).toBe(
      1,
    );
    // Without Slack the change goes to the log, which counts as its delivery.
    await waitFor(
      async () => (await metric('ratewatch_notifications_total{channel="slack",outcome="sent"}')) >= 2,
      'the evaluated and the raised alert delivered',
    );
  });

  it('says what the outbox still owes and since when, and how long jobs wait', async () => {
    // "metered" last reported the 11:01 minute (read once per series from MySQL).
    expect(await app.storage.sources.lastReportedMinutes()).toContainEqual({
      source: 'metered',
      environment: 'production',
      lastMinute: new Date('2026-11-15T11:01:00Z'),
    });
    await waitFor(
      async () => (await metric('ratewatch_deliveries_pending{channel="slack"}')) === 0,
      'nothing owed',
    );
    await app.storage.pool.query(
      `INSERT INTO deliveries (alert_id, revision, channel, change_kind, created_at, released_at)
       VALUES (999999, 1, 'email', 'changed', ?, ?)`,
      [new Date('2026-11-15T10:55:00Z'), new Date('2026-11-15T10:55:00Z')],
    );
    expect(await metric('ratewatch_deliveries_pending{channel="email"}')).toBe(1);
    expect(await metric('ratewatch_deliveries_oldest_pending_age_seconds{channel="email"}')).toBe(600);
    expect(await scrape()).toMatch(
      /ratewatch_queue_oldest_waiting_job_age_seconds\{queue="notifications"\} \d/,
    );
  });

  it('says how far behind each source reports, from its last minute and the clock', async () => {
    const lastReported = async () => [
      { source: 'card-eu', environment: 'production', lastMinute: new Date('2026-11-15T11:01:00Z') },
      { source: 'card-us', environment: 'staging', lastMinute: new Date('2026-11-15T09:05:00Z') },
    ];
    const metrics = createMetrics({
      defaultMetrics: false,
      lastReported,
      nowMs: () => Date.parse('2026-11-15T11:05:00Z'),
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'ratewatch_source_reporting_lag_seconds{source="card-eu",environment="production"} 240',
    );
    expect(text).toContain(
      'ratewatch_source_reporting_lag_seconds{source="card-us",environment="staging"} 7200',
    );
  });

  it('passes promtool check metrics', async () => {
    const text = await scrape();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (check.error)
      throw new Error(`promtool is needed (apt-get install prometheus): ${check.error.message}`);
    expect(`${check.stdout}${check.stderr}`).toBe('');
    expect(check.status).toBe(0);
  });
});
