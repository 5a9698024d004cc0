import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2';
import type { Alert } from '../../src/alerts/alert.js';
import { jobIds } from '../../src/queue/job-ids.js';
import { JOB } from '../../src/queue/names.js';
import type { FakeMessage } from '../fakes/slack-state.js';
import { API_TOKEN, type TestApp } from './app.js';
import { steadyMinutes } from './steady-traffic.js';

/** Writes a RATEWATCH_CONFIG file for a test and returns its path. */
export function writeConfigFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rw-slack-')), 'ratewatch.yml');
  writeFileSync(path, yaml);
  return path;
}

/** Posts one hour of a source's minutes (with the shared ingest token) whose failure rate is `failedRate`. */
export async function postHour(
  app: TestApp,
  source: string,
  hourStart: string,
  failedRate: number,
): Promise<void> {
  const items = steadyMinutes({ source, from: hourStart, hours: 1, perMinute: 100, failedRate });
  const response = await app.request('/v1/counts', { method: 'POST', json: { items } });
  if (response.status !== 202)
    throw new Error(`posting ${source}: ${response.status} ${await response.text()}`);
}

/** Queues the evaluation of an hour, as the scheduler would; the app's workers run it. */
export async function evaluateHour(app: TestApp, hourStart: string): Promise<void> {
  const hour = new Date(hourStart);
  await app.jobs.add(
    JOB.evaluateHour,
    { hourStart: hour.toISOString(), trigger: 'cli' },
    { jobId: jobIds.evaluateHour(hour) },
  );
}

/** The delivery batches a run's changes were released in (src/storage/deliveries.ts), oldest first. */
export async function batchesOfRun(app: TestApp, runKey: string): Promise<number[]> {
  const [rows] = await app.storage.pool.query<RowDataPacket[]>(
    'SELECT id FROM delivery_batches WHERE run_key = ? ORDER BY id',
    [runKey],
  );
  return rows.map((row) => Number(row.id));
}

/** Raises an external alert through the REST API; returns it. */
export async function raiseExternal(app: TestApp, body: Record<string, unknown>): Promise<Alert> {
  const response = await app.request('/v1/alerts', { method: 'POST', token: API_TOKEN, json: body });
  if (response.status >= 300) throw new Error(`raising: ${response.status} ${await response.text()}`);
  const { alert } = (await response.json()) as { alert: { id: number } };
  return (await app.storage.alerts.get(alert.id)) as Alert;
}

/** The fake's messages that carry this message key in their metadata (what ratewatch posted for it). */
export function messagesWithKey(messages: readonly FakeMessage[], key: string): FakeMessage[] {
  return messages.filter((m) => m.metadata?.event_payload?.key === key);
}
