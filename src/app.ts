import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type JobDeps, jobHandlers } from '../jobs/index.js';
import { createAlertPages } from './alert-page/create-alert-pages.js';
import { type AlertService, createAlertService } from './alerts/alert-service.js';
import type { AlertNotifications } from './alerts/notifications.js';
import type { Config } from './config.js';
import {
  apiProfileResolver,
  loadConfigFile,
  profileResolver,
  type RatewatchFile,
  runbookResolver,
} from './config-file.js';
import { DEFAULT_DETECTION } from './detection/settings.js';
import { createEmailSupport } from './email/create-email.js';
import { escalationFromFile } from './email/escalation.js';
import type { HourRunDeps } from './evaluation/hour-run.js';
import { createLogger, type Logger, redactUrl } from './logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createQueuedNotifications } from './queue/alert-notifications.js';
import { createQueueConnection } from './queue/connection.js';
import { createJobQueue, type JobQueue } from './queue/job-queue.js';
import { type SweepResult, sweepOutbox } from './queue/outbox-sweep.js';
import { createQueues, oldestWaitingAges, type Queues, queueDepths } from './queue/queues.js';
import { createScheduler } from './queue/scheduler.js';
import { startWorkers } from './queue/workers.js';
import { routingFromConfig } from './routing/routing-config.js';
import { createDeliveryQueue } from './slack/delivery-queue.js';
import { createSlackSupport, type SlackListeners } from './slack/setup.js';
import { startupSummary } from './startup-summary.js';
import type { DeliveryStore } from './storage/deliveries.js';
import { openStorage, type Storage } from './storage/open-storage.js';
import { type Closers, startWebRole } from './web-role.js';

const DAY_MS = 86_400_000;

/** The BullMQ queues on their own Redis connection, typed by the job catalogue, and notifications through them. */
export interface QueueClients {
  readonly connection: Redis;
  readonly queues: Queues;
  readonly jobs: JobQueue;
  readonly notifications: AlertNotifications;
  close(): Promise<void>;
}

/**
 * The queues, and the notifications adapter on them: alert changes owe Slack, email (with SMTP_URL) and the
 * escalation check (with an `escalation:` section), written to the outbox (`deliveries`) and enqueued.
 */
export function openQueues(
  config: Config,
  deliveries: DeliveryStore,
  options: { logger: Logger; now: () => Date; file?: RatewatchFile | undefined },
): QueueClients {
  const connection = createQueueConnection(config.redisUrl);
  const onError = throttled(30_000, (error: Error) =>
    options.logger.warn({ err: error }, 'Redis (queues) is not answering; alert changes stay owed in MySQL'),
  );
  connection.on('error', onError);
  const queues = createQueues(connection, config.queuePrefix, { onError });
  const jobs = createJobQueue(queues);
  const file = 'file' in options ? options.file : readConfigFile(config);
  return {
    connection,
    queues,
    jobs,
    notifications: createQueuedNotifications(jobs, {
      email: config.email.smtpUrl !== undefined,
      escalateAfterMs: escalationFromFile(file)?.afterMs,
      deliveries,
      logger: options.logger,
      now: options.now,
    }),
    close: async () => {
      await queues.close();
      connection.disconnect();
    },
  };
}

/** Calls `fn` at most once per `ms`: one log line per outage rather than one per reconnection attempt. */
function throttled<A extends unknown[]>(ms: number, fn: (...args: A) => void): (...args: A) => void {
  let last = 0;
  return (...args) => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    fn(...args);
  };
}

/**
 * The secret that signs email action links: LINK_SECRET when set, else one generated once (256 random bits) and
 * kept in MySQL, so every process signs and checks with the same one and links work without configuration.
 */
