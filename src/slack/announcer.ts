import type { Source } from '../storage/sources.js';
import type { SlackMessage } from './blocks/common.js';
import { escapeText } from './escape.js';
import type { Pace } from './notifier.js';
import type { DeliveryDeps } from './slack-deps.js';

/**
 * Announces, in the default channel, each source that onboarded itself with the shared ingest token: once per
 * source (the message key is the source id, and the source is marked announced after the post).
 */
export async function announceSources(deps: DeliveryDeps, pace: Pace): Promise<{ announced: number }> {
  const pending = await deps.sources.listUnannounced();
  if (pending.length === 0) return { announced: 0 };
  const channel = deps.routing.defaultChannel;
  if (!channel) {
    deps.logger.info(
      { sources: pending.map((s) => s.name) },
      'new sources onboarded; set SLACK_DEFAULT_CHANNEL to have them announced in Slack',
    );
    return { announced: 0 };
  }
  let announced = 0;
  for (const source of pending) {
    const render = async () => ({ message: announcement(source), revision: 0 });
    await deps.notifier.postOnce({ key: `announce_${source.id}`, kind: 'announce', channel, render }, pace);
    if (await deps.sources.markAnnounced(source.id, deps.now())) announced++;
  }
  return { announced };
}

/** "New source card-eu started posting counts (production) …". Pure. */
export function announcement(source: Source): SlackMessage {
  const name = escapeText(source.name);
  const text =
    `:new: New source *${name}* started posting counts (default environment ` +
    `${escapeText(source.defaultEnvironment)}) with the shared ingest token. ` +
    `Its alerts follow the routing rules; give it a token of its own with \`sources rotate-token ${name}\`.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
