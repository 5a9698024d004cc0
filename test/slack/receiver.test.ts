import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postSigned, SIGNING_SECRET, slackEnv, slashCommand } from '../helpers/slack.js';
import { waitFor } from '../helpers/wait-for.js';

let fake: FakeSlack;
let app: TestApp;

beforeAll(async () => {
  fake = await FakeSlack.start();
  app = await startTestApp('slack_receiver', slackEnv(fake));
});
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

describe('the Slack receiver on /slack/events', () => {
  it('answers a correctly signed /alerts help with the usage, ephemeral', async () => {
    const { status, responseId } = await slashCommand(app.url, fake, 'help');
    expect(status).toBe(200);
    const [answer] = await waitFor(
      () => fake.responsesTo(responseId).length > 0 && fake.responsesTo(responseId),
      'the answer',
    );
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.text)).toContain('/alerts mute <source> [metric] <duration>');
  });

  it('refuses a request with a wrong signature', async () => {
    const body = new URLSearchParams({ command: '/alerts', text: 'help' }).toString();
    const response = await postSigned(app.url, body, { secret: `${SIGNING_SECRET}-wrong` });
    expect(response.status).toBe(401);
  });

  it('refuses a correctly signed request older than five minutes', async () => {
    const body = new URLSearchParams({ command: '/alerts', text: 'help' }).toString();
    const response = await postSigned(app.url, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(response.status).toBe(401);
  });
});
