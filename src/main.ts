import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { type JobDeps, jobHandlers } from '../jobs/index.js';
import { type AlertService, createAlertService } from './alerts/alert-service.js';
import type { AlertStore } from './alerts/alert-store.js';
import type { AlertNotifications } from './alerts/notifications.js';
import { alertsRoutes } from './api/alerts-routes.js';
import { ratesRoutes } from './api/rates-route.js';
import { type Config, loadConfig } from './config.js';
import { loadConfigFile, profileResolver, type RatewatchFile } from './config-file.js';
import { DEFAULT_DETECTION } from './detection/settings.js';
import { createEmailSupport } from './email/create-email.js';
import { escalationFromFile } from './email/escalation.js';
import type { HourRunDeps } from './evaluation/hour-run.js';
import { createApiAuth } from './http/auth.js';
import { healthRoutes } from './http/health-routes.js';
import { metricsRoutes } from './http/metrics-route.js';
import { createHttpServer, type Routes } from './http/server.js';
import { countsRoutes } from './ingest/counts-route.js';
import { createCountsIngestor } from './ingest/ingest-counts.js';
import { createSourceDirectory } from './ingest/source-directory.js';
import { createLogger, type Logger, redactUrl } from './logger.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createQueuedNotifications } from './queue/alert-notifications.js';
import { createQueueConnection } from './queue/connection.js';
import { createQueues, type Queues, queueDepths } from './queue/queues.js';
import { createScheduler } from './queue/scheduler.js';
import { startWorkers } from './queue/workers.js';
import { createSlackSupport, type SlackSupport } from './slack/setup.js';
import { createAlertStore } from './storage/alerts.js';
import { type Catalog, createCatalogStore } from './storage/catalogs.js';
import { type CountStore, createCountStore } from './storage/counts.js';
import { createPool, ensureDatabase, type Pool } from './storage/db.js';
import { createEvaluationRunStore, type EvaluationRunStore } from './storage/evaluation-runs.js';
import { createFindingStore, type FindingStore } from './storage/findings.js';
import { type MigrateLogger, migrate } from './storage/migrate.js';
import { createModelStore, type ModelStore } from './storage/models.js';
import { createMuteStore, type MuteStore } from './storage/mutes.js';
import { createSourceStore, type SourceStore } from './storage/sources.js';

/** MySQL, migrated, with the stores built on it: what every entry point (server, CLI) needs first. */
export interface Storage {
  readonly pool: Pool;
  readonly sources: SourceStore;
  readonly counts: CountStore;
  readonly alerts: AlertStore;
  readonly findings: FindingStore;
  readonly models: ModelStore;
  readonly runs: EvaluationRunStore;
  readonly mutes: MuteStore;
  readonly catalogs: ReadonlyMap<number, Catalog>;
  close(): Promise<void>;
}

