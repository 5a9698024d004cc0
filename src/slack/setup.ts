import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type CommandDeps, registerCommands } from '../../commands/index.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AlertReader } from '../alerts/alert-store.js';
import type { Config } from '../config.js';
import type { RatewatchFile } from '../config-file.js';
import type { RawListener } from '../http/server.js';
import type { Logger } from '../logger.js';
import { jobIds } from '../queue/job-ids.js';
import { JOB, QUEUE } from '../queue/names.js';
import type { Queues } from '../queue/queues.js';
import { routingFromConfig } from '../routing/routing-config.js';
import type { Pool } from '../storage/db.js';
import type { MuteStore } from '../storage/mutes.js';
import type { SourceStore } from '../storage/sources.js';
import { createAllowList } from './allow-list.js';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackAppSettings } from './app.js';
import { createSlackDelivery, type SlackDelivery } from './delivery.js';
import { createDeliveryQueue } from './delivery-queue.js';

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

export interface SlackSupportInput {
  readonly config: Config;
  readonly file: RatewatchFile | undefined;
  readonly storage: { pool: Pool; alerts: AlertReader; sources: SourceStore; mutes: MuteStore };
  readonly queues: Queues;
  /** The queue connection, shared by the per-channel rate slots. */
  readonly redis: Redis;
  readonly timeZoneOf: (source: string) => string;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Builds Slack from the config (SLACK_* variables and the file's `routing:` and `slack:` sections). */
export function createSlackSupport(input: SlackSupportInput): SlackSupport {
  const { config, logger } = input;
  const settings = appSettings(config);
  if (!settings) {
    logger.warn(
      'Slack is not configured: alerts are written to this log (and emailed when SMTP_URL is set). ' +
        'Set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode) for cards in Slack.',
    );
    return {
      delivery: undefined,
      web: async () => ({}),
      announceOnboarded: () => undefined,
      close: async () => {},
    };
  }
  const routing = routingFromConfig(config, input.file);
  if (!routing.defaultChannel) {
    logger.warn(
      'no default Slack channel: alerts no routing rule sends to a channel are not posted (set SLACK_DEFAULT_CHANNEL)',
    );
  }
  const notifications = input.queues.byName[QUEUE.notifications];
  const queue = createDeliveryQueue({ notifications, email: input.queues.byName[QUEUE.email] });
  const delivery = createSlackDelivery({
    ...{
      slack: settings,
      pool: input.storage.pool,
      alerts: input.storage.alerts,
      sources: input.storage.sources,
    },
    ...{ routing, redis: input.redis, keyPrefix: config.queuePrefix, queue, timeZoneOf: input.timeZoneOf },
    ...{ logger, now: input.now },
  });
  let stop = async () => {};
  return {
    delivery,
    async web(service): Promise<Record<string, RawListener>> {
      const app = createSlackApp(settings, logger);
      registerCommands(app.bolt, commandDeps(input, service, queue.threadReply));
      stop = () => app.stop();
      if (!app.requestListener) {
        // Socket Mode connects (and reconnects) in the background: Slack being down must not stop start-up.
        app.start().then(
          () => logger.info('connected to Slack (Socket Mode)'),
          (error) => logger.error({ err: error }, 'Socket Mode could not connect to Slack'),
        );
        return {};
      }
      return { [SLACK_EVENTS_PATH]: app.requestListener };
    },
    announceOnboarded(names) {
      if (names.length === 0) return;
      // Per minute and batch of names: another onboarding in the same minute still gets a job of its own.
      const batch = createHash('sha256')
        .update([...names].sort().join('\n'))
        .digest('hex')
        .slice(0, 12);
      notifications
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

function commandDeps(
  input: SlackSupportInput,
  service: AlertService,
  threadReply: CommandDeps['threadReply'],
): CommandDeps {
  const slack = input.file?.slack;
  return {
    alerts: input.storage.alerts,
    service,
    mutes: input.storage.mutes,
    allowList: createAllowList(
      { users: slack?.allowed_users ?? [], groups: slack?.allowed_groups ?? [] },
      input.now,
    ),
    threadReply,
    timeZoneOf: input.timeZoneOf,
    logger: input.logger,
    now: input.now,
  };
}
