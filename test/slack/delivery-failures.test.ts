import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { openOrMerge } from '../../src/alerts/alert-service.js';
import { jobIds } from '../../src/queue/job-ids.js';
import { FakeSlack } from '../fakes/slack-api.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { blockText, slackEnv } from '../helpers/slack.js';
import { messagesWithKey, raiseExternal } from '../helpers/slack-app.js';
import { waitFor } from '../helpers/wait-for.js';

const ALERTS = 'C0ALERTS01';
let fake: FakeSlack;
let app: TestApp;

beforeAll(async () => {
  fake = await FakeSlack.start();
  app = await startTestApp('slack_failures', { ...slackEnv(fake), ROLES: 'web,worker' });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

const cardOf = (alert: Alert) =>
  waitFor(() => messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)[0], `card of #${alert.id}`);
const postsOf = (alert: Alert) =>
  fake.callsOf('chat.postMessage').filter((c) => c.args.metadata?.includes(`"card_${alert.id}"`));
const notifications = () => app.queues.byName.notifications;

describe('a 429 with Retry-After', () => {
  it('delays the post without using an attempt, and the card arrives once', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const alert = await raiseExternal(app, { source: 'limited', metric: 'failed', severity: 'high' });
    await cardOf(alert);
    const job = await waitFor(async () => {
      const j = await notifications().getJob(jobIds.notifyAlert(alert.id, alert.revision));
      return j?.finishedOn ? j : undefined;
    }, 'the job to finish');
    expect(job.stacktrace).toEqual([]);
    expect(postsOf(alert)).toHaveLength(2);
    expect(messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)).toHaveLength(1);
  });
});

describe('one channel', () => {
  it('gets at most about one message a second, and every card once', async () => {
    const alerts = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        raiseExternal(app, { source: `paced-${i}`, metric: 'failed', severity: 'low' }),
      ),
    );
    await Promise.all(alerts.map(cardOf));
    const posts = alerts.flatMap(postsOf).sort((a, b) => a.at - b.at);
    expect(posts).toHaveLength(4);
    const gaps = posts.slice(1).map((post, i) => post.at - (posts[i]?.at ?? 0));
    // A lower bound only, with room for the moment between taking the slot and the request arriving: a slow
    // machine makes the gaps longer, never much shorter.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(700);
  });
});

describe('a post whose answer is lost (Slack took it, the worker never heard)', () => {
  it('is found by its key on the retry, not posted again, and brought up to date', async () => {
    fake.failNext('chat.postMessage', { takeThenDrop: true });
    const alert = await raiseExternal(app, { source: 'dropped', metric: 'failed', severity: 'high' });
    const card = await cardOf(alert);
    await waitFor(() => card.edits.length > 0, 'the adopted card to be edited to the current revision');
    expect(postsOf(alert)).toHaveLength(1);
    expect(fake.callsOf('conversations.history').some((c) => c.args.include_all_metadata === 'true')).toBe(
      true,
    );
    expect(messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)).toHaveLength(1);
  });
});

describe('a worker killed between posting and storing the ts', () => {
  it('leaves a claim that the next run waits out, finds the message, and does not post it again', async () => {
    // Opened in the store, as the alert service does, but without queueing its card.
    const { alert } = await app.storage.alerts.transaction((tx) =>
      openOrMerge(tx, {
        ...{ source: 'killed', environment: 'production', api: null, metric: 'failed', severity: 'high' },
        ...{ origin: 'external', title: 'killed worker', summary: null, finding: null },
        ...{ actor: 'test', channel: 'api', at: new Date() },
      }),
    );
    const key = `card_${alert.id}`;
    const dead = fake.state.post({
      channel: ALERTS,
      text: 'posted by the dead worker',
      metadata: JSON.stringify({ event_type: 'ratewatch_message', event_payload: { key } }),
    });
    await app.storage.pool.query(
      `INSERT INTO slack_messages (message_key, kind, channel, claim_token, claimed_at, claim_until, maybe_posted)
       VALUES (?, 'card', ?, 'deadworker00000000000000', NOW(3) - INTERVAL 5 SECOND, NOW(3) + INTERVAL 2 SECOND, 1)`,
      [key, ALERTS],
    );
    await app.storage.pool.query('INSERT INTO slack_alert_messages (alert_id, message_key) VALUES (?, ?)', [
      alert.id,
      key,
    ]);
    for (const run of ['first', 'second']) {
      await app.jobs.add(
        'notify-alert',
        { alertId: alert.id, revision: alert.revision },
        { jobId: `killed_${run}` },
      );
    }
    await waitFor(async () => {
      const [rows] = await app.storage.pool.query<RowDataPacket[]>(
        'SELECT ts FROM slack_messages WHERE message_key = ?',
        [key],
      );
      return rows[0]?.ts === dead.ts;
    }, 'the ts to be adopted');
    const card = await cardOf(alert);
    await waitFor(() => card.edits.length > 0, 'the card to be rendered');
    expect(blockText(card.blocks)).toContain('killed worker');
    expect(postsOf(alert)).toHaveLength(0);
    expect(messagesWithKey(fake.messagesIn(ALERTS), key)).toHaveLength(1);
  });
});

describe('a transient failure', () => {
  it('is retried with backoff and the card posted once', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    const alert = await raiseExternal(app, { source: 'flaky', metric: 'failed', severity: 'high' });
    await cardOf(alert);
    expect(messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)).toHaveLength(1);
    const job = await notifications().getJob(jobIds.notifyAlert(alert.id, alert.revision));
    expect(job?.stacktrace).toHaveLength(1);
  });
});

describe('a failure retrying cannot fix', () => {
  it('hands the alert to the email fallback, records it, and posts the card with a note once Slack works', async () => {
    fake.failNext('chat.postMessage', { error: 'is_archived' });
    const alert = await raiseExternal(app, { source: 'archived', metric: 'failed', severity: 'critical' });
    const fallback = await waitFor(
      () => app.queues.byName.email.getJob(jobIds.emailFallback(alert.id, alert.revision)),
      'the email-fallback job',
    );
    expect(fallback.data).toEqual({ alertId: alert.id, revision: alert.revision });
    const failed = await waitFor(
      async () =>
        (await app.storage.alerts.events(alert.id)).find(
          (e) => e.kind === 'notified' && e.channel === 'slack',
        ),
      'the failure on the audit trail',
    );
    expect(failed.detail).toMatchObject({ kind: 'failed', revision: alert.revision });
    const late = await notifications().getJob(`${jobIds.notifyAlert(alert.id, alert.revision)}_late`);
    expect(await late?.getState()).toBe('delayed');
    const acked = await fetch(`${app.url}/v1/alerts/${alert.id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ actor: 'ana@example.com' }),
    });
    expect(acked.status).toBe(200);
    const card = await cardOf(alert);
    expect(blockText(card.blocks)).toContain('Slack could not be reached');
    expect(blockText(card.blocks)).toContain('Acknowledged by ana@example.com');
  });
});
