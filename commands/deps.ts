import type { AllMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../src/slack/slack-deps.js';

/** What the slash command and button handlers work with: the Slack adapter's listener deps. */
export type CommandDeps = ListenerDeps;

/** Who is asking, and the Web API client Bolt built for this request. */
export interface Requester {
  readonly userId: string;
  readonly client: AllMiddlewareArgs['client'];
}

/** How a Slack user appears in the audit trail: a mention Slack renders as their name. */
export function actorOf(userId: string): string {
  return `<@${userId}>`;
}
