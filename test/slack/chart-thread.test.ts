import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { jobIds } from '../../src/queue/job-ids.js';
import { JOB } from '../../src/queue/names.js';
import type { ChartUploadRow } from '../../src/storage/slack-chart-uploads.js';
import { FakeSlack } from '../fakes/slack-api.js';
import type { FakeFile, FakeMessage } from '../fakes/slack-state.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { slackEnv } from '../helpers/slack.js';
import { messagesWithKey, postHour, raiseExternal } from '../helpers/slack-app.js';
import { waitFor } from '../helpers/wait-for.js';

const ALERTS = 'C0ALERTS01';
const HOUR = '2026-11-15T13:00:00Z';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SOURCES = ['chart-a', 'chart-b', 'chart-c', 'chart-d'];
let fake: FakeSlack;
let app: TestApp;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  fake = await FakeSlack.start();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  app = await startTestApp(
    'slack_charts',
    { ...slackEnv(fake), ROLES: 'web,worker' },
    { now: () => new Date('2026-11-15T14:05:00Z'), logger: pino({ level: 'warn' }, sink) },
  );
  // Counts for each source, so their alerts have a chart (the metric against its normal range).
  for (const source of SOURCES) await postHour(app, source, HOUR, 0.01);
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

async function cardOf(alert: Alert): Promise<FakeMessage> {
  return waitFor(() => messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)[0], 'the card');
}

/** Charts completed into the card's thread, oldest first. */
function chartsUnder(card: FakeMessage): FakeFile[] {
  return fake.uploadsIn(ALERTS).filter((f) => f.shared?.threadTs === card.ts);
}

async function uploadRow(alertId: number, severity: string): Promise<ChartUploadRow | undefined> {
  return app.storage.chartUploads.get({ alertId, severity });
}

/** Waits until no card or chart job is waiting, running or delayed: every one queued has been done. */
async function settled(): Promise<void> {
  const queue = app.queues.byName.notifications;
  const names: readonly string[] = [JOB.notifyAlert, JOB.notifyRun, JOB.slackChart];
  await waitFor(async () => {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
    return jobs.every((job) => !names.includes(job.name));
  }, 'the card and chart jobs to be done');
}