/** Creates the database if missing, migrates it, and builds the stores. */
export async function openStorage(config: Config, logger?: MigrateLogger): Promise<Storage> {
  await ensureDatabase(config.mysqlUrl);
  const pool = createPool({ url: config.mysqlUrl, connectionLimit: config.mysqlPoolSize });
  try {
    await migrate(pool, { logger });
    return {
      pool,
      sources: createSourceStore(pool),
      counts: createCountStore(pool),
      alerts: createAlertStore(pool),
      findings: createFindingStore(pool),
      models: createModelStore(pool),
      runs: createEvaluationRunStore(pool),
      mutes: createMuteStore(pool),
      catalogs: await createCatalogStore(pool).loadCatalogs(),
      close: () => pool.end(),
    };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/** The BullMQ queues on their own Redis connection, and alert notifications that go through them. */
export interface QueueClients {
  readonly connection: Redis;
  readonly queues: Queues;
  readonly notifications: AlertNotifications;
  close(): Promise<void>;
}

export function openQueues(
  config: Config,
  file: RatewatchFile | undefined = readConfigFile(config),
): QueueClients {
  const connection = createQueueConnection(config.redisUrl);
  const queues = createQueues(connection, config.queuePrefix);
  return {
    connection,
    queues,
    notifications: createQueuedNotifications(queues, {
      email: config.email.smtpUrl !== undefined,
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

/** The one alert service, on the store and the notifications: every raise, merge, recovery and transition. */
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
}

export interface Ratewatch {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:3000` (undefined without the web role). */
  readonly url: string | undefined;
  readonly storage: Storage;
  readonly queues: Queues;
  /** Stops taking work, finishes what is in flight, closes every connection. */
  close(): Promise<void>;
}

/**
 * The composition root: builds every client and adapter from the config, migrates, and starts the roles this
 * process has (web: HTTP; worker: queue jobs; scheduler: cron that enqueues). Nothing else constructs a pool,
 * a Redis connection, a worker or a server.
 */
export async function startRatewatch(config: Config, options: StartOptions = {}): Promise<Ratewatch> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const now = options.now ?? (() => new Date());
  logger.info(
    { mysql: redactUrl(config.mysqlUrl), redis: redactUrl(config.redisUrl), roles: config.roles },
    'starting',
  );
  const file = readConfigFile(config);
  const storage = await openStorage(config, logger);
  const closers: (() => Promise<unknown>)[] = [() => storage.close()];
  const close = async () => {
    for (const closer of closers.reverse()) {
      await closer().catch((error) => logger.warn({ err: error }, 'close failed'));
    }
  };
  try {
    const clients = openQueues(config, file);
    closers.push(() => clients.close());
    const metrics = createMetrics({ queueDepths: () => queueDepths(clients.queues) });
    const service = alertServiceFor(config, storage, clients.notifications, now);
    const run = hourRunDeps(config, storage, file, service, metrics);
    const email = createEmailSupport({
      ...{ config, file, pool: storage.pool, alerts: storage.alerts, queues: clients.queues, logger, now },
      timeZoneOf: (source) => run.profileOf(source).timeZone,
    });
    closers.push(() => email.close());
    const slack = createSlackSupport({
      ...{ config, file, storage, queues: clients.queues, redis: clients.connection, logger, now },
      timeZoneOf: (source) => run.profileOf(source).timeZone,
    });
    closers.push(() => slack.close());
    const health = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    health.on('error', () => undefined); // readiness reports it; ioredis reconnects by itself
    health.connect().catch(() => undefined);
    closers.push(async () => health.disconnect());

    if (config.roles.includes('worker')) {
      const deps: JobDeps = {
        run,
        queues: clients.queues,
        retention: config.retention,
        catchUpMaxHours: config.detection.catchUpMaxHours,
        email: email.deps,
        logger,
        now,
        slack: slack.delivery,
      };
      const workers = startWorkers(clients.connection, config.queuePrefix, jobHandlers(deps), logger);
      closers.push(() => workers.close());
    }
    if (config.roles.includes('scheduler')) {
      const scheduler = createScheduler(clients.queues, config.detection, logger, now);
      await scheduler.start();
      closers.push(() => scheduler.stop());
    }
    const web: WebDeps = {
      config,
      storage,
      service,
      health,
      metrics,
      logger,
      now,
      email: email.routes(service),
      slack,
    };
    const url = config.roles.includes('web')
      ? await startWeb(web, closers)
      : await startMetricsOnly(web, closers);
    return { url, storage, queues: clients.queues, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What the web role serves with. */
interface WebDeps {
  readonly config: Config;
  readonly storage: Storage;
  readonly service: AlertService;
  readonly health: Redis;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => Date;
  /** `/email/actions/<token>`: acting on an alert from an email link. */
  readonly email: Routes;
  /** `/slack/events` in HTTP mode (or the Socket Mode connection), announcements of new sources. */
  readonly slack: SlackSupport;
}

function healthAndMetrics(deps: WebDeps) {
  return [
    healthRoutes({
      checks: { mysql: () => deps.storage.pool.query('SELECT 1'), redis: () => deps.health.ping() },
    }),
    metricsRoutes(deps.metrics.registry),
  ];
}

/** A process without the web role serves only health and metrics, and only on METRICS_PORT. */
async function startMetricsOnly(
  deps: WebDeps,
  closers: (() => Promise<unknown>)[],
): Promise<string | undefined> {
  if (deps.config.metricsPort === undefined) return undefined;
  const http = createHttpServer({
    logger: deps.logger,
    bodyLimitBytes: 1024,
    routes: healthAndMetrics(deps),
  });
  closers.push(() => http.close());
  const url = await http.listen({ port: deps.config.metricsPort, host: deps.config.host });
  deps.logger.info({ url }, 'serving health and metrics');
  return url;
}

async function startWeb(deps: WebDeps, closers: (() => Promise<unknown>)[]): Promise<string> {
  const { config, storage, service, metrics, logger, now } = deps;
  const { sources, counts, catalogs } = storage;
  const directory = createSourceDirectory(sources);
  const ingestor = createCountsIngestor({
    directory,
    counts,
    catalogs,
    onboard: (names) => sources.onboardSources(names),
    ingestToken: config.ingestToken,
    retentionDays: config.retention.minuteDays,
    now,
  });
  const auth = createApiAuth({ apiToken: config.apiToken, directory });
  const http = createHttpServer({
    logger,
    bodyLimitBytes: config.ingestMaxBodyBytes,
    rawListeners: await deps.slack.web(service),
    routes: [
      ...healthAndMetrics(deps),
      countsRoutes({
        ingestor,
        onAccepted: (result) => {
          metrics.postAccepted(result.accepted, result.onboarded.length);
          if (result.onboarded.length > 0)
            logger.info({ sources: result.onboarded }, 'onboarded new sources');
          deps.slack.announceOnboarded(result.onboarded);
        },
        onRejected: (reason) => metrics.postRejected(reason),
      }),
      ratesRoutes({ auth, sources, counts, catalogs, now }),
      alertsRoutes({ auth, alerts: storage.alerts, service }),
      deps.email,
    ],
  });
  closers.push(() => http.close());
  const url = await http.listen({ port: config.port, host: config.host });
  logger.info({ url }, 'listening');
  return url;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
    readConfigFile(config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  const app = await startRatewatch(config, { logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`ratewatch failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
