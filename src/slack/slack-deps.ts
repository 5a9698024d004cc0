import type { webApi } from '@slack/bolt';
import type { AlertChart } from '../alert-chart/alert-charts.js';
import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AlertReader } from '../alerts/alert-store.js';
import type { Logger } from '../logger.js';
import type { SlackThreadReplyData } from '../queue/job-data.js';
import type { Routing } from '../routing/route-alert.js';
import type { MuteStore } from '../storage/mutes.js';
import type { ChartKey, ChartUploadStore } from '../storage/slack-chart-uploads.js';
import type { CardStore } from '../storage/slack-messages.js';
import type { SourceStore } from '../storage/sources.js';
import type { AllowList } from './allow-list.js';
import type { CardContext } from './blocks/card.js';
import type { ChannelResolver } from './channel-resolver.js';
import type { ChannelSlots } from './channel-slots.js';
import type { SlackNotifier } from './notifier.js';

/** The jobs Slack hands work to (implemented on the queues by delivery-queue.ts). */
export interface DeliveryQueue {
  /** A reply in an alert's thread, once per dedupe key. */
  threadReply(data: SlackThreadReplyData): Promise<void>;
  /**
   * Brings one alert's message up to date (its own card, or the digest it is in). `attempt`: the outbox sweep's
   * re-enqueue number of the run delivery asking (part of the job id, so a re-run is not deduplicated away).
   */
  notifyAlert(alertId: number, revision: number, attempt?: number): Promise<void>;
  /** Hands an alert Slack could not deliver to the email fallback. */
  emailFallback(alertId: number, revision: number): Promise<void>;
  /** Uploads the alert's chart at this severity into its card's thread (once: the row in MySQL decides). */
  chart(key: ChartKey): Promise<void>;
}

/** What every part of the Slack adapter works with — delivery jobs and listeners alike. */
export interface SlackDeps {
  readonly alerts: AlertReader;
  readonly queue: DeliveryQueue;
  /** The source's time zone, for the window on its own clock. */
  readonly timeZoneOf: (source: string) => string;
  /** The card's Open (alert page) and Runbook links; undefined: the card has none. */
  readonly cardLinks?: ((alert: Alert) => Pick<CardContext, 'openUrl' | 'runbookUrl'>) | undefined;
  /** The alert's chart (PNG), for its card's thread; undefined: cards get no chart. */
  readonly chartOf?: ((alert: Alert) => Promise<AlertChart>) | undefined;
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
  /** The delivery client (never waits by itself) and the per-channel rate slots, for file uploads. */
  readonly client: webApi.WebClient;
  readonly slots: ChannelSlots;
  readonly chartUploads: ChartUploadStore;
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

/**
 * `digest_hour_2026-11-21T17_42_C0123`: the key of the digest of one run's batch (42) of changes in one
 * channel. Per batch, not per hour: an hour evaluated again is a new batch whose new alerts get a digest of
 * their own, and a re-run of the same batch's delivery finds the same message.
 */
export function digestKey(runKey: string, batchId: number, channelId: string): string {
  return `digest_${runKey}_${batchId}_${channelId}`;
}

/** The run key a digest key names (`hour_2026-11-21T17`), if any. */
export function digestRunKey(key: string): string | undefined {
  return /^digest_((?:hour|tick)_[0-9T-]+)_\d+_/.exec(key)?.[1];
}

export function isDigestKey(key: string): boolean {
  return key.startsWith('digest_');
}
