import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config-file.js';
import { ACTION } from '../../src/slack/ids.js';
import { FakeSlack } from '../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { clickButton, slackEnv, slashCommand, submitResolveModal } from '../helpers/slack.js';
import { raiseExternal, writeConfigFile } from '../helpers/slack-app.js';
import { waitFor } from '../helpers/wait-for.js';

let fake: FakeSlack;
let app: TestApp;

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.state.groups.set('S0ONCALL01', ['U0BO000002']);
  const file = writeConfigFile('slack:\n  allowed_users: [U0ANA00001]\n  allowed_groups: [S0ONCALL01]\n');
  app = await startTestApp('slack_allow', { ...slackEnv(fake), RATEWATCH_CONFIG: file });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

const answerTo = async (responseId: string) =>
  (await waitFor(() => fake.responsesTo(responseId)[0], 'the answer')) as { text: string };

describe('the allow-list', () => {
  it('lets listed users and members of listed user groups act, and tells anyone else who may', async () => {
    const one = await raiseExternal(app, { source: 'allowed', metric: 'a', severity: 'high' });
    const two = await raiseExternal(app, { source: 'allowed', metric: 'b', severity: 'high' });
    const outsider = await clickButton(app.url, fake, {
      actionId: ACTION.acknowledge,
      value: String(one.id),
      user: 'U0CY000003',
    });
    expect((await answerTo(outsider.responseId)).text).toBe(
      `:no_entry: You cannot change alert #${one.id}: only <@U0ANA00001>, members of <!subteam^S0ONCALL01> may acknowledge, resolve or mute alerts here.`,
    );
    const muted = await slashCommand(app.url, fake, 'mute allowed 1h', 'U0CY000003');
    expect((await answerTo(muted.responseId)).text).toContain('You cannot mute alerts');
    expect((await app.storage.alerts.get(one.id))?.status).toBe('new');
    await clickButton(app.url, fake, {
      actionId: ACTION.acknowledge,
      value: String(one.id),
      user: 'U0ANA00001',
    });
    await clickButton(app.url, fake, { actionId: ACTION.resolve, value: String(two.id), user: 'U0BO000002' });
    const modal = await waitFor(() => fake.state.views[0], 'the resolve modal');
    await submitResolveModal(app.url, modal, { user: 'U0BO000002', note: null });
    await waitFor(
      async () => (await app.storage.alerts.get(one.id))?.status === 'acknowledged',
      'the listed user',
    );
    await waitFor(
      async () => (await app.storage.alerts.get(two.id))?.status === 'resolved',
      'the group member',
    );
    expect(fake.callsOf('usergroups.users.list')[0]?.args.usergroup).toBe('S0ONCALL01');
  });
});

describe('the slack section of RATEWATCH_CONFIG', () => {
  it('names a malformed user or group id with its line', () => {
    expect(() =>
      parseConfigFile('slack:\n  allowed_users: [ana]\n  allowed_groups: [U123]\n', 'rw.yml'),
    ).toThrow(
      /rw\.yml line 2 \(slack\.allowed_users\.0\): must be a Slack user id[\s\S]*rw\.yml line 3 \(slack\.allowed_groups\.0\): must be a Slack user group id/,
    );
    expect(() => parseConfigFile('slack:\n  allowed_channels: [C1]\n', 'rw.yml')).toThrow(
      /line 2 \(slack\.allowed_channels\): is not a known setting/,
    );
  });
});
