import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../src/slack/ids.js';
import { FakeSlack } from '../fakes/slack-api.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { APP_TOKEN, BOT_TOKEN, fixture, nextResponseId } from '../helpers/slack.js';
import { waitFor } from '../helpers/wait-for.js';

let fake: FakeSlack;
let app: TestApp;

beforeAll(async () => {
  fake = await FakeSlack.start();
  app = await startTestApp('slack_socket', {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    SLACK_DEFAULT_CHANNEL: '#alerts',
  });
  await waitFor(() => fake.sockets.length > 0, 'the Socket Mode connection');
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await fake?.close();
});

/** Sends an envelope down the socket as Slack would; returns the response_url id its answer goes to. */
function sendEnvelope(envelope: { envelope_id: string; payload: Record<string, unknown> }): string {
  const responseId = nextResponseId('socket');
  envelope.payload.response_url = fake.responseUrl(responseId);
  fake.sockets[0]?.send(envelope);
  return responseId;
}

const ackOf = (envelopeId: string) =>
  waitFor(
    () => fake.socketMessages.find((m) => (m as { envelope_id?: string }).envelope_id === envelopeId),
    `the ack of ${envelopeId}`,
  );

describe('Socket Mode', () => {
  it('opens the connection with the app-level token through SLACK_API_URL', () => {
    const open = fake.callsOf('apps.connections.open');
    expect(open.length).toBeGreaterThan(0);
    expect(open[0]?.token).toBe(APP_TOKEN);
  });

  it('acks a slash command over the socket and answers it through response_url', async () => {
    const envelope = fixture<{ envelope_id: string; payload: Record<string, unknown> }>(
      'socket-slash-command.json',
    );
    const responseId = sendEnvelope(envelope);
    await ackOf(envelope.envelope_id);
    const [answer] = await waitFor(
      () => fake.responsesTo(responseId).length > 0 && fake.responsesTo(responseId),
      'the answer',
    );
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.text)).toContain('/alerts show <id>');
  });

  it('takes button clicks too', async () => {
    const payload = fixture<Record<string, unknown> & { actions: Record<string, unknown>[] }>(
      'block-actions-card.json',
    );
    payload.actions = [{ ...payload.actions[0], action_id: ACTION.resolve, value: '424242' }];
    const envelope = {
      envelope_id: 'b7e1c9d2-5f3a-4e2b-8c1d-9a0b1c2d3e4f',
      type: 'interactive',
      payload,
      accepts_response_payload: false,
    };
    const responseId = sendEnvelope(envelope);
    await ackOf(envelope.envelope_id);
    const [answer] = await waitFor(
      () => fake.responsesTo(responseId).length > 0 && fake.responsesTo(responseId),
      'the refusal',
    );
    expect(String(answer?.text)).toBe('There is no alert #424242.');
  });
});
