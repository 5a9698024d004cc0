import type { Alert } from '../src/alerts/alert.js';
import type { SlackMessage } from '../src/slack/blocks/common.js';
import { escapeText } from '../src/slack/escape.js';
import { utcTime } from '../src/slack/time-text.js';
import { actorOf, type CommandDeps, type Requester } from './deps.js';

/**
 * `/alerts mute <source> [metric] <duration>`: from now until then, the source's findings (of that metric, or
 * all) are recorded but raise no alert — the hourly evaluation reads the mutes. Open alerts it covers get a
 * `muted` event on their audit trail and a note in their card's thread.
 */
export async function muteSource(
  deps: CommandDeps,
  who: Requester,
  input: {
    source: string;
    metric: string | undefined;
    durationMs: number;
    environment?: string | undefined;
    /** One api of the source (the card's menu on an API alert). */
    api?: string | null | undefined;
  },
): Promise<SlackMessage> {
  const allowed = await deps.allowList.check(who.userId, who.client);
  if (!allowed.ok) return { text: `:no_entry: You cannot mute alerts: ${allowed.reason}.` };
  const actor = actorOf(who.userId);
  const until = new Date(deps.now().getTime() + input.durationMs);
  const mute = await deps.mutes.add({
    source: input.source,
    environment: input.environment ?? null,
    metric: input.metric ?? null,
    api: input.api ?? null,
    until,
    createdBy: actor,
  });
  const covered = (await openAlertsOf(deps, input.source, input.metric)).filter(
    (a) =>
      (input.environment === undefined || a.environment === input.environment) &&
      (!input.api || a.api === input.api),
  );
  for (const alert of covered) {
    const detail = {
      until: until.toISOString(),
      metric: input.metric ?? null,
      environment: input.environment ?? null,
      ...(input.api ? { api: input.api } : {}),
      mute_id: mute.id,
    };
    const dedupeKey = `mute_${mute.id}_${alert.id}`;
    await deps.alerts.addEvent({
      alertId: alert.id,
      kind: 'muted',
      actor,
      channel: 'slack',
      detail,
      dedupeKey,
    });
    const text = `:mute: Muted by ${actor} until ${utcTime(until, true)}: new findings are recorded, not posted.`;
    await deps.queue.threadReply({ alertId: alert.id, text, dedupeKey });
  }
  const env = `${input.environment ? ` ${escapeText(input.environment)}` : ''}${input.api ? ` ${escapeText(input.api)}` : ''}`;
  const what = `*${escapeText(input.source)}*${env}${input.metric ? ` (${escapeText(input.metric)})` : ' (every metric)'}`;
  const marked =
    covered.length > 0
      ? ` ${covered.length} open alert(s) marked muted: ${covered.map((a) => `#${a.id}`).join(', ')}.`
      : '';
  return {
    text: `:mute: Muted ${what} until ${utcTime(until, true)}: findings are recorded but raise no alert.${marked} \`/alerts unmute ${escapeText(input.source)}\` ends it early.`,
  };
}

/** `/alerts unmute <source> [metric]`: ends the source's active mutes now. */
export async function unmuteSource(
  deps: CommandDeps,
  who: Requester,
  input: { source: string; metric: string | undefined },
): Promise<SlackMessage> {
  const allowed = await deps.allowList.check(who.userId, who.client);
  if (!allowed.ok) return { text: `:no_entry: You cannot unmute alerts: ${allowed.reason}.` };
  const ended = await deps.mutes.end({ source: input.source, metric: input.metric, at: deps.now() });
  const what = `*${escapeText(input.source)}*${input.metric ? ` (${escapeText(input.metric)})` : ''}`;
  return {
    text: ended > 0 ? `:loud_sound: Unmuted ${what}: ${ended} mute(s) ended.` : `${what} had no active mute.`,
  };
}

async function openAlertsOf(deps: CommandDeps, source: string, metric: string | undefined): Promise<Alert[]> {
  const page = { limit: 200, offset: 0 };
  const open = [
    ...(await deps.alerts.list({ source, status: 'new' }, page)).alerts,
    ...(await deps.alerts.list({ source, status: 'acknowledged' }, page)).alerts,
  ];
  return open.filter((a) => metric === undefined || a.metric === metric).sort((a, b) => a.id - b.id);
}
