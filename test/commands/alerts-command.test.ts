import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/alerts/alert.js';
import { ACTION } from '../../src/slack/ids.js';
import { FakeSlack } from '../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { blockText, clickButton, slackEnv, slashCommand } from '../helpers/slack.js';
import { raiseExternal } from '../helpers/slack-app.js';
import { waitFor } from '../helpers/wait-for.js';

let fake: FakeSlack;
let app: TestApp;
const raised: Alert[] = [];

beforeAll(async () => {
  fake = await FakeSlack.start();
  app = await startTestApp('slack_commands', slackEnv(fake));
  for (let i = 0; i < 7; i++) {
    raised.push(
      await raiseExternal(app, {
        source: i < 4 ? 'acq-gw' : 'card-us',
        metric: `latency${i}`,
        severity: i % 2 === 0 ? 'high' : 'low',
        title: `p99 over ${i} s`,
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

/** Runs `/alerts <text>` and returns its one ephemeral answer. */
async function run(text: string, user?: string): Promise<Record<string, unknown>> {
  const { status, responseId } = await slashCommand(app.url, fake, text, user);
  expect(status).toBe(200);
  const [answer] = await waitFor(
    () => fake.responsesTo(responseId).length > 0 && fake.responsesTo(responseId),
    `/alerts ${text}`,
  );
  expect(answer?.response_type).toBe('ephemeral');
  return answer as Record<string, unknown>;
}

const ids = (answer: Record<string, unknown>) =>
  [...blockText(answer.blocks).matchAll(/\*#(\d+)\*/g)].map((m) => Number(m[1]));

describe('/alerts list', () => {
  it('lists newest first with the true total, a row of buttons per alert, and a Next button', async () => {
    const answer = await run('');
    expect(blockText(answer.blocks)).toContain('*7 alerts* (all) · showing 1–7');
    expect(ids(answer)).toEqual(raised.map((a) => a.id).reverse());
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks.match(/alert_row_\d+/g)).toHaveLength(7);
    expect(blocks).not.toContain(ACTION.nextPage);
  });

  it('filters by status, severity, source and environment, and pages with Previous / Next', async () => {
    const first = await run('list status:new severity:high source:acq-gw env:production limit:1');
    expect(blockText(first.blocks)).toContain(
      '*2 alerts* matching `status:new severity:high source:acq-gw env:production`',
    );
    expect(ids(first)).toEqual([raised[2]?.id]);
    const next = (first.blocks as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.nextPage);
    const click = await clickButton(app.url, fake, {
      actionId: ACTION.nextPage,
      value: next?.value ?? '',
      ephemeral: true,
    });
    const [page] = await waitFor(
      () => fake.responsesTo(click.responseId).length > 0 && fake.responsesTo(click.responseId),
      'page 2',
    );
    expect(page).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(ids(page as Record<string, unknown>)).toEqual([raised[0]?.id]);
    expect(JSON.stringify(page?.blocks)).toContain(ACTION.previousPage);
    expect(JSON.stringify(page?.blocks)).not.toContain(ACTION.nextPage);
  });
});

describe('/alerts ack, resolve and show', () => {
  it('acknowledges, refuses a second acknowledgement with who was first, resolves with a note, and shows the trail', async () => {
    const id = raised[6]?.id as number;
    expect(String((await run(`ack ${id}`)).text)).toContain(`Acknowledged alert #${id}`);
    const again = await run(`ack #${id}`, 'U0BO000002');
    expect(String(again.text)).toMatch(
      new RegExp(
        `Alert #${id} was not acknowledged: it was already acknowledged by <@U0ANA00001> at \\d\\d:\\d\\d UTC`,
      ),
    );
    expect(String((await run(`resolve ${id} acquirer <fixed> it`, 'U0BO000002')).text)).toContain(
      `Resolved alert #${id}`,
    );
    const alert = await app.storage.alerts.get(id);
    expect(alert).toMatchObject({
      status: 'resolved',
      resolvedBy: '<@U0BO000002>',
      resolutionNote: 'acquirer <fixed> it',
    });
    const shown = blockText((await run(`show ${id}`)).blocks);
    expect(shown).toContain('*Audit trail*');
    expect(shown).toMatch(
      /\*created\* by api \(api\)[\s\S]*\*acknowledged\* by <@U0ANA00001> \(slack\)[\s\S]*\*resolved\* by <@U0BO000002> \(slack\) — acquirer &lt;fixed&gt; it/,
    );
  });

  it('says so when there is no such alert', async () => {
    expect(String((await run('show 99999')).text)).toBe('There is no alert #99999.');
    expect(String((await run('resolve 99999')).text)).toBe('There is no alert #99999.');
  });
});

describe('concurrent clicks on one alert', () => {
  it('end in one acknowledgement; every other clicker is told who got there first', async () => {
    const id = raised[4]?.id as number;
    const users = Array.from({ length: 8 }, (_, i) => `U0RACE0000${i}`);
    const clicks = await Promise.all(
      users.map((user) =>
        clickButton(app.url, fake, { actionId: ACTION.acknowledge, value: String(id), user }),
      ),
    );
    const alert = await waitFor(async () => {
      const a = await app.storage.alerts.get(id);
      return a?.status === 'acknowledged' && a;
    }, 'the acknowledgement');
    const refusals = await waitFor(() => {
      const answers = clicks.flatMap((c) => fake.responsesTo(c.responseId));
      return answers.length === users.length - 1 && answers;
    }, 'seven refusals');
    for (const answer of refusals)
      expect(String(answer.text)).toContain(`already acknowledged by ${alert.acknowledgedBy}`);
    const events = await app.storage.alerts.events(id);
    expect(events.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });
});

describe('/alerts mute and unmute', () => {
  it('mutes a source and metric for a while, marks its open alerts, and unmutes it', async () => {
    const target = raised[1] as Alert;
    const answer = await run(`mute acq-gw ${target.metric} 2h`);
    expect(String(answer.text)).toContain(`Muted *acq-gw* (${target.metric}) until`);
    expect(String(answer.text)).toContain(`1 open alert(s) marked muted: #${target.id}`);
    const [mute] = await app.storage.mutes.active(new Date());
    expect(mute).toMatchObject({ source: 'acq-gw', metric: target.metric, createdBy: '<@U0ANA00001>' });
    expect((mute?.until.getTime() ?? 0) - Date.now()).toBeGreaterThan(110 * 60_000);
    const events = await app.storage.alerts.events(target.id);
    expect(events.at(-1)).toMatchObject({ kind: 'muted', actor: '<@U0ANA00001>', channel: 'slack' });
    expect(String((await run(`unmute acq-gw ${target.metric}`)).text)).toContain('1 mute(s) ended');
    expect(await app.storage.mutes.active(new Date())).toEqual([]);
    expect(String((await run('unmute acq-gw')).text)).toContain('had no active mute');
  });
});

describe('/alerts help and anything unreadable', () => {
  it.each([
    ['help', 'ratewatch'],
    ['frobnicate', "I don't know `frobnicate`."],
    ['list colour:red', '`colour` is not a filter'],
    ['list status:open', 'status must be one of new, acknowledged, resolved.'],
    ['list limit:500', 'limit must be a whole number from 1 to 20.'],
    ['ack twelve', '`/alerts ack <id>` needs one alert id'],
    ['mute acq-gw', 'needs a source and a duration'],
    ['mute acq-gw forever', 'the duration must look like'],
    ['list source:<!channel>', '`&lt;!channel&gt;` is not a source name.'],
  ])('`/alerts %s` answers with the usage and the problem', async (text, problem) => {
    const answer = await run(text);
    expect(String(answer.text)).toContain(problem);
    expect(String(answer.text)).toContain('/alerts resolve <id> [note]');
    expect(String(answer.text)).not.toContain('<!channel>');
  });
});

describe('/alerts list api:…', () => {
  it('lists only the alerts of that api, with the api in the filter line and on each row', async () => {
    const of = (api?: string) =>
      raiseExternal(app, {
        source: 'checkout-api',
        metric: 'errors',
        severity: 'high',
        ...(api ? { api } : {}),
      });
    const payments = await of('POST /v1/payments');
    const reads = await of('GET /v1/payments');
    await of();
    const answer = await run('list api:POST /v1/payments');
    const text = blockText(answer.blocks);
    expect(text).toContain('*1 alert* matching `api:POST /v1/payments`');
    expect(ids(answer)).toEqual([payments.id]);
    expect(text).toContain('checkout-api / production · POST /v1/payments · errors');
    const quoted = await run('list source:checkout-api api:"GET /v1/payments" status:new');
    expect(ids(quoted)).toEqual([reads.id]);
    expect(ids(await run('list api:DELETE /v1/payments'))).toEqual([]);
  });
});