describe("a new alert's card", () => {
  let alert: Alert;
  let card: FakeMessage;

  beforeAll(async () => {
    alert = await raiseExternal(app, { source: 'chart-a', metric: 'failed', severity: 'high' });
    card = await cardOf(alert);
  });

  it('gets its chart in its thread: one PNG, uploaded after the card was posted', async () => {
    const [chart] = await waitFor(() => chartsUnder(card).length > 0 && chartsUnder(card), 'the chart');
    expect(chart?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(chart?.bytes?.length).toBe(chart?.length);
    expect(chart).toMatchObject({ filename: `ratewatch-alert-${alert.id}-high.png` });
    expect(chart?.title).toContain('HIGH · chart-a (production)');
    expect(chart?.altText).toMatch(/^Chart of chart-a \(production\)/);
    const share = fake.state.messages.find((m) => m.files?.some((f) => f.id === chart?.id));
    expect(share).toMatchObject({ channel: ALERTS, threadTs: card.ts });
    expect(Number(share?.ts)).toBeGreaterThan(Number(card.ts));
    const row = await waitFor(async () => {
      const r = await uploadRow(alert.id, 'high');
      return r?.state === 'uploaded' && r;
    }, 'the recorded upload');
    expect(row.fileId).toBe(chart?.id);
  });

  it('is not uploaded again by a repeated delivery, a re-run of the upload job or a merge without a rise', async () => {
    await waitFor(async () => (await uploadRow(alert.id, 'high'))?.state === 'uploaded', 'the first upload');
    await app.jobs.add(
      JOB.notifyAlert,
      { alertId: alert.id, revision: alert.revision },
      { jobId: 'notify_again' },
    );
    await app.jobs.add(JOB.slackChart, { alertId: alert.id, severity: 'high' }, { jobId: 'chart_again' });
    const merged = await raiseExternal(app, { source: 'chart-a', metric: 'failed', severity: 'high' });
    expect(merged).toMatchObject({ id: alert.id, severity: 'high' });
    expect(merged.revision).toBeGreaterThan(alert.revision);
    await waitFor(() => card.edits.length > 0, 'the card edited for the merge');
    await settled();
    expect(chartsUnder(card)).toHaveLength(1);
    expect(fake.callsOf('files.getUploadURLExternal')).toHaveLength(1);
  });

  it('gets a second chart when its severity rises, one per level reached', async () => {
    const raised = await raiseExternal(app, { source: 'chart-a', metric: 'failed', severity: 'critical' });
    expect(raised.severity).toBe('critical');
    const charts = await waitFor(
      () => chartsUnder(card).length >= 2 && chartsUnder(card),
      'the second chart',
    );
    expect(charts.map((c) => c.filename)).toEqual([
      `ratewatch-alert-${alert.id}-high.png`,
      `ratewatch-alert-${alert.id}-critical.png`,
    ]);
    expect(charts[1]?.bytes?.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    await raiseExternal(app, { source: 'chart-a', metric: 'failed', severity: 'critical' });
    await settled();
    expect(chartsUnder(card)).toHaveLength(2);
  });
});

describe('an upload whose answer was lost (Slack completed it, the worker never heard)', () => {
  it('is found in the thread by the retry and recorded, not uploaded twice', async () => {
    await settled();
    fake.failNext('files.completeUploadExternal', { takeThenDrop: true });
    const alert = await raiseExternal(app, { source: 'chart-b', metric: 'failed', severity: 'high' });
    const card = await cardOf(alert);
    const row = await waitFor(async () => {
      const r = await uploadRow(alert.id, 'high');
      return r?.state === 'uploaded' && r;
    }, 'the upload recorded');
    expect(chartsUnder(card)).toHaveLength(1);
    expect(row.fileId).toBe(chartsUnder(card)[0]?.id);
    expect(fake.callsOf('conversations.replies').some((c) => c.args.ts === card.ts)).toBe(true);
  });
});

describe('a worker killed between the upload and its record', () => {
  it('leaves a claim whose retry finds the file in the thread and records it, uploading nothing', async () => {
    await settled();
    const alert = await raiseExternal(app, { source: 'chart-b', metric: 'reversed', severity: 'high' });
    const card = await cardOf(alert);
    const done = await waitFor(async () => {
      const r = await uploadRow(alert.id, 'high');
      return r?.state === 'uploaded' && r;
    }, 'the upload');
    // The row as the killed worker left it: claimed (lease over), maybe uploaded, nothing recorded.
    await app.storage.pool.query(
      `UPDATE slack_chart_uploads SET state = 'pending', file_id = NULL, maybe_uploaded = 1,
         claim_token = 'killedworker000000000000', claimed_at = NOW(3) - INTERVAL 2 MINUTE,
         claim_until = NOW(3) - INTERVAL 1 MINUTE WHERE alert_id = ? AND severity = 'high'`,
      [alert.id],
    );
    const uploadsBefore = fake.callsOf('files.getUploadURLExternal').length;
    await app.jobs.add(JOB.slackChart, { alertId: alert.id, severity: 'high' }, { jobId: 'chart_retry' });
    const row = await waitFor(async () => {
      const r = await uploadRow(alert.id, 'high');
      return r?.state === 'uploaded' && r;
    }, 'the retry to record it');
    expect(row.fileId).toBe(done.fileId);
    expect(chartsUnder(card)).toHaveLength(1);
    expect(fake.callsOf('files.getUploadURLExternal')).toHaveLength(uploadsBefore);
  });
});

describe('an upload Slack refuses for a while', () => {
  it('is retried through 429s and 500s until it goes through, and the card is untouched by it', async () => {
    await settled();
    const before = fake.callsOf('files.getUploadURLExternal').length;
    fake.failNext('files.getUploadURLExternal', { status: 429, retryAfterSeconds: 1 });
    fake.failNext('files.getUploadURLExternal', { status: 500 });
    fake.failNext('upload', { status: 500 });
    const alert = await raiseExternal(app, { source: 'chart-c', metric: 'failed', severity: 'high' });
    const card = await cardOf(alert);
    await waitFor(async () => (await uploadRow(alert.id, 'high'))?.state === 'uploaded', 'the upload');
    expect(chartsUnder(card)).toHaveLength(1);
    expect(fake.callsOf('files.getUploadURLExternal').length - before).toBe(4);
    expect(messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)).toHaveLength(1);
  });

  it('is given up after its retries and logged without secrets; the card and the alert are unaffected', async () => {
    await settled();
    fake.failNext('files.getUploadURLExternal', { status: 500 }, 5);
    const alert = await raiseExternal(app, { source: 'chart-d', metric: 'failed', severity: 'high' });
    const card = await cardOf(alert);
    const row = await waitFor(
      async () => {
        const r = await uploadRow(alert.id, 'high');
        return r?.state === 'failed' && r;
      },
      'the upload to be given up',
      60_000,
    );
    expect(row.fileId).toBeNull();
    expect(chartsUnder(card)).toHaveLength(0);
    const line = logLines.find(
      (l) => l.alertId === alert.id && String(l.msg).startsWith('gave up uploading'),
    );
    expect(line).toMatchObject({ severity: 'high' });
    expect(JSON.stringify(logLines)).not.toContain('xoxb-');
    const job = await app.queues.byName.notifications.getJob(jobIds.slackChart(alert.id, 'high'));
    expect(job?.returnvalue).toMatchObject({ kind: 'given_up' });
    expect(await job?.getState()).toBe('completed');
    expect(messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)).toHaveLength(1);
    expect((await app.storage.alerts.get(alert.id))?.status).toBe('new');
    const slackRows = await app.storage.deliveries.health(new Date(0));
    expect(slackRows.find((h) => h.channel === 'slack')?.failed ?? 0).toBe(0);
  }, 90_000);
});

describe('a chart owed in MySQL whose job Redis lost (a wipe between the card and the upload)', () => {
  it('is queued again by the outbox sweep and uploaded once', async () => {
    await settled();
    const alert = await raiseExternal(app, { source: 'chart-b', metric: 'denied', severity: 'critical' });
    const card = await cardOf(alert);
    await waitFor(async () => (await uploadRow(alert.id, 'critical'))?.state === 'uploaded', 'its chart');
    // As a card sync writes it just before Redis loses the queued job: owed, with no job anywhere.
    const key = { alertId: alert.id, severity: 'high' };
    expect(await app.storage.chartUploads.ensure(key, new Date('2026-11-15T14:00:00Z'))).toBe(true);
    const swept = await app.sweep();
    expect(swept.requeued).toEqual([`${jobIds.slackChart(alert.id, 'high')}_r1`]);
    await waitFor(async () => (await uploadRow(alert.id, 'high'))?.state === 'uploaded', 'the swept upload');
    expect((await app.sweep()).requeued).toEqual([]);
    expect(chartsUnder(card).map((c) => c.filename)).toEqual([
      `ratewatch-alert-${alert.id}-critical.png`,
      `ratewatch-alert-${alert.id}-high.png`,
    ]);
  });
});
