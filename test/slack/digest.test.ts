import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourRunKey } from '../../src/alerts/run-key.js';
import { ACTION } from '../../src/slack/ids.js';
import { FakeSlack } from '../fakes/slack-api.js';
import type { FakeMessage } from '../fakes/slack-state.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { blockText, clickButton, slackEnv } from '../helpers/slack.js';
import { batchesOfRun, evaluateHour, postHour, writeConfigFile } from '../helpers/slack-app.js';
import { waitFor } from '../helpers/wait-for.js';

const HOUR = '2026-11-15T12:00:00Z';
const ONCALL = 'C0CARDS001';
const ALERTS = 'C0ALERTS01';
let DIGEST_KEY = '';
const STORM = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4];
let fake: FakeSlack;
let app: TestApp;
let digest: FakeMessage;

const keyOf = (m: FakeMessage) => String(m.metadata?.event_payload?.key ?? '');

beforeAll(async () => {
  fake = await FakeSlack.start();
  const file = writeConfigFile(
    'routing:\n  digest_threshold: 3\n  rules:\n    - match: { source: "storm-*" }\n      channel: "#card-oncall"\n',
  );
  app = await startTestApp(
    'slack_digest',
    { ...slackEnv(fake), ROLES: 'web,worker', RATEWATCH_CONFIG: file },
    { now: () => new Date('2026-11-15T13:05:00Z') },
  );
  for (const [i, rate] of STORM.entries()) await postHour(app, `storm-${i}`, HOUR, rate);
  await postHour(app, 'calm', HOUR, 0.3);
  await evaluateHour(app, HOUR);
  // The run's one batch of changes names its digest.
  const [batchId] = await waitFor(async () => {
    const batches = await batchesOfRun(app, hourRunKey(new Date(HOUR)));
    return batches.length > 0 && batches;
  }, 'the run to finish');
  DIGEST_KEY = `digest_hour_2026-11-15T12_${batchId}_${ONCALL}`;
  digest = await waitFor(() => fake.messagesIn(ONCALL).find((m) => keyOf(m) === DIGEST_KEY), 'the digest');
}, 90_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('a storm of alerts for one channel', () => {
  it('becomes one digest card with the top alerts by severity and score, and the count', async () => {
    await waitFor(() => fake.messagesIn(ALERTS).some((m) => keyOf(m).startsWith('card_')), 'the calm card');
    expect(
      fake
        .messagesIn(ONCALL)
        .filter((m) => m.threadTs === undefined)
        .map(keyOf),
    ).toEqual([DIGEST_KEY]);
    const text = blockText(digest.blocks);
    expect(text).toContain('7 alerts from the 2026-11-15 12:00 UTC evaluation');
    expect(text).toContain('…and 2 more');
    const rows = [...text.matchAll(/storm-(\d) \(production\)/g)].map((m) => Number(m[1]));
    expect(rows).toEqual([6, 5, 4, 3, 2]);
    expect(digest.blocks?.length).toBeLessThanOrEqual(10);
  });

  it('still links every alert in it, so each has its record', async () => {
    const [rows] = await app.storage.pool.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM slack_alert_messages WHERE message_key = ?',
      [DIGEST_KEY],
    );
    expect(Number(rows[0]?.n)).toBe(STORM.length);
    const { alerts } = await app.storage.alerts.list({ source: 'storm-0' }, { limit: 1, offset: 0 });
    const notified = await waitFor(
      async () =>
        (await app.storage.alerts.events(alerts[0]?.id as number)).find((e) => e.kind === 'notified'),
      'the notified event',
    );
    expect(notified.detail).toMatchObject({
      kind: 'digest',
      channel: ONCALL,
    });
  });

  it('is edited when one of its alerts is acknowledged, which its thread also hears', async () => {
    const { alerts } = await app.storage.alerts.list({ source: 'storm-6' }, { limit: 1, offset: 0 });
    const id = alerts[0]?.id as number;
    await clickButton(app.url, fake, {
      actionId: ACTION.acknowledge,
      value: String(id),
      messageTs: digest.ts,
    });
    await waitFor(
      () => blockText(digest.blocks).includes('Acknowledged by <@U0ANA00001>'),
      'the digest edit',
    );
    const reply = await waitFor(() => fake.repliesTo(digest.ts)[0], 'the thread reply');
    expect(reply.text).toMatch(
      new RegExp(`^Alert #${id} storm-6 / production · failed: :eyes: Acknowledged by <@U0ANA00001>`),
    );
  });

  it('is not posted twice when the run is delivered again', async () => {
    const [batchId] = await batchesOfRun(app, hourRunKey(new Date(HOUR)));
    await app.jobs.add(
      'notify-run',
      { batchId: batchId as number, attempt: 1 },
      { jobId: 'notifyrun_digest_again' },
    );
    await waitFor(
      async () => (await app.queues.byName.notifications.getJob('notifyrun_digest_again'))?.finishedOn,
      'the re-run',
    );
    await waitFor(async () => (await app.queues.byName.notifications.getWaitingCount()) === 0, 'queued jobs');
    expect(fake.messagesIn(ONCALL).filter((m) => m.threadTs === undefined)).toHaveLength(1);
    expect(fake.messagesIn(ALERTS).filter((m) => keyOf(m).startsWith('card_'))).toHaveLength(1);
  });
});
