import { Redis } from 'ioredis';
import type { AlertCharts } from './alert-chart/alert-charts.js';
import type { AlertService } from './alerts/alert-service.js';
import { alertChartRoutes } from './api/alert-chart-route.js';
import { alertsRoutes } from './api/alerts-routes.js';
import { countsRoutes } from './api/counts-route.js';
import { ratesRoutes } from './api/rates-route.js';
import type { Config } from './config.js';
import { createApiAuth } from './http/auth.js';
import { healthRoutes } from './http/health-routes.js';
import { metricsRoutes } from './http/metrics-route.js';
import { createHttpServer, type Routes } from './http/server.js';
import { createCountsIngestor } from './ingest/ingest-counts.js';
import { createSourceDirectory } from './ingest/source-directory.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics/metrics.js';
import type { SlackSupport } from './slack/setup.js';
import type { Storage } from './storage/open-storage.js';
import { apiCallRoutesFor } from './web-api-calls.js';

/** What closes, in reverse order, when the process stops. */
export type Closers = (() => Promise<unknown>)[];

/** What the web role serves with. */
export interface WebDeps {
  readonly config: Config;
  readonly storage: Storage;
  readonly service: AlertService;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly now: () => Date;
  /** `/email/actions/<token>`: acting on an alert from an email link. */
  readonly email: Routes;
  /** `/slack/events` in HTTP mode (or the Socket Mode connection), announcements of new sources. */
  readonly slack: SlackSupport;
  /** `/alerts/<id>?t=<token>`: the alert page, its chart and forms. */
  readonly alertPage: Routes;
  /** Draws `/v1/alerts/<id>/chart.png`. */
  readonly charts: AlertCharts;
}

/**
 * The HTTP side of a process: with the web role, the API, Slack's events, email links, health and metrics on
 * PORT; without it, only health and metrics, and only on METRICS_PORT (if set). Returns the base URL served.
 */
export async function startWebRole(deps: WebDeps, closers: Closers): Promise<string | undefined> {
  const health = new Redis(deps.config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  health.on('error', () => undefined); // readiness reports it; ioredis reconnects by itself
  health.connect().catch(() => undefined);
  closers.push(async () => health.disconnect());
  const checks = { mysql: () => deps.storage.pool.query('SELECT 1'), redis: () => health.ping() };
  const always = [healthRoutes({ checks }), metricsRoutes(deps.metrics.registry)];
  return deps.config.roles.includes('web')
    ? startWeb(deps, always, closers)
    : startMetricsOnly(deps, always, closers);
}

async function startMetricsOnly(
  deps: WebDeps,
  routes: Routes[],
  closers: Closers,
): Promise<string | undefined> {
  if (deps.config.metricsPort === undefined) return undefined;
  const http = createHttpServer({ logger: deps.logger, bodyLimitBytes: 1024, routes });
  closers.push(() => http.close());
  const url = await http.listen({ port: deps.config.metricsPort, host: deps.config.host });
  deps.logger.info({ url }, 'serving health and metrics');
  return url;
}

async function startWeb(deps: WebDeps, always: Routes[], closers: Closers): Promise<string> {
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
      ...always,
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
      ...apiCallRoutesFor(deps, { directory, authenticate: ingestor.authenticate, auth }),
      alertsRoutes({
        auth,
        alerts: storage.alerts,
        service,
        onRaised: (alert, outcome) => metrics.alertRaised(alert.metric, alert.severity, outcome),
      }),
      alertChartRoutes({ auth, alerts: storage.alerts, charts: deps.charts }),
      deps.email,
      deps.alertPage,
    ],
  });
  closers.push(() => http.close());
  const url = await http.listen({ port: config.port, host: config.host });
  logger.info({ url }, 'listening');
  return url;
}
