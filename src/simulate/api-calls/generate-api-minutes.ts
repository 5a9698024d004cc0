import type { ApiMinute } from '../../api-calls/api-minute.js';
import { LATENCY_BUCKET_COUNT } from '../../api-calls/latency.js';
import { splitByStatus } from '../generate-counts.js';
import { createRandom, type Random } from '../random.js';
import { sampleBinomial, samplePoisson } from '../sampling.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../types.js';
import { type ApiModel, bucketShares } from './api-model.js';
import { type ApiEffect, apiEffectAt, combineEffects, NO_EFFECT } from './api-scenarios.js';
import type { ServiceModel } from './plan-api-events.js';
import { ALL_APIS, type ApiSimEvent, type ApiSimulationOptions } from './types.js';

/** Chance that a service's post of one minute (all its APIs) is lost on its own. */
export const LOST_POST_CHANCE = 0.005;

interface ApiState {
  readonly model: ApiModel;
  readonly random: Random;
  readonly events: readonly ApiSimEvent[];
  readonly postsWhenIdle: boolean;
  /** Per-hour draws: volume, the shares of 3xx, 4xx, 5xx, timeout and silent, and the latency median. */
  volumeNoise: number;
  shareNoise: number[];
  latencyNoise: number;
  hourEvents: ApiSimEvent[];
  /** Scratch space reused minute after minute. */
  readonly shares: Float64Array;
  readonly buckets: Float64Array;
}

/**
 * Yields every posted minute of every API, sorted by minute, then source, environment and api. Calls are
 * Poisson around the model × an hourly lognormal factor × events; classes a multinomial over the shares ×
 * hourly overdispersion × events; silent failures binomial among the 2xx; the responses' latencies a
 * multinomial over the buckets of the API's lognormal mixture at that minute's load, its median × an hourly
 * factor × events. A minute is not posted in a reporting gap or source outage, when the service's post is
 * lost, or when the API had no call and its service does not post idle APIs.
 */
export function* generateApiMinutes(
  services: readonly ServiceModel[],
  events: readonly ApiSimEvent[],
  options: ApiSimulationOptions,
): Generator<ApiMinute> {
  const groups = services.map((service) => ({
    posts: createRandom(options.seed, 'api-posts', service.profile.source, service.profile.environment),
    apis: service.apis.map((model) => createState(model, service, events, options)),
  }));
  const endMs = options.startMs + options.days * DAY_MS;
  for (let minuteMs = options.startMs; minuteMs < endMs; minuteMs += MINUTE_MS) {
    const newHour = minuteMs === options.startMs || minuteMs % HOUR_MS === 0;
    for (const group of groups) {
      if (newHour) for (const state of group.apis) startHour(state, minuteMs);
      if (group.posts.chance(LOST_POST_CHANCE)) continue;
      for (const state of group.apis) {
        const row = sampleMinute(state, minuteMs);
        if (row) yield row;
      }
    }
  }
}

function createState(
  model: ApiModel,
  service: ServiceModel,
  events: readonly ApiSimEvent[],
  options: ApiSimulationOptions,
): ApiState {
  const { source, environment, api } = model.profile;
  return {
    model,
    random: createRandom(options.seed, 'api-calls', source, environment, api),
    events: events.filter(
      (e) => e.source === source && e.environment === environment && (e.api === api || e.api === ALL_APIS),
    ),
    postsWhenIdle: service.profile.postsWhenIdle,
    volumeNoise: 1,
    shareNoise: [],
    latencyNoise: 1,
    hourEvents: [],
    shares: new Float64Array(4),
    buckets: new Float64Array(LATENCY_BUCKET_COUNT),
  };
}

function startHour(state: ApiState, minuteMs: number): void {
  const { profile } = state.model;
  const hourEnd = Math.floor(minuteMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  state.volumeNoise = state.random.lognormal(profile.hourVolumeSigma);
  state.shareNoise = [0, 1, 2, 3, 4].map(() => state.random.lognormal(profile.shareSigma));
  state.latencyNoise = state.random.lognormal(profile.latency.hourSigma);
  state.hourEvents = state.events.filter((e) => e.startMs < hourEnd && e.endMs > minuteMs);
}

function effectOf(state: ApiState, minuteMs: number): ApiEffect {
  if (state.hourEvents.length === 0) return NO_EFFECT;
  return combineEffects(state.hourEvents.map((event) => apiEffectAt(event, minuteMs)));
}

function sampleMinute(state: ApiState, minuteMs: number): ApiMinute | undefined {
  const { model, random, shareNoise: noise } = state;
  const { profile } = model;
  const effect = effectOf(state, minuteMs);
  if (!effect.reports) return undefined;
  const total = samplePoisson(random, model.expectedCalls(minuteMs) * state.volumeNoise * effect.volume);
  if (total === 0 && !state.postsWhenIdle) return undefined;
  const { shares } = profile;
  state.shares[0] = shares['3xx'] * (noise[0] ?? 1);
  state.shares[1] = shares['4xx'] * (noise[1] ?? 1);
  state.shares[2] = shares['5xx'] * (noise[2] ?? 1) * effect.fiveXx;
  state.shares[3] = shares.timeout * (noise[3] ?? 1) * effect.timeout;
  const calls = splitByStatus(random, total, state.shares);
  const ok = calls[0] as number;
  const silentShare = Math.min(1, profile.silentShare * (noise[4] ?? 1) * effect.silent);
  const silentFailures = sampleBinomial(random, ok, silentShare);
  bucketShares(
    profile.latency,
    model.medianMs(minuteMs) * state.latencyNoise * effect.latency,
    state.buckets,
  );
  const latency = sampleMultinomial(random, total - (calls[4] as number), state.buckets);
  const { source, environment, api } = profile;
  return { source, environment, api, minuteMs, calls, silentFailures, latency };
}

/** A multinomial draw of `trials` over `shares` (adding up to 1), as sequential binomials. */
export function sampleMultinomial(random: Random, trials: number, shares: Float64Array): number[] {
  const counts = new Array<number>(shares.length).fill(0);
  let remaining = trials;
  let remainingShare = 1;
  for (let i = 0; i < shares.length - 1 && remaining > 0; i++) {
    const share = shares[i] ?? 0;
    const p = remainingShare > 0 ? Math.min(1, Math.max(0, share / remainingShare)) : 1;
    const k = sampleBinomial(random, remaining, p);
    counts[i] = k;
    remaining -= k;
    remainingShare -= share;
  }
  counts[shares.length - 1] = (counts[shares.length - 1] ?? 0) + remaining;
  return counts;
}
