import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { usageMessage } from '../src/slack/blocks/help.js';

type MentionArgs = SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs;

/** Someone @-mentioned the bot: it answers in the thread with what it can do. */
export function createMentionHandler() {
  return async ({ event, say }: MentionArgs): Promise<void> => {
    await say({ ...usageMessage(), thread_ts: event.thread_ts ?? event.ts });
  };
}
