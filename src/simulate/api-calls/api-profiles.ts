import { createRandom, type Random } from '../random.js';
import { type SeriesProfile, TIME_ZONES } from '../source-profiles.js';

/** How one API of one service behaves; written to sources.json. */
export interface ApiProfile {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  readonly timeZone: string;
  /** Expected calls per minute at the service's busiest minute of an ordinary weekday, on the first day. */
  readonly peakPerMinute: number;
  /** Share of calls per class besides 2xx (2xx is the rest); silent failures are a share of the 2xx. */
  readonly shares: {
    readonly '3xx': number;
    readonly '4xx': number;
    readonly '5xx': number;
    readonly timeout: number;
  };
  readonly silentShare: number;
  /** σ of the hour-to-hour lognormal factor on each share: overdispersion no model can predict. */
  readonly shareSigma: number;
  /** σ of the hour-to-hour lognormal factor on the API's volume (on top of the service's day level). */
  readonly hourVolumeSigma: number;
  readonly latency: LatencyProfile;
}

/**
 * Response times: a lognormal body (median `medianMs` at no load, log-σ `sigma`) plus a slow tail
 * (`tailShare` of the calls, median × `tailFactor`); the median grows with load as × (1 + loadSlope·load),
 * load being the service's expected volume relative to its weekday peak, and moves hour to hour by a
 * lognormal factor of σ `hourSigma`.
 */
export interface LatencyProfile {
  readonly medianMs: number;
  readonly sigma: number;
  readonly tailShare: number;
  readonly tailFactor: number;
  readonly loadSlope: number;
  readonly hourSigma: number;
}

/** A service: its APIs share its clock, diurnal and weekly cycle and day level (its volume profile). */
export interface ServiceProfile {
  readonly source: string;
  readonly environment: string;
  /** The payments series profile drives the volume curve (peak 1 = relative load); its status rates are unused. */
  readonly volume: SeriesProfile;
  /** False: an API with no calls in a minute is not posted (a missing row). */
  readonly postsWhenIdle: boolean;
  readonly apis: readonly ApiProfile[];
}

const SERVICES = [
  'checkout',
  'ledger',
  'auth',
  'catalog',
  'search',
  'notify',
  'payout',
  'risk',
  'orders',
  'fx',
];
const ENDPOINTS = [
  'POST /v1/payments',
  'GET /v1/payments/{id}',
  'POST /v1/refunds',
  'GET /v1/customers/{id}',
  'POST /v1/tokens',
  'GET /v1/balance',
  'POST /v1/webhooks',
  'GET /v1/search',
  'PUT /v1/customers/{id}',
  'DELETE /v1/sessions/{id}',
  'POST /v1/login',
  'GET /v1/reports?fields=id,total',
];
/** Peak calls per minute of a service's busiest API: from a few a minute to 5,000, log-uniform. */
export const SERVICE_PEAK_RANGE = [0.5, 5000] as const;
/** The other APIs carry this share of the busiest one's calls (log-uniform), down to a few calls an hour. */
const OTHER_API_SHARE = [0.0005, 0.6] as const;
const MIN_PEAK_PER_MINUTE = 0.04;
const GOLDEN_RATIO_FRACTION = 0.618_033_988_749_895;

/**
 * The services of a simulation: production, and for about a quarter of them a small staging environment,
 * sorted by source then environment (APIs sorted within). Service i depends only on (seed, i), and peaks
 * follow a golden-ratio sequence over the log range, so every seed covers tiny to huge services.
 */
export function createServiceProfiles(seed: number, count: number): ServiceProfile[] {
  const offset = createRandom(seed, 'api-volume-offset').next();
  const names = new Set<string>();
  const services: ServiceProfile[] = [];
  for (let i = 0; i < count; i += 1) {
    const random = createRandom(seed, 'api-service', i);
    const [low, high] = SERVICE_PEAK_RANGE;
    const peak = low * (high / low) ** ((offset + i * GOLDEN_RATIO_FRACTION) % 1);
    const production = createService(random, peak, names);
    services.push(production);
    if (random.chance(0.25)) services.push(createStaging(random, production));
  }
  return services.sort((a, b) => compare(a.source, b.source) || compare(a.environment, b.environment));
}

