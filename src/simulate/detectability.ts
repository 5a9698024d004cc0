import { effectAt } from './scenarios.js';
import type { SeriesModel } from './series-model.js';
import { HOUR_MS, MINUTE_MS, type SimEvent } from './types.js';

/** An incident is labelled only if some clock hour shows it at least this many noise standard deviations… */
export const DETECTABLE_MIN_Z = 4;
/** …and with at least this many extra (or missing) transactions of its metric in that hour. */
export const DETECTABLE_MIN_EXCESS = 5;

/** The strongest expected signal of an event in any clock hour it touches. */
export interface Signal {
  /** |incident − normal| / √(normal + (σ·normal)²), counts of the metric (or all transactions) per hour. */
  readonly z: number;
  /** incident − normal, expected transactions of the metric in that hour (negative for an outage). */
  readonly excess: number;
}

/**
 * The expected signal of an event, judged on clock hours as the hourly evaluation sees them. "normal" is
 * the expected hourly count without the event; the noise is Poisson plus the series' own hour-to-hour
 * overdispersion (σ = rateSigma for a rate, √(hourVolumeSigma² + dayLevelSigma²) for traffic), which no
 * detector can predict from history.
 */
export function expectedSignal(model: SeriesModel, event: SimEvent): Signal {
  const sigma = noiseSigma(model, event);
  let best: Signal = { z: 0, excess: 0 };
  const firstHour = Math.floor(event.startMs / HOUR_MS) * HOUR_MS;
  for (let hourMs = firstHour; hourMs < event.endMs; hourMs += HOUR_MS) {
    const { normal, incident } = expectedHourCounts(model, event, hourMs);
    const excess = incident - normal;
    const z = Math.abs(excess) / Math.sqrt(Math.max(normal + (sigma * normal) ** 2, 1e-9));
    if (z > best.z) best = { z, excess };
  }
  return best;
}

/** True when an incident could be caught at all from hourly counts (see DETECTABLE_MIN_Z and _EXCESS). */
export function isDetectable(model: SeriesModel, event: SimEvent): boolean {
  const { z, excess } = expectedSignal(model, event);
  return z >= DETECTABLE_MIN_Z && Math.abs(excess) >= DETECTABLE_MIN_EXCESS;
}

function noiseSigma(model: SeriesModel, event: SimEvent): number {
  const profile = model.profile;
  if (event.metric !== 'traffic') return profile.rateSigma;
  return Math.hypot(profile.hourVolumeSigma, profile.dayLevelSigma);
}

/** Expected counts of the event's metric (all transactions for traffic) in one hour, without and with it. */
function expectedHourCounts(model: SeriesModel, event: SimEvent, hourMs: number) {
  let normal = 0;
  let incident = 0;
  for (let minuteMs = hourMs; minuteMs < hourMs + HOUR_MS; minuteMs += MINUTE_MS) {
    const effect = effectAt(event, minuteMs);
    const volume = model.expectedVolume(minuteMs);
    const share = event.metric === 'traffic' ? 1 : model.expectedShare(event.metric, minuteMs);
    normal += volume * share;
    incident += volume * effect.volume * share * effect.share;
  }
  return { normal, incident };
}
