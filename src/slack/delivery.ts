import type { Redis } from 'ioredis';
import type { RunChanges } from '../alerts/notifications.js';
import type { SlackChartData, SlackThreadReplyData } from '../queue/job-data.js';
import type { Routing } from '../routing/route-alert.js';
import type { Pool } from '../storage/db.js';
import { createChartUploadStore } from '../storage/slack-chart-uploads.js';
import { createCardStore } from '../storage/slack-messages.js';
import type { SourceStore } from '../storage/sources.js';
import { announceSources } from './announcer.js';
import { type SyncResult, syncAlert } from './card-sync.js';
import { createChannelResolver } from './channel-resolver.js';
import { createChannelSlots } from './channel-slots.js';
import { type ChartUploadResult, giveUpChart, uploadChart } from './chart-upload.js';
import { handOverToEmail } from './delivery-failure.js';
import { createSlackNotifier, type Pace, type Posted } from './notifier.js';
import { deliverRun, type RunDelivery } from './run-delivery.js';
import type { DeliveryDeps, SlackDeps } from './slack-deps.js';
import { postThreadReply } from './thread-replies.js';
import { createDeliveryClient, type SlackClientSettings } from './web-client.js';

/** What the notifications-queue jobs call: each step idempotent, each wait expressed through `pace`. */
export interface SlackDelivery {
  syncAlert(alertId: number, pace: Pace): Promise<SyncResult>;
  deliverRun(changes: RunChanges, attempt?: number): Promise<RunDelivery>;
  postThreadReply(data: SlackThreadReplyData, pace: Pace): Promise<Posted | { skipped: string }>;
  announceSources(pace: Pace): Promise<{ announced: number }>;
  /** The alert's chart into its card's thread, once per severity level (see chart-upload.ts). */
  uploadChart(data: SlackChartData, pace: Pace): Promise<ChartUploadResult>;
  /** After the chart job's last attempt: marks the upload given up and logs why; returns the reason. */
  giveUpChart(data: SlackChartData, error: unknown): Promise<string>;
  /** After the last failed attempt: email fallback for alerts not in Slack, and the failure on their trail. */
  handOverToEmail(
    alertIds: readonly number[],
    error: unknown,
    options?: { leaveOwnCards?: boolean },
  ): Promise<number[]>;
}

/** What building delivery takes: the Slack deps, the client settings, and what the stores and rate slots run on. */
export interface SlackDeliveryOptions extends SlackDeps {
  readonly slack: SlackClientSettings;
  readonly sources: SourceStore;
  readonly routing: Routing;
  readonly pool: Pool;
  readonly redis: Redis;
  /** Prefix of the per-channel rate-slot keys in Redis (the queue prefix). */
  readonly keyPrefix: string;
}

/** Slack delivery for worker processes: a Web API client that never waits by itself, and the stores. */
export function createSlackDelivery(options: SlackDeliveryOptions): SlackDelivery {
  const client = createDeliveryClient(options.slack, options.logger);
  const store = createCardStore(options.pool);
  const channels = createChannelResolver(client);
  const slots = createChannelSlots(options.redis, options.keyPrefix);
  const notifier = createSlackNotifier({ client, store, channels, slots, logger: options.logger });
  const chartUploads = createChartUploadStore(options.pool);
  const deps: DeliveryDeps = { ...options, store, channels, notifier, client, slots, chartUploads };
  return {
    syncAlert: (alertId, pace) => syncAlert(deps, alertId, pace),
    deliverRun: (changes, attempt) => deliverRun(deps, changes, attempt),
    postThreadReply: (data, pace) => postThreadReply(deps, data, pace),
    announceSources: (pace) => announceSources(deps, pace),
    uploadChart: (data, pace) => uploadChart(deps, data, pace),
    giveUpChart: (data, error) => giveUpChart(deps, data, error),
    handOverToEmail: (ids, error, options) => handOverToEmail(deps, ids, error, options),
  };
}
