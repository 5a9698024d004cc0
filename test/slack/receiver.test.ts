import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { postSigned, SIGNING_SECRET, slackEnv, slashCommand, slashCommandBody } from '../helpers/slack.js';
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

  // Slack signs with its clock and we compare with ours, as Bolt does: the wall clock, not the app's.
  it.each([
    ['six minutes old', -6 * 60, 401],
    ['ten minutes ahead', 10 * 60, 401],
    ['six minutes ahead', 6 * 60, 401],
    ['four minutes old', -4 * 60, 200],
    ['four minutes ahead (clock skew)', 4 * 60, 200],
  ])(
    'answers a correctly signed request %s (%i s from now) with %i',
    async (_when, offsetSeconds, status) => {
      const { responseId, body } = slashCommandBody(fake, 'help');
      const response = await postSigned(app.url, body, {
        timestamp: Math.floor(Date.now() / 1000) + offsetSeconds,
      });
      expect(response.status).toBe(status);
      if (status === 200) await waitFor(() => fake.responsesTo(responseId).length > 0, 'the answer');
      else expect(fake.responsesTo(responseId)).toEqual([]);
    },
  );
});
