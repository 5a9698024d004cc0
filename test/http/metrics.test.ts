import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB } from '../../src/queue/names.js';
import { postCounts, startTestApp, type TestApp } from '../helpers/app.js';
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

async function metric(name: string): Promise<number> {
  const text = await (await app.request('/metrics', { token: null })).text();
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
    expect(await metric('ratewatch_ingest_minutes_stored_total')).toBe(2);
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
  });
});
