import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { hourRunKey } from '../../src/alerts/run-key.js';
import { ACTION, VIEW } from '../../src/slack/ids.js';
import { FakeSlack } from '../fakes/slack-api.js';
import type { FakeMessage } from '../fakes/slack-state.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { blockText, chooseOption, clickButton, slackEnv, submitResolveModal } from '../helpers/slack.js';
import {
  batchesOfRun,
  evaluateHour,
  messagesWithKey,
  postHour,
  raiseExternal,
  writeConfigFile,
} from '../helpers/slack-app.js';
import { waitFor } from '../helpers/wait-for.js';

const ALERTS = 'C0ALERTS01';
const HOUR = '2026-11-15T13:00:00Z';
let fake: FakeSlack;
let app: TestApp;
let alert: Alert;
let card: FakeMessage;

beforeAll(async () => {
  fake = await FakeSlack.start();
  const file = writeConfigFile(
    'sources:\n  card-eu:\n    timezone: Europe/Berlin\n    runbook_url: https://wiki.example.com/card-eu\n',
  );
  app = await startTestApp(
    'slack_delivery',
    {
      ...slackEnv(fake),
      ROLES: 'web,worker',
      RATEWATCH_CONFIG: file,
      LINK_SECRET: 'delivery-test-link-secret-0123',
      PUBLIC_URL: 'http://127.0.0.1:1',
    },
    { now: () => new Date('2026-11-15T14:05:00Z') },
  );
  await postHour(app, 'card-eu', HOUR, 0.2);
  await evaluateHour(app, HOUR);
  alert = await waitFor(
    async () => (await app.storage.alerts.list({ source: 'card-eu' }, { limit: 5, offset: 0 })).alerts[0],
    'the alert',
  );
  card = await waitFor(() => messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)[0], 'the card');
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('a finding', () => {
  it('posts exactly one card to the routed channel, with the numbers and both clocks', async () => {
    expect(alert).toMatchObject({ metric: 'failed', status: 'new' });
    const text = blockText(card.blocks);
    expect(text).toMatch(/card-eu \(production\) · failed rate 20\.\d % \(normal /);
    expect(text).toMatch(/1,2\d\d of 6,0\d\d transactions/);
    expect(text).toContain('*Window* Sun 15 Nov 14:00–15:00 Europe/Berlin (13:00–14:00 UTC)');
    expect(text).toContain(`Alert #${alert.id}`);
    expect(card.blocks?.length).toBeLessThanOrEqual(10);
    // The audit line is written right after the post: wait for it rather than race it.
    const notified = async () =>
      (await app.storage.alerts.events(alert.id)).filter(
        (e) => e.kind === 'notified' && e.channel === 'slack',
      );
    await waitFor(async () => (await notified()).length > 0, 'the notified event');
    expect(await notified()).toHaveLength(1);
  });

  it('is not posted again when the hour is delivered again', async () => {
    const [batchId] = await batchesOfRun(app, hourRunKey(new Date(HOUR)));
    await app.jobs.add(
      'notify-run',
      { batchId: batchId as number, attempt: 1 },
      { jobId: 'notifyrun_again' },
    );
    await waitFor(
      async () => (await app.queues.byName.notifications.getJob('notifyrun_again'))?.finishedOn,
      'the re-run',
    );
    await waitFor(async () => (await app.queues.byName.notifications.getWaitingCount()) === 0, 'queued jobs');
    expect(messagesWithKey(fake.messagesIn(ALERTS), `card_${alert.id}`)).toHaveLength(1);
  });
});

describe("the card's links", () => {
  it('opens the alert page with a link signed for the channel, and links the runbook', async () => {
    const open = (card.blocks as { type: string; elements?: { action_id?: string; url?: string }[] }[])
      .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
      .find((e) => e.action_id === ACTION.open);
    expect(open?.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:1/alerts/${alert.id}\\?t=`));
    const page = await fetch(
      `${app.url}${new URL(open?.url as string).pathname}${new URL(open?.url as string).search}`,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('This link came from the Slack card in #alerts');
    expect(blockText(card.blocks)).toContain('<https://wiki.example.com/card-eu|Runbook>');
  });
});

describe('the Acknowledge button', () => {
  it('acknowledges the alert, edits the card in place and says so in its thread', async () => {
    const click = await clickButton(app.url, fake, {
      actionId: ACTION.acknowledge,
      value: String(alert.id),
      messageTs: card.ts,
    });
    expect(click.status).toBe(200);
    const acked = await waitFor(async () => {
      const a = await app.storage.alerts.get(alert.id);
      return a?.status === 'acknowledged' && a;
    }, 'the acknowledgement');
    expect(acked.acknowledgedBy).toBe('<@U0ANA00001>');
    await waitFor(
      () => card.edits.some((e) => blockText(e.blocks).includes('Acknowledged by <@U0ANA00001>')),
      'the edit',
    );
    const buttons = JSON.stringify(card.edits.at(-1)?.blocks);
    expect(buttons).not.toContain(ACTION.acknowledge);
    expect(buttons).toContain(ACTION.resolve);
    // The chart also goes into this thread, so the acknowledgement need not be the first reply.
    const said = (r: { text: string }) => r.text.includes('Acknowledged by');
    const reply = await waitFor(() => fake.repliesTo(card.ts).find(said), 'the thread reply');
    expect(reply.text).toMatch(/Acknowledged by <@U0ANA00001> at \d\d:\d\d UTC/);
    expect(fake.repliesTo(card.ts).filter(said)).toHaveLength(1);
    expect(fake.responsesTo(click.responseId)).toEqual([]);
  });
});

describe('the Mute menu', () => {
  it("mutes the alert's source, environment and metric for the chosen hours, as /alerts mute does", async () => {
    const responseId = await chooseOption(app.url, fake, {
      actionId: ACTION.mute,
      value: `${alert.id}_240`,
      label: 'Mute failed for 4 h',
      user: 'U0ANA00001',
    });
    const [answer] = await waitFor(
      () => fake.responsesTo(responseId).length > 0 && fake.responsesTo(responseId),
      'the answer',
    );
    expect(String(answer?.text)).toContain(
      ':mute: Muted *card-eu* production (failed) until 2026-11-15 18:05 UTC',
    );
    const [mute] = await app.storage.mutes.active(new Date('2026-11-15T14:05:00Z'));
    expect(mute).toMatchObject({ source: 'card-eu', environment: 'production', metric: 'failed' });
    expect(mute?.until.toISOString()).toBe('2026-11-15T18:05:00.000Z');
    const events = await app.storage.alerts.events(alert.id);
    expect(events.some((e) => e.kind === 'muted' && e.actor === '<@U0ANA00001>')).toBe(true);
  });
});

describe('the Resolve button', () => {
  it('asks first in a modal, then resolves with the note, removes the buttons and replies in the thread', async () => {
    await clickButton(app.url, fake, {
      actionId: ACTION.resolve,
      value: String(alert.id),
      user: 'U0BO000002',
    });
    const opened = await waitFor(() => fake.state.views[0], 'the modal');
    expect(opened.view).toMatchObject({ callback_id: VIEW.resolve, type: 'modal' });
    expect(opened.triggerId).toMatch(/^\d+\./);
    expect((await app.storage.alerts.get(alert.id))?.status).toBe('acknowledged');
    expect(await submitResolveModal(app.url, opened, { user: 'U0BO000002', note: 'acquirer fixed it' })).toBe(
      200,
    );
    const resolved = await waitFor(async () => {
      const a = await app.storage.alerts.get(alert.id);
      return a?.status === 'resolved' && a;
    }, 'the resolution');
    expect(resolved).toMatchObject({ resolvedBy: '<@U0BO000002>', resolutionNote: 'acquirer fixed it' });
    await waitFor(
      () => card.edits.some((e) => blockText(e.blocks).includes('Resolved by <@U0BO000002>')),
      'the edit',
    );
    // Only Open is left: the page still shows the chart and the trail.
    const left = JSON.stringify(card.edits.at(-1)?.blocks);
    for (const gone of [ACTION.acknowledge, ACTION.resolve, ACTION.mute]) expect(left).not.toContain(gone);
    expect(left).toContain(ACTION.open);
    await waitFor(
      () =>
        fake
          .repliesTo(card.ts)
          .some((r) => r.text.includes('Resolved by <@U0BO000002>') && r.text.includes('acquirer fixed it')),
      'the reply',
    );
  });

  it('answers a later click on the resolved card with an ephemeral reason, and changes nothing', async () => {
    const click = await clickButton(app.url, fake, {
      actionId: ACTION.acknowledge,
      value: String(alert.id),
      user: 'U0CY000003',
    });
    const [answer] = await waitFor(
      () => fake.responsesTo(click.responseId).length > 0 && fake.responsesTo(click.responseId),
      'the refusal',
    );
    expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer?.text)).toMatch(
      /was not acknowledged: it was already resolved by <@U0BO000002> at \d\d:\d\d UTC/,
    );
    expect((await app.storage.alerts.get(alert.id))?.resolvedBy).toBe('<@U0BO000002>');
  });
});

describe('an external alert with hostile text', () => {
  it('is posted with its title, summary and producer escaped', async () => {
    const nasty = '<!channel> wire money <https://evil.example|here> & <@U0EVIL>';
    const external = await raiseExternal(app, {
      ...{ source: 'acq-gw', metric: 'latency', severity: 'high' },
      ...{ title: nasty, summary: nasty, producer: nasty },
    });
    const posted = await waitFor(
      () => messagesWithKey(fake.messagesIn(ALERTS), `card_${external.id}`)[0],
      'the card',
    );
    const mrkdwn = JSON.stringify(posted.blocks?.slice(1));
    for (const text of [mrkdwn, posted.text]) {
      expect(text).not.toMatch(/<!channel>|<@U0EVIL>|<https:/);
      expect(text).toContain('&lt;!channel&gt; wire money &lt;https://evil.example|here&gt; &amp;');
    }
  });
});

describe('a source onboarded by the shared ingest token', () => {
  it('is announced once in the default channel', async () => {
    const source = await waitFor(async () => {
      const s = await app.storage.sources.findByName('card-eu');
      return s?.announcedAt ? s : undefined;
    }, 'the announcement');
    expect(messagesWithKey(fake.messagesIn(ALERTS), `announce_${source.id}`)).toHaveLength(1);
    await postHour(app, 'card-eu', '2026-11-15T12:00:00Z', 0.01);
    expect(messagesWithKey(fake.messagesIn(ALERTS), `announce_${source.id}`)).toHaveLength(1);
  });
});
