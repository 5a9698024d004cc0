import { LATENCY_BOUNDS_MS } from '../../api-calls/latency.js';
import { DETECTABLE_MIN_EXCESS, DETECTABLE_MIN_Z, type Signal } from '../detectability.js';
import { HOUR_MS, MINUTE_MS } from '../types.js';
import type { ApiModel } from './api-model.js';
import { shareWithin } from './api-model.js';
import type { ApiProfile } from './api-profiles.js';
import { type ApiEffect, apiEffectAt } from './api-scenarios.js';
import type { ApiSimEvent } from './types.js';

/**
 * The strongest expected signal of an event on one API in any clock hour it touches, judged as for payments
 * (src/simulate/detectability.ts): the change in the hour's count of the metric's numerator — 5xx + timeouts
 * (errors), silent failures, calls slower than the hour's normal p99 bound (latency), all calls (traffic) —
 * against noise √(normal + (σ·normal)²), σ the API's own hour-to-hour overdispersion of that count.
 */
export function expectedApiSignal(model: ApiModel, event: ApiSimEvent, dayLevelSigma: number): Signal {
  let best: Signal = { z: 0, excess: 0 };
  const firstHour = Math.floor(event.startMs / HOUR_MS) * HOUR_MS;
  for (let hourMs = firstHour; hourMs < event.endMs; hourMs += HOUR_MS) {
    const { normal, incident, sigma } = expectedHour(model, event, hourMs, dayLevelSigma);
    const excess = incident - normal;
    const z = Math.abs(excess) / Math.sqrt(Math.max(normal + (sigma * normal) ** 2, 1e-9));
    if (z > best.z) best = { z, excess };
  }
  return best;
}

/** True when the event could be caught at all from hourly counts (DETECTABLE_MIN_Z and _EXCESS, as payments). */
export function isApiEventDetectable(model: ApiModel, event: ApiSimEvent, dayLevelSigma: number): boolean {
  const { z, excess } = expectedApiSignal(model, event, dayLevelSigma);
  return z >= DETECTABLE_MIN_Z && Math.abs(excess) >= DETECTABLE_MIN_EXCESS;
}

function expectedHour(model: ApiModel, event: ApiSimEvent, hourMs: number, dayLevelSigma: number) {
  const { profile } = model;
  const boundMs = normalBoundMs(model, hourMs + HOUR_MS / 2);
  let normal = 0;
  let incident = 0;
  for (let minuteMs = hourMs; minuteMs < hourMs + HOUR_MS; minuteMs += MINUTE_MS) {
    const effect = apiEffectAt(event, minuteMs);
    const calls = model.expectedCalls(minuteMs);
    const after = effect.reports ? calls * effect.volume : 0;
    const median = model.medianMs(minuteMs);
    normal += calls * numeratorShare(event, profile, NO_CHANGE, median, boundMs);
    incident += after * numeratorShare(event, profile, effect, median, boundMs);
  }
  return { normal, incident, sigma: noiseSigma(model, event, boundMs, hourMs, dayLevelSigma) };
}

const NO_CHANGE: ApiEffect = { volume: 1, fiveXx: 1, timeout: 1, silent: 1, latency: 1, reports: true };

/** The share of calls the event's metric counts, under an effect. */
function numeratorShare(
  event: ApiSimEvent,
  profile: ApiProfile,
  effect: ApiEffect,
  medianMs: number,
  boundMs: number,
): number {
  const { shares } = profile;
  const fiveXx = shares['5xx'] * effect.fiveXx;
  const timeout = shares.timeout * effect.timeout;
  switch (event.metric) {
    case 'traffic':
      return 1;
    case 'errors':
      return fiveXx + timeout;
    case 'silent_failures':
      return (1 - shares['3xx'] - shares['4xx'] - fiveXx - timeout) * profile.silentShare * effect.silent;
    case 'latency':
      return (1 - timeout) * (1 - shareWithin(profile.latency, medianMs * effect.latency, boundMs));
  }
}

/** The smallest bucket bound with at most 1 % of responses slower, for the normal median at that minute. */
export function normalBoundMs(model: ApiModel, minuteMs: number): number {
  const median = model.medianMs(minuteMs);
  for (const bound of LATENCY_BOUNDS_MS)
    if (1 - shareWithin(model.profile.latency, median, bound) <= 0.01) return bound;
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] as number;
}

function noiseSigma(
  model: ApiModel,
  event: ApiSimEvent,
  boundMs: number,
  hourMs: number,
  dayLevelSigma: number,
) {
  const { profile } = model;
  if (event.metric === 'traffic') return Math.hypot(profile.hourVolumeSigma, dayLevelSigma);
  if (event.metric !== 'latency') return profile.shareSigma;
  // The hour's median moves by a lognormal factor; the share slower than the bound moves with it.
  const median = model.medianMs(hourMs + HOUR_MS / 2);
  const slow = (m: number) => Math.max(1e-12, 1 - shareWithin(profile.latency, m, boundMs));
  return Math.abs(Math.log(slow(median * Math.exp(profile.latency.hourSigma)) / slow(median)));
}
