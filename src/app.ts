import type { Redis } from 'ioredis';
import { type JobDeps, jobHandlers } from '../jobs/index.js';
import { type AlertService, createAlertService } from './alerts/alert-service.js';
import type { AlertNotifications } from './alerts/notifications.js';
import type { Config } from './config.js';
import { loadConfigFile, profileResolver, type RatewatchFile } from './config-file.js';
import { DEFAULT_DETECTION } from './detection/settings.js';
import { createEmailSupport } from './email/create-email.js';
import { escalationFromFile } from './email/escalation.js';
import type { HourRunDeps } from './evaluation/hour-run.js';
import { createLogger, type Logger, redactUrl } from './logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createQueuedNotifications } from './queue/alert-notifications.js';
import { createQueueConnection } from './queue/connection.js';
import { createJobQueue, type JobQueue } from './queue/job-queue.js';
import { createQueues, type Queues, queueDepths } from './queue/queues.js';
import { createScheduler } from './queue/scheduler.js';
import { startWorkers } from './queue/workers.js';
import { createDeliveryQueue } from './slack/delivery-queue.js';
import { createSlackSupport, type SlackListeners } from './slack/setup.js';
import { openStorage, type Storage } from './storage/open-storage.js';
import { type Closers, startWebRole } from './web-role.js';

/** The BullMQ queues on their own Redis connection, typed by the job catalogue, and notifications through them. */
export interface QueueClients {
  readonly connection: Redis;
  readonly queues: Queues;
  readonly jobs: JobQueue;
  readonly notifications: AlertNotifications;
  close(): Promise<void>;
}

export function openQueues(
  config: Config,
  file: RatewatchFile | undefined = readConfigFile(config),
): QueueClients {
  const connection = createQueueConnection(config.redisUrl);
  const queues = createQueues(connection, config.queuePrefix);
  const jobs = createJobQueue(queues);
  const email = config.email.smtpUrl !== undefined;
  return {
    connection,
    queues,
    jobs,
    notifications: createQueuedNotifications(jobs, {
      email,
      escalateAfterMs: escalationFromFile(file)?.afterMs,
    }),
    close: async () => {
      await queues.close();
      connection.disconnect();
    },
  };
}

/** The RATEWATCH_CONFIG file, validated (every mistake with its line), or undefined when none is set. */
export function readConfigFile(config: Config): RatewatchFile | undefined {
  return config.configFile ? loadConfigFile(config.configFile) : undefined;
}

/** The one alert service: every raise, merge, recovery and transition, with RECOVERY_HOURS and AUTO_RESOLVE. */
export function alertServiceFor(
  config: Config,
  storage: Storage,
  notifications: AlertNotifications,
  now: () => Date,
): AlertService {
  const { recoveryHours, autoResolve } = config.detection;
  return createAlertService({
    alerts: storage.alerts,
    notifications,
    recovery: { recoveryHours, autoResolve },
    now,
  });
}

/** What evaluating an hour needs, for the jobs and the `evaluate` command alike. */
export function hourRunDeps(
  config: Config,
  storage: Storage,
  file: RatewatchFile | undefined,
  alertService: AlertService,
  metrics?: Metrics,
): HourRunDeps {
  return {
    metrics,
    ...storage,
    alertService,
    profileOf: profileResolver(file),
    retrainHours: config.detection.retrainHours,
    activeDays: Math.max(DEFAULT_DETECTION.historyDays, DEFAULT_DETECTION.tree.trainingDays),
  };
}

export interface StartOptions {
  readonly logger?: Logger;
  /** The clock; tests pass a fixed one. */
  readonly now?: () => Date;
  /** Slack's slash commands, buttons and events (commands/): registered when the web role starts Slack. */
  readonly slackListeners?: SlackListeners;
}

export interface Ratewatch {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:3000` (undefined without the web role). */
  readonly url: string | undefined;
  readonly storage: Storage;
  readonly queues: Queues;
  readonly jobs: JobQueue;
  /** Stops taking work, finishes what is in flight, closes every connection. */
  close(): Promise<void>;
}

/**
 * Builds ratewatch from the config — every client and adapter — migrates, and starts the roles this process
 * has (web: HTTP; worker: queue jobs; scheduler: cron that enqueues). Nothing else constructs a pool, a Redis
 * connection, a worker or a server.
 */
export async function startRatewatch(config: Config, options: StartOptions = {}): Promise<Ratewatch> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const now = options.now ?? (() => new Date());
  const { roles } = config;
  logger.info({ mysql: redactUrl(config.mysqlUrl), redis: redactUrl(config.redisUrl), roles }, 'starting');
  const file = readConfigFile(config);
  const storage = await openStorage(config, logger);
  const closers: Closers = [() => storage.close()];
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer().catch((error) => logger.warn({ err: error }, 'close failed'));
    }
  };
  try {
    const clients = openQueues(config, file);
    closers.push(() => clients.close());
    const { jobs } = clients;
    const metrics = createMetrics({ queueDepths: () => queueDepths(clients.queues) });
    const service = alertServiceFor(config, storage, clients.notifications, now);
    const run = hourRunDeps(config, storage, file, service, metrics);
    const timeZoneOf = (source: string) => run.profileOf(source).timeZone;
    const threadReply = createDeliveryQueue(jobs).threadReply;
    const base = { config, file, pool: storage.pool, alerts: storage.alerts, timeZoneOf, logger, now };
    const email = createEmailSupport({ ...base, threadReply });
    closers.push(() => email.close());
    const slack = createSlackSupport({
      ...{ ...base, sources: storage.sources, mutes: storage.mutes, jobs, redis: clients.connection },
      listeners: options.slackListeners,
    });
    closers.push(() => slack.close());
    if (roles.includes('worker')) {
      const deps: JobDeps = {
        ...{ run, jobs, alerts: storage.alerts, retention: config.retention, logger, now },
        apiCalls: storage.apiCalls,
        ...{ catchUpMaxHours: config.detection.catchUpMaxHours, email: email.deps, slack: slack.delivery },
      };
      const workers = startWorkers(clients.connection, config.queuePrefix, jobHandlers(deps), logger);
      closers.push(() => workers.close());
    }
    if (roles.includes('scheduler')) {
      const scheduler = createScheduler(jobs, config.detection, logger, now);
      await scheduler.start();
      closers.push(() => scheduler.stop());
    }
    const web = { config, storage, service, metrics, logger, now, email: email.routes(service), slack };
    const url = await startWebRole(web, closers);
    return { url, storage, queues: clients.queues, jobs, close };
  } catch (error) {
    await close();
    throw error;
  }
}
