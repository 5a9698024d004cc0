import { apiCallsReadRoutes } from './api/api-calls-read-route.js';
import { apiCallsRoutes } from './api/api-calls-routes.js';
import type { Config } from './config.js';
import type { ApiAuth } from './http/auth.js';
import type { Routes } from './http/server.js';
import { createApiSeriesDirectory } from './ingest/api-series-directory.js';
import { createApiCallsIngestor } from './ingest/ingest-api-calls.js';
import type { Identity } from './ingest/ingest-counts.js';
import type { SourceDirectory } from './ingest/source-directory.js';
import type { Logger } from './logger.js';
import { createApiCallMetrics } from './metrics/api-call-metrics.js';
import type { Metrics } from './metrics/metrics.js';
import type { SlackSupport } from './slack/setup.js';
import type { Storage } from './storage/open-storage.js';

/** What the API-calls routes are built from: a slice of the web role's dependencies. */
export interface ApiCallsWebDeps {
  readonly config: Pick<Config, 'retention'>;
  readonly storage: Pick<Storage, 'sources' | 'apiCalls'>;
  readonly metrics: Pick<Metrics, 'registry' | 'sourcesOnboarded'>;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly slack: Pick<SlackSupport, 'announceOnboarded'>;
}

/**
 * The web role's API-calls routes: `POST /v1/api-calls`, `POST /v1/api-calls/log` and
 * `GET /v1/sources/{source}/api-calls`, built on the counts ingest's token check and source directory (the
 * same tokens, onboarding and caches serve both kinds of source).
 */
export function apiCallRoutesFor(
  deps: ApiCallsWebDeps,
  shared: {
    directory: SourceDirectory;
    authenticate: (authorization: string | undefined) => Promise<Identity>;
    auth: ApiAuth;
  },
): Routes[] {
  const { config, storage, metrics, logger, now } = deps;
  const apiMetrics = createApiCallMetrics(metrics.registry);
  const ingestor = createApiCallsIngestor({
    directory: shared.directory,
    apiSeries: createApiSeriesDirectory(storage.apiCalls),
    store: storage.apiCalls,
    onboard: (names) => storage.sources.onboardSources(names),
    retentionDays: config.retention.minuteDays,
    now,
  });
  const onboarded = (names: readonly string[]) => {
    if (names.length === 0) return;
    metrics.sourcesOnboarded(names.length);
    logger.info({ sources: names }, 'onboarded new sources');
    deps.slack.announceOnboarded(names);
  };
  return [
    apiCallsRoutes({
      ingestor,
      authenticate: shared.authenticate,
      onSummaries: (result) => {
        apiMetrics.accepted('summaries', result.accepted, 0);
        onboarded(result.onboarded);
      },
      onLog: (result) => {
        if (result.repeated) apiMetrics.repeated();
        else apiMetrics.accepted('log', result.minutes, result.accepted);
        onboarded(result.onboarded);
      },
      onRejected: (endpoint, reason) => apiMetrics.rejected(endpoint, reason),
    }),
    apiCallsReadRoutes({ auth: shared.auth, sources: storage.sources, apiCalls: storage.apiCalls, now }),
  ];
}