export function linkSecretOf(config: Config, storage: Pick<Storage, 'settings'>): Promise<string> {
  if (config.linkSecret) return Promise.resolve(config.linkSecret);
  return storage.settings.ensure('link_secret', () => randomBytes(32).toString('base64url'));
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
    apiSettingsOf: apiSettingsResolver(file),
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
  /** One outbox sweep now (the scheduler role runs it every minute): re-enqueues what Redis lost. */
  sweep(): Promise<SweepResult>;
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
  const summary = startupSummary(config, file);
  for (const line of summary.lines) logger.info(line);
  for (const warning of summary.warnings) logger.warn(warning);
  const storage = await openStorage(config, logger);
  const closers: Closers = [() => storage.close()];
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer().catch((error) => logger.warn({ err: error }, 'close failed'));
    }
  };
  try {
    const clients = openQueues(config, storage.deliveries, { logger, now, file });
    closers.push(() => clients.close());
    const { jobs } = clients;
    const metrics = createMetrics({
      queueDepths: () => queueDepths(clients.queues),
      // BullMQ stamps jobs with the wall clock.
      queueWaits: () => oldestWaitingAges(clients.queues, Date.now()),
      deliveries: () => storage.deliveries.health(new Date(now().getTime() - DAY_MS)),
      lastEvaluation: () => storage.runs.lastFinishedAt(),
      lastReported: () => storage.sources.lastReportedMinutes(),
      nowMs: () => now().getTime(),
    });
    const service = alertServiceFor(config, storage, clients.notifications, now);
    const run = hourRunDeps(config, storage, file, service, metrics);
    const timeZoneOf = (source: string) => run.profileOf(source).timeZone;
    const threadReply = createDeliveryQueue(jobs).threadReply;
    // One secret signs the email's action links and the alert page's links (in separate contexts).
    const linkSecret = await linkSecretOf(config, storage);
    const pages = createAlertPages({
      ...{ config, storage, profileOf: run.profileOf, runbookOf: runbookResolver(file), now },
      ...{ linkSecret, routing: routingFromConfig(config, file) },
    });
    const base = { config, file, pool: storage.pool, alerts: storage.alerts, timeZoneOf, logger, now };
    const email = createEmailSupport({
      ...{ ...base, threadReply, linkSecret, pageUrl: pages.emailPageUrl },
      chartOf: pages.charts.chartOf,
    });
    closers.push(() => email.close());
    const slack = createSlackSupport({
      ...{ ...base, sources: storage.sources, mutes: storage.mutes, jobs, redis: clients.connection },
      listeners: options.slackListeners,
      cardLinks: pages.cardLinks,
      // The same renderer (and cache) as the page and the email: an alert at a revision is drawn once per process.
      chartOf: pages.charts.chartOf,
    });
    closers.push(() => slack.close());
    if (roles.includes('worker')) {
      const deps: JobDeps = {
        ...{ run, jobs, alerts: storage.alerts, retention: config.retention, logger, now },
        apiCalls: storage.apiCalls,
        ...{ catchUpMaxHours: config.detection.catchUpMaxHours, email: email.deps, slack: slack.delivery },
        ...{ ledger: storage.deliveries, metrics },
      };
      const workers = startWorkers(clients.connection, config.queuePrefix, jobHandlers(deps), logger);
      closers.push(() => workers.close());
    }
    const sweep = () =>
      sweepOutbox({
        ...{ deliveries: storage.deliveries, runs: storage.runs, notifications: clients.notifications, jobs },
        chartUploads: slack.delivery ? storage.chartUploads : undefined,
        evaluation: {
          graceMinutes: config.detection.graceMinutes,
          lookBackHours: config.detection.catchUpMaxHours,
        },
        ...{ logger, now },
      });
    if (roles.includes('scheduler')) {
      const scheduler = createScheduler(jobs, config.detection, logger, now, { sweep });
      await scheduler.start();
      closers.push(() => scheduler.stop());
    }
    const web = {
      ...{ config, storage, service, metrics, logger, now, email: email.routes(service), slack },
      ...{ alertPage: pages.routes(service), charts: pages.charts },
    };
    const url = await startWebRole(web, closers);
    return { url, storage, queues: clients.queues, jobs, sweep, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** How each source's APIs are judged: its detection settings with `judge_4xx`, `latency_slo_ms` and the error ceiling. */
function apiSettingsResolver(file: RatewatchFile | undefined) {
  const apiProfileOf = apiProfileResolver(file);
  return (source: string) => apiProfileOf(source).settings;
}
