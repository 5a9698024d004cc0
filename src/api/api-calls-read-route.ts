import { CALL_CLASSES } from '../api-calls/api-minute.js';
import { callStats } from '../api-calls/call-stats.js';
import { LATENCY_BUCKETS, type LatencyPercentile } from '../api-calls/latency.js';
import { InvalidInputError, NotFoundError, type Problem } from '../errors.js';
import type { ApiAuth } from '../http/auth.js';
import type { Routes } from '../http/server.js';
import { apiNameProblem, ENVIRONMENT_NAME_RULE, isEnvironmentName } from '../ingest/names.js';
import { apiCountsOf } from '../storage/api-call-columns.js';
import type { ApiCallStore, ApiHourRow } from '../storage/api-calls.js';
import type { SourceStore } from '../storage/sources.js';
import { parseRange, unknownParameters } from './rates-route.js';

export interface ApiCallsReadDeps {
  readonly auth: ApiAuth;
  readonly sources: SourceStore;
  readonly apiCalls: ApiCallStore;
  readonly now: () => Date;
}

/** Most hourly rows one answer holds (400 APIs × 10 days, say): past it, narrow the range or name the api. */
export const MAX_HOUR_ROWS = 100_000;
export const LATENCY_NOTE =
  'p50/p95/p99 are estimated from the latency histogram, interpolated linearly within the bucket each falls in; one in the >10 s bucket shows 10000 and is listed in above_range (its true value is higher)';
const PERCENTILES = ['p50', 'p95', 'p99'] as const;

/**
 * `GET /v1/sources/{source}/api-calls?api=&environment=&from=&to=` — hourly, per API (by name, then hour, oldest
 * first; hours with at least one reported minute): calls by class, silent failures, error rate, silent-failure
 * rate, p50/p95/p99 latency and the histogram they come from. Range and tokens as `/rates`.
 */
export function apiCallsReadRoutes(deps: ApiCallsReadDeps): Routes {
  return (app) => {
    app.get<{ Params: { source: string }; Querystring: Record<string, string | undefined> }>(
      '/v1/sources/:source/api-calls',
      async (request) => {
        const caller = await deps.auth.caller(request.headers.authorization);
        const name = request.params.source;
        deps.auth.requireSource(caller, name);
        const problems: Problem[] = [];
        const { api, environment: askedEnvironment } = parseFilters(request.query, problems);
        const range = parseRange(request.query, deps.now(), problems);
        const source = await deps.sources.findByName(name);
        if (!source) throw new NotFoundError(`no source named "${name}"`);
        const environment = askedEnvironment ?? source.defaultEnvironment;
        const series = await deps.sources.findSeries(source.id, environment);
        const hours = series ? await readHours(deps.apiCalls, series.id, { ...range, api }) : [];
        return {
          source: name,
          environment,
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          latency_note: LATENCY_NOTE,
          apis: byApi(hours),
        };
      },
    );
  };
}

async function readHours(
  store: ApiCallStore,
  seriesId: number,
  query: { from: Date; to: Date; api: string | undefined },
): Promise<ApiHourRow[]> {
  const apis = await store.listApiSeries(seriesId, query.api);
  if (apis.length === 0) return [];
  await store.flushRollups({ seriesIds: [seriesId] });
  const hours = await store.readHours(seriesId, { ...query, limit: MAX_HOUR_ROWS + 1 });
  if (hours.length > MAX_HOUR_ROWS) {
    const message = `the answer would hold more than ${MAX_HOUR_ROWS} hourly rows: narrow from/to or name one api`;
    throw new InvalidInputError([{ path: 'from', message }]);
  }
  return hours;
}

/** `api` and `environment` of the query; their problems (and unknown parameters) go into `problems`. */
function parseFilters(query: Record<string, string | undefined>, problems: Problem[]) {
  problems.push(...unknownParameters(query, ['api', 'environment', 'from', 'to']));
  const api = query.api === undefined || query.api === '' ? undefined : query.api;
  const apiProblem = api === undefined ? undefined : apiNameProblem(api);
  if (apiProblem) problems.push({ path: 'api', message: apiProblem });
  const environment = query.environment || undefined;
  if (environment !== undefined && !isEnvironmentName(environment))
    problems.push({ path: 'environment', message: ENVIRONMENT_NAME_RULE });
  return { api, environment };
}

function byApi(hours: readonly ApiHourRow[]) {
  const apis: { api: string; hours: ReturnType<typeof toApiHour>[] }[] = [];
  for (const hour of hours) {
    const last = apis[apis.length - 1];
    if (last?.api === hour.api) last.hours.push(toApiHour(hour));
    else apis.push({ api: hour.api, hours: [toApiHour(hour)] });
  }
  return apis;
}

/** One hour of one API as the API shows it. */
export function toApiHour(hour: ApiHourRow) {
  const counts = apiCountsOf(hour.counts);
  const stats = callStats(counts);
  const latency = stats.latency;
  return {
    hour_start: hour.hourStart.toISOString(),
    minutes_reported: hour.minutesReported,
    calls: Object.fromEntries(CALL_CLASSES.map((name, i) => [name, counts.calls[i] ?? 0])),
    total: stats.total,
    silent_failures: counts.silentFailures,
    error_rate: stats.errorRate,
    silent_failure_rate: stats.silentFailureRate,
    latency_ms: latency && {
      p50: milliseconds(latency.p50),
      p95: milliseconds(latency.p95),
      p99: milliseconds(latency.p99),
      calls: latency.calls,
      interpolated: true,
      above_range: PERCENTILES.filter((p) => latency[p].above),
    },
    latency_buckets: Object.fromEntries(LATENCY_BUCKETS.map((bound, i) => [bound, counts.latency[i] ?? 0])),
  };
}

/** Hundredths of a millisecond: the interpolation is an estimate, more digits would pretend otherwise. */
function milliseconds(percentile: LatencyPercentile): number {
  return Math.round(percentile.ms * 100) / 100;
}
