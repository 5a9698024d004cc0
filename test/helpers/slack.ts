import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FakeSlack } from '../fakes/slack-api.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-0000000000-test-bot-token';
export const APP_TOKEN = 'xapp-1-A0RATEWATCH-0000-test-app-token';

/** Slack variables for an app in HTTP mode talking to the fake. */
export function slackEnv(fake: FakeSlack, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_DEFAULT_CHANNEL: '#alerts',
    ...extra,
  };
}

/** A payload body from test/fixtures/slack. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as T;
}

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** POSTs a body to /slack/events as Slack would, signed (or signed wrongly, when told). */
export function postSigned(
  baseUrl: string,
  body: string,
  options: { timestamp?: number; secret?: string } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature(body, timestamp, options.secret),
    },
    body,
  });
}

/** The parts of a block_actions payload a test changes. */
interface ActionPayload {
  user: { id: string };
  response_url: string;
  container: { message_ts: string };
  actions: { action_id: string; value: string }[];
}

let responses = 0;

/** A fresh response_url id, so each test reads only its own answers. */
export function nextResponseId(label: string): string {
  responses += 1;
  return `${label}-${responses}`;
}

/** The form body of `/alerts <text>` run by `user`, and the response_url id its answer goes to. */
export function slashCommandBody(
  fake: FakeSlack,
  text: string,
  user = 'U0ANA00001',
): { body: string; responseId: string } {
  const responseId = nextResponseId('cmd');
  const fields = { ...fixture<Record<string, string>>('slash-command.json') };
  Object.assign(fields, { text, user_id: user, response_url: fake.responseUrl(responseId) });
  return { body: new URLSearchParams(fields).toString(), responseId };
}

/** Runs `/alerts <text>` as `user`; returns the response_url id its answer goes to. */
export async function slashCommand(
  baseUrl: string,
  fake: FakeSlack,
  text: string,
  user = 'U0ANA00001',
): Promise<{ status: number; responseId: string }> {
  const { body, responseId } = slashCommandBody(fake, text, user);
  const response = await postSigned(baseUrl, body);
  return { status: response.status, responseId };
}

/** Clicks a button (on a channel message, or in an ephemeral message) as `user`. */
export async function clickButton(
  baseUrl: string,
  fake: FakeSlack,
  click: { actionId: string; value: string; user?: string; ephemeral?: boolean; messageTs?: string },
): Promise<{ status: number; responseId: string }> {
  const responseId = nextResponseId('click');
  const payload = fixture<ActionPayload>(
    click.ephemeral ? 'block-actions-ephemeral.json' : 'block-actions-card.json',
  );
  payload.user.id = click.user ?? payload.user.id;
  payload.response_url = fake.responseUrl(responseId);
  if (click.messageTs) payload.container.message_ts = click.messageTs;
  payload.actions = [
    {
      ...(payload.actions[0] as ActionPayload['actions'][number]),
      action_id: click.actionId,
      value: click.value,
    },
  ];
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const response = await postSigned(baseUrl, body);
  return { status: response.status, responseId };
}

/** The texts (mrkdwn and plain) inside a message's blocks, joined: what a reader sees. */
export function blockText(blocks: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.text === 'string') texts.push(record.text);
      for (const value of Object.values(record)) if (typeof value === 'object') walk(value);
    }
  };
  walk(blocks);
  return texts.join('\n');
}

/** Submits the resolve modal ratewatch opened (views.open) as `user`, with `note` (null: left empty). */
export async function submitResolveModal(
  baseUrl: string,
  opened: { readonly view: Record<string, unknown> },
  submit: { user?: string; note: string | null },
): Promise<number> {
  const payload = fixture<{
    user: { id: string };
    view: {
      private_metadata: string;
      state: { values: Record<string, Record<string, { value: string | null }>> };
    };
  }>('view-submission-resolve.json');
  payload.user.id = submit.user ?? payload.user.id;
  payload.view.private_metadata = String(opened.view.private_metadata);
  const note = payload.view.state.values.resolve_note?.note;
  if (note) note.value = submit.note;
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return (await postSigned(baseUrl, body)).status;
}

/** Chooses an option of a card's menu (static_select) as `user`; returns the response_url id of its answer. */
export async function chooseOption(
  baseUrl: string,
  fake: FakeSlack,
  choice: { actionId: string; value: string; label: string; user?: string },
): Promise<string> {
  const responseId = nextResponseId('select');
  const payload = fixture<Omit<ActionPayload, 'actions'> & { actions: unknown[] }>('block-actions-card.json');
  payload.user.id = choice.user ?? payload.user.id;
  payload.response_url = fake.responseUrl(responseId);
  payload.actions = [
    {
      type: 'static_select',
      action_id: choice.actionId,
      block_id: 'alert_1_r1_actions',
      selected_option: { text: { type: 'plain_text', text: choice.label, emoji: true }, value: choice.value },
      placeholder: { type: 'plain_text', text: 'Mute…', emoji: true },
      action_ts: '1763000150.654321',
    },
  ];
  await postSigned(baseUrl, new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  return responseId;
}
