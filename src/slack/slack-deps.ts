import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AlertReader } from '../alerts/alert-store.js';
import type { Logger } from '../logger.js';
import type { SlackThreadReplyData } from '../queue/job-data.js';
import type { Routing } from '../routing/route-alert.js';
import type { MuteStore } from '../storage/mutes.js';
import type { CardStore } from '../storage/slack-messages.js';
import type { SourceStore } from '../storage/sources.js';
import type { AllowList } from './allow-list.js';
import type { CardContext } from './blocks/card.js';
import type { ChannelResolver } from './channel-resolver.js';
import type { SlackNotifier } from './notifier.js';

/** The jobs Slack hands work to (implemented on the queues by delivery-queue.ts). */
export interface DeliveryQueue {
  /** A reply in an alert's thread, once per dedupe key. */
  threadReply(data: SlackThreadReplyData): Promise<void>;
  /** Brings one alert's message up to date (its own card, or the digest it is in). */
  notifyAlert(alertId: number, revision: number): Promise<void>;
  /** Hands an alert Slack could not deliver to the email fallback. */
  emailFallback(alertId: number, revision: number): Promise<void>;
}

/** What every part of the Slack adapter works with — delivery jobs and listeners alike. */
export interface SlackDeps {
  readonly alerts: AlertReader;
  readonly queue: DeliveryQueue;
  /** The source's time zone, for the window on its own clock. */
  readonly timeZoneOf: (source: string) => string;
  /** The card's Open (alert page) and Runbook links; undefined: the card has none. */
  readonly cardLinks?: ((alert: Alert) => Pick<CardContext, 'openUrl' | 'runbookUrl'>) | undefined;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** What delivery (the notifications-queue jobs) works with; built once by createSlackDelivery. */
export interface DeliveryDeps extends SlackDeps {
  readonly sources: SourceStore;
  readonly routing: Routing;
  readonly store: CardStore;
  readonly notifier: SlackNotifier;
  readonly channels: ChannelResolver;
}

/** What the slash command and button listeners (commands/) work with; built by createSlackSupport. */
export interface ListenerDeps extends SlackDeps {
  readonly service: AlertService;
  readonly mutes: MuteStore;
  readonly allowList: AllowList;
}

/** `card_12`: the key of an alert's own card. */
export function cardKey(alertId: number): string {
  return `card_${alertId}`;
}

/** `digest_2026-11-21T17_C0123`: the key of an evaluated hour's digest in one channel. */
export function digestKey(hourStart: Date, channelId: string): string {
  return `digest_${hourStart.toISOString().slice(0, 13)}_${channelId}`;
}

/** The evaluated hour a digest key names. */
export function digestHour(key: string): Date | null {
  const match = /^digest_(\d{4}-\d{2}-\d{2}T\d{2})_/.exec(key);
  return match ? new Date(`${match[1]}:00:00Z`) : null;
}

export function isDigestKey(key: string): boolean {
  return key.startsWith('digest_');
}
