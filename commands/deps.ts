import type { AllMiddlewareArgs } from '@slack/bolt';
import type { AlertService } from '../src/alerts/alert-service.js';
import type { AlertReader } from '../src/alerts/alert-store.js';
import type { Logger } from '../src/logger.js';
import type { SlackThreadReplyData } from '../src/queue/alert-notifications.js';
import type { AllowList } from '../src/slack/allow-list.js';
import type { MuteStore } from '../src/storage/mutes.js';

/** What the slash command and button handlers work with; built once by src/main.ts. */
export interface CommandDeps {
  readonly alerts: AlertReader;
  readonly service: AlertService;
  readonly mutes: MuteStore;
  readonly allowList: AllowList;
  /** Queues a reply in an alert's thread (a slack-thread-reply job). */
  readonly threadReply: (data: SlackThreadReplyData) => Promise<void>;
  /** The source's time zone, for the window on its own clock. */
  readonly timeZoneOf: (source: string) => string;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Who is asking, and the Web API client Bolt built for this request. */
export interface Requester {
  readonly userId: string;
  readonly client: AllMiddlewareArgs['client'];
}

/** How a Slack user appears in the audit trail: a mention Slack renders as their name. */
export function actorOf(userId: string): string {
  return `<@${userId}>`;
}