function createService(random: Random, peak: number, names: Set<string>): ServiceProfile {
  const { zone, region } = random.pick(TIME_ZONES);
  const source = uniqueName(`${random.pick(SERVICES)}-api-${region}`, names);
  const volume = volumeProfile(random, source, zone);
  const endpoints = pickEndpoints(random, random.int(2, 5));
  const apis = endpoints.map((api, i) => {
    const share = i === 0 ? 1 : random.logUniform(OTHER_API_SHARE[0], OTHER_API_SHARE[1]);
    return createApi(random, { source, environment: 'production', api, timeZone: zone }, peak * share);
  });
  return {
    source,
    environment: 'production',
    volume,
    postsWhenIdle: random.chance(0.5),
    apis: sortApis(apis),
  };
}

/** Staging: the same APIs at 0.5–3 % of the volume, with more errors and quiet weekends. */
function createStaging(random: Random, production: ServiceProfile): ServiceProfile {
  const factor = random.logUniform(0.005, 0.03);
  const apis = production.apis.map((api) => ({
    ...api,
    environment: 'staging',
    peakPerMinute: Math.max(MIN_PEAK_PER_MINUTE, api.peakPerMinute * factor),
    shares: { ...api.shares, '5xx': api.shares['5xx'] * random.uniform(1, 3) },
    shareSigma: Math.min(0.3, api.shareSigma + 0.05),
  }));
  const volume = { ...production.volume, environment: 'staging', weekendFactor: random.uniform(0.1, 0.4) };
  return { ...production, environment: 'staging', volume, postsWhenIdle: random.chance(0.5), apis };
}

function createApi(
  random: Random,
  where: Pick<ApiProfile, 'source' | 'environment' | 'api' | 'timeZone'>,
  peakPerMinute: number,
): ApiProfile {
  return {
    ...where,
    peakPerMinute: Math.max(MIN_PEAK_PER_MINUTE, peakPerMinute),
    shares: {
      '3xx': random.chance(0.3) ? random.uniform(0.001, 0.05) : 0,
      '4xx': random.logUniform(0.005, 0.08),
      '5xx': random.logUniform(0.0002, 0.01),
      timeout: random.logUniform(0.00005, 0.003),
    },
    silentShare: random.logUniform(0.0001, 0.005),
    shareSigma: random.uniform(0.05, 0.25),
    hourVolumeSigma: random.uniform(0.02, 0.08),
    latency: {
      medianMs: random.logUniform(8, 300),
      sigma: random.uniform(0.3, 0.8),
      tailShare: random.logUniform(0.001, 0.01),
      tailFactor: random.uniform(3, 8),
      loadSlope: random.uniform(0, 0.4),
      hourSigma: random.uniform(0.02, 0.08),
    },
  };
}

/** The volume curve of a service as the payments model draws it (see src/simulate/source-profiles.ts). */
function volumeProfile(random: Random, source: string, timeZone: string): SeriesProfile {
  const none = { amplitude: 0, peakHour: 0 };
  return {
    source,
    environment: 'production',
    timeZone,
    peakPerMinute: 1,
    postsWhenIdle: true,
    baseRates: { denied: 0, reversed: 0, failed: 0, processing: 0, backend_reversed: 0, refunded: 0 },
    diurnal: {
      floor: random.logUniform(0.02, 0.3),
      mainPeakHour: random.uniform(10, 15),
      eveningPeakHour: random.uniform(18, 21.5),
      eveningWeight: random.uniform(0, 0.6),
      sharpness: random.uniform(1.2, 4),
    },
    weekendFactor: random.chance(0.2) ? random.uniform(1.1, 1.6) : random.uniform(0.35, 0.9),
    growthPer30Days: random.uniform(-0.05, 0.25),
    dayLevelSigma: random.uniform(0.02, 0.08),
    hourVolumeSigma: 0,
    rateSigma: 0,
    rateDrift: { denied: none, failed: none, reversed: none },
    nightDenied: null,
  };
}

function pickEndpoints(random: Random, count: number): string[] {
  const left = [...ENDPOINTS];
  return Array.from({ length: count }, () => left.splice(random.int(0, left.length - 1), 1)[0] as string);
}

function sortApis(apis: ApiProfile[]): ApiProfile[] {
  return apis.sort((a, b) => compare(a.api, b.api));
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
