import { LATENCY_BOUNDS_MS, LATENCY_BUCKET_COUNT } from '../../api-calls/latency.js';
import type { SeriesModel } from '../series-model.js';
import type { ApiProfile, LatencyProfile } from './api-profiles.js';

/** An API's expected behaviour minute by minute, before hourly noise and injected events. */
export interface ApiModel {
  readonly profile: ApiProfile;
  /** The service's relative load in the minute starting at minuteMs (about 1 at a weekday peak). */
  load(minuteMs: number): number;
  /** Expected calls in that minute. */
  expectedCalls(minuteMs: number): number;
  /** Median response time (ms) at that minute's load, before hourly noise and events. */
  medianMs(minuteMs: number): number;
}

/** The API's model on top of its service's volume model (diurnal, weekly, growth, day level in local time). */
export function createApiModel(profile: ApiProfile, service: SeriesModel): ApiModel {
  const load = (minuteMs: number) => service.expectedVolume(minuteMs);
  return {
    profile,
    load,
    expectedCalls: (minuteMs) => profile.peakPerMinute * load(minuteMs),
    medianMs: (minuteMs) => profile.latency.medianMs * (1 + profile.latency.loadSlope * load(minuteMs)),
  };
}

/**
 * Writes into `out` the share of responses in each latency bucket (LATENCY_BUCKETS order) for a median of
 * `medianMs`: the lognormal body and the slow tail, mixed. The shares add up to 1.
 */
export function bucketShares(latency: LatencyProfile, medianMs: number, out: Float64Array): void {
  let below = 0;
  for (let i = 0; i < LATENCY_BUCKET_COUNT - 1; i++) {
    const cumulative = shareWithin(latency, medianMs, LATENCY_BOUNDS_MS[i] as number);
    out[i] = cumulative - below;
    below = cumulative;
  }
  out[LATENCY_BUCKET_COUNT - 1] = 1 - below;
}

/** Share of responses that finish within `boundMs` for a median of `medianMs`. */
export function shareWithin(latency: LatencyProfile, medianMs: number, boundMs: number): number {
  const body = normalCdf((Math.log(boundMs) - Math.log(medianMs)) / latency.sigma);
  const tail = normalCdf((Math.log(boundMs) - Math.log(medianMs * latency.tailFactor)) / latency.sigma);
  return (1 - latency.tailShare) * body + latency.tailShare * tail;
}

/** The standard normal distribution function, via erfc (Numerical Recipes' erfcc: relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + z / 2);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
