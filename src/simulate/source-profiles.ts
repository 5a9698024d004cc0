import { createRandom, type Random } from './random.js';
import type { OtherStatus, RateMetric } from './types.js';

/** Local-time shape of a day's volume: a floor at night, a main peak and an optional evening peak. */
export interface DiurnalShape {
  /** Night-time volume as a share of the peak (0.02–0.3). */
  readonly floor: number;
  /** Local hours (fractional) of the main and the evening peak. */
  readonly mainPeakHour: number;
  readonly eveningPeakHour: number;
  /** Weight of the evening peak against the main one (0–0.6). */
  readonly eveningWeight: number;
  /** How narrow the peaks are (von Mises concentration, 1.2–4). */
  readonly sharpness: number;
}

/** Everything that makes one source+environment series behave as it does; written to sources.json. */
export interface SeriesProfile {
  readonly source: string;
  readonly environment: string;
  readonly timeZone: string;
  /** Expected transactions per minute at the busiest minute of an ordinary weekday, on the first day. */
  readonly peakPerMinute: number;
  /** False: a minute with no transactions is not posted at all (a missing row). */
  readonly postsWhenIdle: boolean;
  /** Share of all transactions per status other than approved (fractions of 1); approved is the rest. */
  readonly baseRates: Readonly<Record<OtherStatus, number>>;
  readonly diurnal: DiurnalShape;
  /** Volume multiplier on local Saturdays and Sundays: below 1 for most sources, above for some. */
  readonly weekendFactor: number;
  /** Relative volume growth per 30 days (−0.05 = shrinking 5 %). */
  readonly growthPer30Days: number;
  /** σ of the day-to-day volume level (lognormal, AR(1) with φ = 0.5). */
  readonly dayLevelSigma: number;
  /** σ of the hour-to-hour volume multiplier (lognormal). */
  readonly hourVolumeSigma: number;
  /** σ of the per-hour lognormal multiplier on each status share: overdispersion beyond binomial. */
  readonly rateSigma: number;
  /** Mild drift of each bad share by local hour: exp(amplitude·cos(2π(hour − peakHour)/24)). */
  readonly rateDrift: Readonly<Record<RateMetric, { readonly amplitude: number; readonly peakHour: number }>>;
  /** A normal nightly denied pattern: denied × factor between the local hours, every night; or null. */
  readonly nightDenied: {
    readonly factor: number;
    readonly startHour: number;
    readonly endHour: number;
  } | null;
}

/** Time zones and the region they lend to source names. */
export const TIME_ZONES: readonly { readonly zone: string; readonly region: string }[] = [
  { zone: 'UTC', region: 'global' },
  { zone: 'Europe/Berlin', region: 'eu' },
  { zone: 'Europe/London', region: 'uk' },
  { zone: 'America/New_York', region: 'us-east' },
  { zone: 'America/Los_Angeles', region: 'us-west' },
  { zone: 'America/Sao_Paulo', region: 'br' },
  { zone: 'Asia/Tokyo', region: 'jp' },
  { zone: 'Asia/Kolkata', region: 'in' },
  { zone: 'Australia/Sydney', region: 'au' },
];
const METHODS = [
  'card',
  'wallet',
  'bank',
  'upi',
  'pix',
  'sepa',
  'ach',
  'bnpl',
  'payout',
  'giftcard',
  'topup',
];
/** Peak transactions per minute: from 3 an hour to 5,000 a minute, spread log-uniformly. */
export const PEAK_PER_MINUTE_RANGE = [0.05, 5000] as const;
const GOLDEN_RATIO_FRACTION = 0.618_033_988_749_895;

/**
 * The production series of `sourceCount` sources and, for about 30 % of them, a tiny staging series,
 * sorted by source then environment. Source i depends only on (seed, i): `--sources 5` gives the first
 * five of `--sources 24`. Volumes follow a golden-ratio sequence over the log range, so every seed
 * covers tiny to huge sources evenly.
 */
export function createSeriesProfiles(seed: number, sourceCount: number): SeriesProfile[] {
  const offset = createRandom(seed, 'volume-offset').next();
  const names = new Set<string>();
  const profiles: SeriesProfile[] = [];
  for (let i = 0; i < sourceCount; i += 1) {
    const random = createRandom(seed, 'source', i);
    const [low, high] = PEAK_PER_MINUTE_RANGE;
    const peak = low * (high / low) ** ((offset + i * GOLDEN_RATIO_FRACTION) % 1);
    const production = createProductionProfile(random, peak, names);
    profiles.push(production);
    if (random.chance(0.3)) profiles.push(createStagingProfile(random, production));
  }
  return profiles.sort((a, b) => compare(a.source, b.source) || compare(a.environment, b.environment));
}

function createProductionProfile(random: Random, peakPerMinute: number, names: Set<string>): SeriesProfile {
  const { zone, region } = random.pick(TIME_ZONES);
  return {
    source: uniqueName(`${random.pick(METHODS)}-${region}`, names),
    environment: 'production',
    timeZone: zone,
    peakPerMinute,
    postsWhenIdle: random.chance(peakPerMinute < 2 ? 0.3 : 0.85),
    baseRates: {
      denied: random.logUniform(0.02, 0.12),
      reversed: random.logUniform(0.0005, 0.01),
      failed: random.logUniform(0.002, 0.03),
      processing: random.uniform(0.001, 0.01),
      backend_reversed: random.uniform(0.0001, 0.002),
      refunded: random.uniform(0.0005, 0.005),
    },
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
    hourVolumeSigma: random.uniform(0.02, 0.08),
    rateSigma: random.uniform(0.05, 0.25),
    rateDrift: {
      denied: { amplitude: random.uniform(0, 0.2), peakHour: random.uniform(0, 24) },
      failed: { amplitude: random.uniform(0, 0.2), peakHour: random.uniform(0, 24) },
      reversed: { amplitude: random.uniform(0, 0.2), peakHour: random.uniform(0, 24) },
    },
    nightDenied: random.chance(0.3)
      ? {
          factor: random.uniform(2, 3),
          startHour: random.uniform(0.75, 1.5),
          endHour: random.uniform(4.5, 5.5),
        }
      : null,
  };
}

/** Staging: same source and clock, 0.2–2 % of production's volume, more failures, quiet weekends. */
function createStagingProfile(random: Random, production: SeriesProfile): SeriesProfile {
  const rates = production.baseRates;
  return {
    ...production,
    environment: 'staging',
    peakPerMinute: production.peakPerMinute * random.logUniform(0.002, 0.02),
    postsWhenIdle: random.chance(0.5),
    baseRates: {
      ...rates,
      failed: rates.failed * random.uniform(1, 3),
      denied: rates.denied * random.uniform(0.5, 1.5),
    },
    weekendFactor: random.uniform(0.1, 0.4),
    rateSigma: Math.min(0.3, production.rateSigma + random.uniform(0.02, 0.08)),
    nightDenied: null,
  };
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
