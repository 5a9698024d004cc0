import type { webApi } from '@slack/bolt';
import { classifySlackError, SlackDeliveryError } from './slack-errors.js';

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

/** Turns routing's channel names (`#payments-alerts`) into channel ids; ids pass through. */
export interface ChannelResolver {
  resolve(channel: string): Promise<string>;
}

/**
 * Resolves names with conversations.list (public and private channels the bot can see), remembered per
 * process. Ids are what conversations.history and chat.update need, and what identifies a channel's rate slot.
 * An unknown name is a permanent failure that says what to do.
 */
export function createChannelResolver(client: webApi.WebClient): ChannelResolver {
  const known = new Map<string, string>();
  const load = async () => {
    let cursor: string | undefined;
    do {
      const page = await client.conversations
        .list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, cursor })
        .catch((error: unknown) => {
          throw new SlackDeliveryError(classifySlackError(error), 'conversations.list', { cause: error });
        });
      for (const channel of page.channels ?? []) {
        if (channel.id && channel.name) known.set(channel.name, channel.id);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
  };
  return {
    async resolve(channel) {
      const trimmed = channel.trim();
      if (CHANNEL_ID.test(trimmed)) return trimmed;
      const name = trimmed.replace(/^#/, '');
      if (!known.has(name)) await load();
      const id = known.get(name);
      if (id) return id;
      throw new SlackDeliveryError(
        {
          kind: 'permanent',
          reason: `channel #${name} not found: create it or fix the routing, and /invite the bot if it is private`,
        },
        'conversations.list',
      );
    },
  };
}
