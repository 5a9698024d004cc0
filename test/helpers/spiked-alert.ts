import { postCounts, type TestApp } from './app.js';
import { cli } from './cli.js';
import { steadyMinutes } from './steady-traffic.js';

/** Five and a half days of a steady source (40 a minute, 1 % failed) whose failed rate is 8 % from 10:00 to 11:00. */
export const SPIKED = {
  source: 'steady-eu',
  from: '2026-11-10T00:00:00Z',
  spikeHour: '2026-11-15T10:00:00Z',
  /** When the tests' clock stands: an hour and five minutes after the spike ended. */
  now: new Date('2026-11-15T12:05:00Z'),
} as const;

/** Posts the traffic through the API and evaluates the spike's hour as the scheduler would; returns the alert id. */
export async function seedSpikedAlert(app: TestApp, env: Record<string, string>): Promise<number> {
  const items = steadyMinutes({
    source: SPIKED.source,
    from: SPIKED.from,
    hours: 5 * 24 + 12,
    perMinute: 40,
    failedRate: 0.01,
    spikes: [{ from: SPIKED.spikeHour, to: '2026-11-15T11:00:00Z', failedRate: 0.08 }],
  });
  await postCounts(app, items);
  const run = await cli(['evaluate', '--hour', SPIKED.spikeHour], {
    MYSQL_URL: app.database.url,
    QUEUE_PREFIX: app.queuePrefix,
    LOG_LEVEL: 'silent',
    ...env,
  });
  if (run.code !== 0) throw new Error(`evaluate failed: ${run.stderr}`);
  const { alerts } = await app.storage.alerts.list({ source: SPIKED.source }, { limit: 5, offset: 0 });
  const alert = alerts.find((a) => a.metric === 'failed');
  if (!alert) throw new Error(`no failed-rate alert; evaluate printed: ${run.stdout}`);
  return alert.id;
}
