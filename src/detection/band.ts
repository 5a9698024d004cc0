import { BLOCKS_PER_HOUR } from './blocks.js';
import type { MetricModel, MetricModels } from './candidate.js';
import { type LoadedTree, treeRateSteps } from './decision-tree.js';
import { seriesContext } from './evaluate-hour.js';
import { hourProfile } from './hour-profile.js';
import { metricModels } from './metric-models.js';
import type { DetectionSettings } from './settings.js';
import {
  type CalendarPosition,
  type HistoryHour,
  type Metric,
  type ModelName,
  RATE_METRICS,
  type RateMetric,
} from './types.js';

/**
 * Volume buckets a rate expectation is tabulated over: the tree's volume feature is round(log₂(hourly volume + 1)),
 * so a rate that depends on volume is a step function of that bucket; 48 buckets reach 2⁴⁷ transactions an hour.
 */
const VOLUME_BUCKETS = 48;
const MODEL_NAMES: readonly ModelName[] = ['zscore', 'tree', 'absolute'];

/** A rate model's expectation for the hour: `steps[i] = [first volume bucket, rate]`, the rate from that bucket on. */
export interface BandRateModel {
  readonly model: ModelName;
  readonly logVariance: number;
  readonly steps: readonly (readonly [number, number])[];
}

/** A traffic model's expectation for the hour. */
export interface BandTrafficModel {
  readonly model: ModelName;
  readonly expectedHourly: number;
  readonly logVariance: number;
  readonly provisional: boolean;
}

/**
 * What the hourly run knows about the coming clock hour of one series — everything a tick needs to judge the
 * minutes so far without re-reading history. Plain data: `bandToJson`/`bandFromJson` round-trip it exactly.
 */
export interface Band {
  /** Epoch ms of the clock hour the band is for. */
  readonly hourStart: number;
  readonly position: CalendarPosition;
  /** How the series posts (reportingPace): rows an hour, 'bulk', or null for busy-minutes-only. */
  readonly pace: number | 'bulk' | null;
  /** False during cold start: ticks leave such a series to the hourly run's ceilings. */
  readonly established: boolean;
  /** The hour's expected traffic share per 10-minute block (hourProfile), and the extra log-variance of a part. */
  readonly blockShares: readonly number[];
  readonly shareLogVariance: number;
  /** Per rate metric, its models' expectations (absent: no model can judge it yet). */
  readonly rates: Readonly<Partial<Record<RateMetric, readonly BandRateModel[]>>>;
  readonly traffic: readonly BandTrafficModel[];
}

/**
 * The band of the clock hour at `hourStart` from the same history, trees and model code the hourly run uses
 * (seriesContext, hourProfile, metricModels), so that a window judged through the band (bandModels) gets exactly
 * the verdict the hourly core would give it.
 */
export function bandOf(
  hourStart: number,
  position: CalendarPosition,
  history: readonly HistoryHour[],
  trees: Partial<Record<Metric, LoadedTree>>,
  settings: DetectionSettings,
): Band {
  const { pace, recent, established } = seriesContext(hourStart, history, settings);
  const profile = hourProfile(recent, hourStart, BLOCKS_PER_HOUR);
  const rates: Partial<Record<RateMetric, BandRateModel[]>> = {};
  let traffic: BandTrafficModel[] = [];
  if (established) {
    for (const metric of RATE_METRICS) {
      const models = metricModels(metric, position, recent, trees[metric], settings);
      const tree = trees[metric];
      if (models.length > 0)
        rates[metric] = models.map((m) =>
          // The tree's steps come from one walk of it; any other model is tabulated bucket by bucket.
          m.model === 'tree' && tree
            ? {
                model: m.model,
                logVariance: m.logVariance,
                steps: treeRateSteps(tree, position, VOLUME_BUCKETS),
              }
            : rateModelOf(m),
        );
    }
    traffic = metricModels('traffic', position, recent, trees.traffic, settings).map(trafficModelOf);
  }
  return {
    hourStart,
    position,
    pace: pace ?? null,
    established,
    blockShares: profile.shares,
    shareLogVariance: profile.logVariance,
    rates,
    traffic,
  };
}

