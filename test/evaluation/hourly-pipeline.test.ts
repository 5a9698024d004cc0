import type { RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, postCounts, startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { steadyMinutes } from '../helpers/steady-traffic.js';

const FROM = '2026-11-10T00:00:00Z';
const SPIKE_HOUR = '2026-11-15T10:00:00Z';
let app: TestApp;
let db: mysql.Pool;
let env: Record<string, string>;

beforeAll(async () => {
  app = await startTestApp(
    'pipeline',
    { RECOVERY_HOURS: '2', AUTO_RESOLVE: 'true' },
    { now: () => new Date('2026-11-15T14:30:00Z') },
  );
  env = {
    MYSQL_URL: app.database.url,
    QUEUE_PREFIX: app.queuePrefix,
    LOG_LEVEL: 'silent',
    RECOVERY_HOURS: '2',
    AUTO_RESOLVE: 'true',
  };
  db = mysql.createPool({ uri: app.database.url, timezone: 'Z' });
  const items = steadyMinutes({
    source: 'steady-eu',
    from: FROM,
    hours: 5 * 24 + 14,
    perMinute: 40,
    failedRate: 0.01,
    spikes: [{ from: SPIKE_HOUR, to: '2026-11-15T11:00:00Z', failedRate: 0.08 }],
  });
  await postCounts(app, items);
}, 60_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

const alertsOf = async () =>
  (await (await app.request('/v1/alerts?source=steady-eu', { token: API_TOKEN })).json()) as {
    alerts: {
      id: number;
      metric: string;
      status: string;
      occurrences: number;
      recovered_at: string | null;
      resolved_by: string | null;
    }[];
    total: number;
  };

describe('the hourly evaluation of a steady source', () => {
  it('stays quiet through normal hours', async () => {
    const quiet = await cli(['evaluate', '--from', '2026-11-14T00:00:00Z', '--to', SPIKE_HOUR], env);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    expect((await alertsOf()).total).toBe(0);
  });

  it('opens one alert for the hour whose failed rate went from 1% to 8%', async () => {
    const spike = await cli(['evaluate', '--hour', SPIKE_HOUR], env);
    const findings = spike.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(findings).toEqual([
      expect.objectContaining({
        source: 'steady-eu',
        environment: 'production',
        metric: 'failed',
        window_start: '2026-11-15T10:00:00.000Z',
      }),
    ]);
    const { alerts } = await alertsOf();
    expect(alerts).toEqual([expect.objectContaining({ metric: 'failed', status: 'new', occurrences: 1 })]);
  });

  it('records nothing twice when the same hour is evaluated again (a retried job)', async () => {
    const [[before]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS events FROM alert_events');
    await cli(['evaluate', '--hour', SPIKE_HOUR], env);
    const [[after]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS events FROM alert_events');
    expect(after?.events).toBe(before?.events);
    expect((await alertsOf()).alerts.map((a) => a.occurrences)).toEqual([1]);
    const [[findings]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM findings');
    expect(findings?.n).toBe(1);
  });

  it('marks the alert recovered, and resolves it, after two normal hours', async () => {
    await cli(['evaluate', '--hour', '2026-11-15T11:00:00Z'], env);
    expect((await alertsOf()).alerts[0]).toMatchObject({ status: 'new', recovered_at: null });
    await cli(['evaluate', '--hour', '2026-11-15T12:00:00Z'], env);
    expect((await alertsOf()).alerts[0]).toMatchObject({ status: 'resolved', resolved_by: 'ratewatch' });
    expect((await alertsOf()).alerts[0]?.recovered_at).not.toBeNull();
  });
});
