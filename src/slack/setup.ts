import { createHash } from 'node:crypto';
import type { App } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { AlertService } from '../alerts/alert-service.js';
import type { Config } from '../config.js';
import type { RatewatchFile } from '../config-file.js';
import { refuseStaleRequests } from '../http/request-age.js';
import type { RawListener } from '../http/server.js';
import { jobIds } from '../queue/job-ids.js';
import type { JobQueue } from '../queue/job-queue.js';
import { JOB } from '../queue/names.js';
import { routingFromConfig } from '../routing/routing-config.js';
import type { Pool } from '../storage/db.js';
import type { MuteStore } from '../storage/mutes.js';
import type { SourceStore } from '../storage/sources.js';
import { createAllowList } from './allow-list.js';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackAppSettings } from './app.js';
import { createSlackDelivery, type SlackDelivery } from './delivery.js';
import { createDeliveryQueue } from './delivery-queue.js';
import type { ListenerDeps, SlackDeps } from './slack-deps.js';

/** Registers the slash commands, buttons and events on the Bolt app (commands/index.ts; the entry passes it). */
export type SlackListeners = (bolt: App, deps: ListenerDeps) => void;

/** Slack as the rest of ratewatch sees it; every part is a no-op when Slack is not configured. */
export interface SlackSupport {
  /** What the notifications-queue jobs deliver with (undefined: Slack is off, the log stand-in runs). */
  readonly delivery: SlackDelivery | undefined;
  /** Starts the interactive side for the web role: `/slack/events` (HTTP mode) or the socket (Socket Mode). */
  web(service: AlertService): Promise<Record<string, RawListener>>;
  /** Sources the shared ingest token just onboarded: queues their announcement. */
  announceOnboarded(names: readonly string[]): void;
  close(): Promise<void>;
}

export interface SlackSupportInput extends Omit<SlackDeps, 'queue'> {
  readonly config: Config;
  readonly file: RatewatchFile | undefined;
  readonly pool: Pool;
  readonly sources: SourceStore;
  readonly mutes: MuteStore;
  readonly jobs: JobQueue;
  /** The queue connection, shared by the per-channel rate slots. */
  readonly redis: Redis;
  /** The listeners the web role registers (commands/); without them Slack's commands and buttons go unanswered. */
  readonly listeners?: SlackListeners | undefined;
}

/** Builds Slack from the config (SLACK_* variables and the file's `routing:` and `slack:` sections). */
export function createSlackSupport(input: SlackSupportInput): SlackSupport {
  const { config, logger } = input;
  const settings = appSettings(config);
  // Start-up's summary (src/startup-summary.ts) says whether Slack is on, and warns about a missing channel.
  if (!settings) {
    return {
      delivery: undefined,
      web: async () => ({}),
      announceOnboarded: () => undefined,
      close: async () => {},
    };
  }
  const routing = routingFromConfig(config, input.file);
  const { alerts, timeZoneOf, cardLinks, chartOf, now } = input;
  const deps: SlackDeps = {
    alerts,
    queue: createDeliveryQueue(input.jobs),
    timeZoneOf,
    cardLinks,
    chartOf,
    logger,
    now,
  };
  const delivery = createSlackDelivery({
    ...deps,
    ...{ slack: settings, sources: input.sources, routing, pool: input.pool },
    ...{ redis: input.redis, keyPrefix: config.queuePrefix },
  });
  let stop = async () => {};
  return {
    delivery,
    async web(service): Promise<Record<string, RawListener>> {
      const app = createSlackApp(settings, logger);
      input.listeners?.(app.bolt, listenerDeps(input, deps, service));
      stop = () => app.stop();
      if (!app.requestListener) {
        // Socket Mode connects (and reconnects) in the background: Slack being down must not stop start-up.
        app.start().then(
          () => logger.info('connected to Slack (Socket Mode)'),
          (error) => logger.error({ err: error }, 'Socket Mode could not connect to Slack'),
        );
        return {};
      }
      // Slack's rules: refuse timestamps more than five minutes from now, either way (Bolt checks only the past).
      const guarded = refuseStaleRequests(app.requestListener, {
        header: 'x-slack-request-timestamp',
        maxSkewSeconds: 5 * 60,
        nowMs: Date.now,
      });
      return { [SLACK_EVENTS_PATH]: guarded };
    },
    announceOnboarded(names) {
      if (names.length === 0) return;
      // Per minute and batch of names: another onboarding in the same minute still gets a job of its own.
      const batch = createHash('sha256')
        .update([...names].sort().join('\n'))
        .digest('hex')
        .slice(0, 12);
      input.jobs
        .add(JOB.announceSources, {}, { jobId: `${jobIds.announceSources(input.now())}_${batch}` })
        .catch((error) =>
          logger.warn({ err: error, sources: names }, 'could not queue the announcement of new sources'),
        );
    },
    close: () => stop(),
  };
}

function appSettings(config: Config): SlackAppSettings | undefined {
  const { mode, botToken, signingSecret, appToken, apiUrl } = config.slack;
  if (!botToken) return undefined;
  if (mode === 'http' && signingSecret) return { mode, botToken, signingSecret, apiUrl };
  if (mode === 'socket' && appToken) return { mode, botToken, appToken, apiUrl };
  return undefined;
}

function listenerDeps(input: SlackSupportInput, deps: SlackDeps, service: AlertService): ListenerDeps {
  const slack = input.file?.slack;
  const allowed = { users: slack?.allowed_users ?? [], groups: slack?.allowed_groups ?? [] };
  return { ...deps, service, mutes: input.mutes, allowList: createAllowList(allowed, input.now) };
}
