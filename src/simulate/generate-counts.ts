import { createRandom, type Random } from './random.js';
import { sampleBinomial, samplePoisson } from './sampling.js';
import { effectAt } from './scenarios.js';
import type { SeriesModel } from './series-model.js';
import {
  type CountRow,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  OTHER_STATUSES,
  type SimEvent,
  type SimulationOptions,
} from './types.js';

/** Chance that any one minute goes unreported on its own (a lost post). */
export const SINGLE_MISSING_MINUTE_CHANCE = 0.005;
/** The other statuses never take more than this share together; approved keeps the rest. */
const MAX_OTHER_SHARE = 0.95;
/** Where a metric's status sits in the shares (traffic has none). */
const SHARE_INDEX = new Map<string, number>(OTHER_STATUSES.map((status, i) => [status, i]));

interface SeriesState {
  readonly model: SeriesModel;
  readonly random: Random;
  readonly events: readonly SimEvent[];
  /** Per-hour draws: volume multiplier, share multiplier per other status, events touching the hour. */
  volumeNoise: number;
  shareNoise: number[];
  hourEvents: SimEvent[];
  /** Scratch space for the minute's shares, reused to spare the garbage collector. */
  readonly shares: Float64Array;
}

/**
 * Yields every reported minute, sorted by minute and then by the models' order (source, environment).
 * Volume is Poisson around the model's expectation × hourly lognormal noise × event effects; statuses
 * are a multinomial (sequential binomials) over the shares × hourly overdispersion × event effects.
 * A minute is not yielded in a reporting gap, when lost on its own, or when idle and the series does
 * not post idle minutes.
 */
export function* generateCountRows(
  models: readonly SeriesModel[],
  events: readonly SimEvent[],
  options: SimulationOptions,
): Generator<CountRow> {
  const states = models.map((model) => createState(model, events, options));
  const endMs = options.startMs + options.days * DAY_MS;
  for (let minuteMs = options.startMs; minuteMs < endMs; minuteMs += MINUTE_MS) {
    const newHour = minuteMs === options.startMs || minuteMs % HOUR_MS === 0;
    for (const state of states) {
      if (newHour) startHour(state, minuteMs);
      const row = sampleMinute(state, minuteMs);
      if (row) yield row;
    }
  }
}

function createState(
  model: SeriesModel,
  events: readonly SimEvent[],
  options: SimulationOptions,
): SeriesState {
  const { source, environment } = model.profile;
  return {
    model,
    random: createRandom(options.seed, 'counts', source, environment),
    events: events.filter((e) => e.source === source && e.environment === environment),
    volumeNoise: 1,
    shareNoise: [],
    hourEvents: [],
    shares: new Float64Array(OTHER_STATUSES.length),
  };
}

function startHour(state: SeriesState, minuteMs: number): void {
  const { profile } = state.model;
  const hourEnd = Math.floor(minuteMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  state.volumeNoise = state.random.lognormal(profile.hourVolumeSigma);
  state.shareNoise = OTHER_STATUSES.map(() => state.random.lognormal(profile.rateSigma));
  state.hourEvents = state.events.filter((e) => e.startMs < hourEnd && e.endMs > minuteMs);
}

function sampleMinute(state: SeriesState, minuteMs: number): CountRow | undefined {
  const { model, random } = state;
  const shares = state.shares;
  let volume = model.expectedMinute(minuteMs, shares) * state.volumeNoise;
  for (let i = 0; i < shares.length; i += 1) shares[i] = (shares[i] ?? 0) * (state.shareNoise[i] ?? 1);
  for (const event of state.hourEvents) {
    const effect = effectAt(event, minuteMs);
    if (!effect.reports) return undefined;
    volume *= effect.volume;
    const i = SHARE_INDEX.get(event.metric);
    if (i !== undefined) shares[i] = (shares[i] ?? 0) * effect.share;
  }
  if (random.chance(SINGLE_MISSING_MINUTE_CHANCE)) return undefined;
  const total = samplePoisson(random, volume);
  if (total === 0 && !model.profile.postsWhenIdle) return undefined;
  const { source, environment } = model.profile;
  return { minuteMs, source, environment, counts: splitByStatus(random, total, shares) };
}

/** The factor the other statuses' shares are scaled by so that together they stay under MAX_OTHER_SHARE. */
export function shareScale(shares: Float64Array): number {
  const sum = shares.reduce((a, b) => a + b, 0);
  return sum > MAX_OTHER_SHARE ? MAX_OTHER_SHARE / sum : 1;
}

/** Multinomial split of `total` over approved + the other statuses, as sequential binomial draws. */
export function splitByStatus(random: Random, total: number, shares: Float64Array): number[] {
  const scale = shareScale(shares);
  const counts = [0];
  let remaining = total;
  let remainingShare = 1;
  for (const share of shares) {
    const p = share * scale;
    const k = remaining > 0 ? sampleBinomial(random, remaining, p / remainingShare) : 0;
    counts.push(k);
    remaining -= k;
    remainingShare -= p;
  }
  counts[0] = remaining;
  return counts;
}
