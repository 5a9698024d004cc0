import type { ApiMinute } from '../api-calls/api-minute.js';
import { CALL_CLASSES } from '../api-calls/api-minute.js';
import { LATENCY_BUCKETS } from '../api-calls/latency.js';
import { createApiModel } from '../simulate/api-calls/api-model.js';
import type { ApiProfile, ServiceProfile } from '../simulate/api-calls/api-profiles.js';
import { generateApiMinutes } from '../simulate/api-calls/generate-api-minutes.js';
import type { ServiceModel } from '../simulate/api-calls/plan-api-events.js';
import type { ApiSimEvent } from '../simulate/api-calls/types.js';
import { createSeriesModel } from '../simulate/series-model.js';
import { DEMO_SOURCES } from './demo-sources.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The demo's API source: a checkout service in Berlin with two APIs, posting per-minute summaries. */
export const DEMO_API_SOURCE = 'checkout-api';
export const DEMO_API = 'POST /v1/payments';

const api = (name: string, peakPerMinute: number, medianMs: number): ApiProfile => ({
  source: DEMO_API_SOURCE,
  environment: 'production',
  api: name,
  timeZone: 'Europe/Berlin',
  peakPerMinute,
  shares: { '3xx': 0, '4xx': 0.02, '5xx': 0.002, timeout: 0.0005 },
  silentShare: 0.001,
  shareSigma: 0.1,
  hourVolumeSigma: 0.04,
  latency: { medianMs, sigma: 0.45, tailShare: 0.004, tailFactor: 4, loadSlope: 0.2, hourSigma: 0.04 },
});

const SERVICE: ServiceProfile = {
  source: DEMO_API_SOURCE,
  environment: 'production',
  // card-eu's volume curve (its zone, cycles and growth) at a relative peak of 1: checkout follows card traffic.
  volume: { ...(DEMO_SOURCES[0] as ServiceProfile['volume']), source: DEMO_API_SOURCE, peakPerMinute: 1 },
  postsWhenIdle: true,
  apis: [api(DEMO_API, 300, 140), api('GET /v1/payments/{id}', 500, 40)],
};

/** The API traffic: history before `liveFrom`, then live minutes in which POST /v1/payments gets slow. */
export interface DemoApiTraffic {
  /** The incident: POST /v1/payments' median latency ×4 from `startMs`. */
  readonly incident: ApiSimEvent;
  /** Every posted minute from `historyFrom` on, sorted by minute (generated lazily). */
  readonly rows: Generator<ApiMinute>;
}

export function demoApiTraffic(historyFrom: number, liveFrom: number, days: number): DemoApiTraffic {
  const options = { seed: 2026, days, sources: 1, startMs: historyFrom };
  const volume = createSeriesModel(SERVICE.volume, options);
  const service: ServiceModel = {
    profile: SERVICE,
    volume,
    apis: SERVICE.apis.map((profile) => createApiModel(profile, volume)),
  };
  const incident: ApiSimEvent = {
    source: DEMO_API_SOURCE,
    environment: 'production',
    api: DEMO_API,
    metric: 'latency',
    kind: 'latency_surge',
    startMs: liveFrom + 20 * MINUTE_MS,
    endMs: liveFrom + DAY_MS,
    magnitude: 4,
    incident: true,
  };
  return { incident, rows: generateApiMinutes([service], [incident], options) };
}

/** A generated minute as a `POST /v1/api-calls` batch item. */
export function toApiItem(row: ApiMinute): Record<string, unknown> {
  return {
    source: row.source,
    environment: row.environment,
    api: row.api,
    minute: new Date(row.minuteMs).toISOString(),
    calls: Object.fromEntries(CALL_CLASSES.map((c, i) => [c, row.calls[i] ?? 0])),
    silent_failures: row.silentFailures,
    latency_ms: Object.fromEntries(LATENCY_BUCKETS.map((b, i) => [b, row.latency[i] ?? 0])),
  };
}