/** The models of one metric as `decide` reads them, rebuilt from the band. */
export function bandModels(band: Band, metric: Metric): MetricModels {
  if (metric === 'traffic') {
    return band.traffic.map((m) => ({
      kind: 'traffic',
      model: m.model,
      expectedHourly: m.expectedHourly,
      logVariance: m.logVariance,
      provisional: m.provisional,
    }));
  }
  return (band.rates[metric] ?? []).map((m) => ({
    kind: 'rate',
    metric,
    model: m.model,
    logVariance: m.logVariance,
    expectedRate: (hourlyVolume: number) => rateAt(m.steps, volumeBucket(hourlyVolume)),
  }));
}

export function bandToJson(band: Band): string {
  return JSON.stringify(band);
}

/** The band back from `bandToJson`; throws on anything else (a stored band is written by this code only). */
export function bandFromJson(json: string): Band {
  const value: unknown = JSON.parse(json);
  if (!isBand(value)) throw new Error('not a band');
  return value;
}

function rateModelOf(model: MetricModel): BandRateModel {
  if (model.kind !== 'rate') throw new Error('a rate model was expected');
  const steps: [number, number][] = [];
  for (let bucket = 0; bucket < VOLUME_BUCKETS; bucket++) {
    // 2^bucket − 1 transactions an hour falls in exactly this bucket.
    const rate = model.expectedRate(2 ** bucket - 1);
    if (steps.length === 0 || (steps[steps.length - 1] as [number, number])[1] !== rate)
      steps.push([bucket, rate]);
  }
  return { model: model.model, logVariance: model.logVariance, steps };
}

function trafficModelOf(model: MetricModel): BandTrafficModel {
  if (model.kind !== 'traffic') throw new Error('a traffic model was expected');
  return {
    model: model.model,
    expectedHourly: model.expectedHourly,
    logVariance: model.logVariance,
    provisional: model.provisional === true,
  };
}

/** The tree's volume feature: round(log₂(volume + 1)), within the tabulated buckets. */
function volumeBucket(hourlyVolume: number): number {
  return Math.min(VOLUME_BUCKETS - 1, Math.max(0, Math.round(Math.log2(hourlyVolume + 1))));
}

function rateAt(steps: readonly (readonly [number, number])[], bucket: number): number {
  let rate = steps[0]?.[1] ?? 0;
  for (const [from, value] of steps) {
    if (from > bucket) break;
    rate = value;
  }
  return rate;
}

function isBand(value: unknown): value is Band {
  if (!isObject(value)) return false;
  const { position, rates, traffic } = value;
  return (
    typeof value.hourStart === 'number' &&
    isObject(position) &&
    typeof position.localHour === 'number' &&
    typeof position.weekday === 'number' &&
    typeof position.holiday === 'boolean' &&
    (value.pace === null || value.pace === 'bulk' || typeof value.pace === 'number') &&
    typeof value.established === 'boolean' &&
    Array.isArray(value.blockShares) &&
    value.blockShares.every((x) => typeof x === 'number') &&
    typeof value.shareLogVariance === 'number' &&
    isObject(rates) &&
    Object.entries(rates).every(
      ([metric, models]) =>
        (RATE_METRICS as readonly string[]).includes(metric) &&
        Array.isArray(models) &&
        models.every(isRateModel),
    ) &&
    Array.isArray(traffic) &&
    traffic.every(isTrafficModel)
  );
}

function isRateModel(value: unknown): boolean {
  return (
    isObject(value) &&
    MODEL_NAMES.includes(value.model as ModelName) &&
    typeof value.logVariance === 'number' &&
    Array.isArray(value.steps) &&
    value.steps.every(
      (s) => Array.isArray(s) && s.length === 2 && typeof s[0] === 'number' && typeof s[1] === 'number',
    )
  );
}

function isTrafficModel(value: unknown): boolean {
  return (
    isObject(value) &&
    MODEL_NAMES.includes(value.model as ModelName) &&
    typeof value.expectedHourly === 'number' &&
    typeof value.logVariance === 'number' &&
    typeof value.provisional === 'boolean'
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
