import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../../commands/index.js';
import { type Ratewatch, startRatewatch } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { FakeSlack } from '../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { slackEnv } from '../helpers/slack.js';
import { evaluateHour, messagesWithKey, postHour, raiseExternal } from '../helpers/slack-app.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { waitFor } from '../helpers/wait-for.js';

const ALERTS = 'C0ALERTS01';
const HOUR = '2026-11-15T12:00:00Z';
let fake: FakeSlack;
let smtp: TestSmtpServer;

beforeAll(async () => {
  fake = await FakeSlack.start();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await fake?.close();
  await smtp?.close();
});

const env = () => ({ ...slackEnv(fake), SMTP_URL: smtp.url, EMAIL_TO: 'ops@example.com' });
// Each part's alert ids start at 1 in its own database: cards are told apart by the source they show.
const cardsOf = (alert: { id: number; source: string }) =>
  messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`).filter((m) =>
    JSON.stringify(m.blocks).includes(alert.source),
  );
const emailsAbout = (source: string) =>
  smtp.to('ops@example.com').filter((r) => r.mail.subject?.includes(source));

async function alertOf(app: TestApp, source: string) {
  return waitFor(
    async () => (await app.storage.alerts.list({ source }, { limit: 1, offset: 0 })).alerts[0],
    `the alert of ${source}`,
  );
}

async function owedRows(app: TestApp): Promise<number> {
  const [rows] = await app.storage.pool.query<RowDataPacket[]>(
    "SELECT COUNT(*) AS n FROM deliveries WHERE state = 'pending'",
  );
  return Number(rows[0]?.n);
}

describe('an hour evaluated again (late posts, then evaluate --hour after the scheduler ran it)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(
      'outbox_again',
      { ...env(), ROLES: 'web,worker' },
      { now: () => new Date('2026-11-15T13:05:00Z') },
    );
    await postHour(app, 'card-early', HOUR, 0.3);
    await evaluateHour(app, HOUR);
    const early = await alertOf(app, 'card-early');
    await waitFor(() => cardsOf(early).length > 0 && emailsAbout('card-early').length > 0, 'the first run');
  }, 90_000);
  afterAll(() => app?.stop());

  it('delivers the alert it newly raised — its card and its email — and the earlier one not again', async () => {
    await postHour(app, 'card-late', HOUR, 0.3);
    const env2 = {
      ...env(),
      MYSQL_URL: app.database.url,
      QUEUE_PREFIX: app.queuePrefix,
      LOG_LEVEL: 'silent',
    };
    expect((await cli(['evaluate', '--hour', HOUR], env2)).code).toBe(0);
    const late = await alertOf(app, 'card-late');
    await waitFor(() => cardsOf(late).length > 0, 'the card of the newly raised alert');
    await smtp.waitFor(1, 'ops@example.com');
    await waitFor(() => emailsAbout('card-late').length > 0, 'the email of the newly raised alert');
    await waitFor(async () => (await owedRows(app)) === 0, 'every change delivered');
    const early = await alertOf(app, 'card-early');
    expect(cardsOf(early)).toHaveLength(1);
    expect(cardsOf(late)).toHaveLength(1);
    expect(emailsAbout('card-early')).toHaveLength(1);
    expect(emailsAbout('card-late')).toHaveLength(1);
  });
});

describe('an alert no Slack channel takes', () => {
  let app: TestApp;
  beforeAll(async () => {
    const noChannel = { ...env(), SLACK_DEFAULT_CHANNEL: '', ROLES: 'web,worker' };
    app = await startTestApp('outbox_nochannel', noChannel, { now: () => new Date('2026-11-15T13:05:00Z') });
  }, 60_000);
  afterAll(() => app?.stop());

  it('is still emailed, and owes Slack nothing for ever (the sweep has nothing to redo)', async () => {
    await postHour(app, 'card-nowhere', HOUR, 0.3);
    await evaluateHour(app, HOUR);
    await alertOf(app, 'card-nowhere');
    await waitFor(() => emailsAbout('card-nowhere').length > 0, 'the email');
    await waitFor(async () => (await owedRows(app)) === 0, 'nothing owed');
  });
});

describe('Redis losing its queues (a restart without persistence, a failover)', () => {
  let clock = new Date('2026-11-15T14:30:00Z');
  const now = () => clock;
  let web: TestApp;
  let worker: Ratewatch | undefined;
  beforeAll(async () => {
    web = await startTestApp('outbox_wipe', { ...env(), ROLES: 'web' }, { now });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await web?.stop();
  });

  const wipe = () => Promise.all(Object.values(web.queues.byName).map((q) => q.obliterate({ force: true })));
  const startWorker = async () => {
    const config = loadConfig({
      ...env(),
      MYSQL_URL: web.database.url,
      QUEUE_PREFIX: web.queuePrefix,
      ROLES: 'worker',
      LOG_LEVEL: 'silent',
    });
    worker = await startRatewatch(config, {
      logger: createLogger({ level: 'silent' }),
      now,
      slackListeners: registerCommands,
    });
  };

  it('still delivers a change committed before the wipe, once, when the sweep finds it owed', async () => {
    const alert = await raiseExternal(web, { source: 'card-wiped', metric: 'failed', severity: 'high' });
    await wipe();
    await startWorker();
    expect(await owedRows(web)).toBeGreaterThan(0);
    clock = new Date(clock.getTime() + 3 * 60_000);
    const swept = await web.sweep();
    expect(swept.requeued).toEqual(
      expect.arrayContaining([`notify_${alert.id}_1_r1`, `email_${alert.id}_1_r1`]),
    );
    await waitFor(() => cardsOf(alert).length > 0, 'the card');
    await waitFor(() => emailsAbout('card-wiped').length > 0, 'the email');
    await waitFor(async () => (await owedRows(web)) === 0, 'every change delivered');
    expect((await web.sweep()).requeued).toEqual([]);
    expect(cardsOf(alert)).toHaveLength(1);
    expect(emailsAbout('card-wiped')).toHaveLength(1);
  });

  it('evaluates every hour whose run Redis lost, oldest first', async () => {
    // The scheduler ran 11:00; the runs of 12:00 and 13:00 were lost with the queues.
    await web.storage.runs.start(new Date('2026-11-15T11:00:00Z'), 'schedule', clock);
    await web.storage.runs.finish(new Date('2026-11-15T11:00:00Z'), { seriesTotal: 0, findings: 0 }, clock);
    expect((await web.sweep()).evaluating).toMatch(/^evaluate_2026-11-15T12_sweep/);
    await waitFor(() => web.storage.runs.isFinished(new Date('2026-11-15T12:00:00Z')), 'the 12:00 run');
    expect((await web.sweep()).evaluating).toMatch(/^evaluate_2026-11-15T13_sweep/);
    await waitFor(() => web.storage.runs.isFinished(new Date('2026-11-15T13:00:00Z')), 'the 13:00 run');
    expect((await web.sweep()).evaluating).toBeUndefined();
  });
});
