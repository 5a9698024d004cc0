import { DEFAULT_DETECTION, type DetectionSettings } from '../detection/settings.js';

/**
 * How an API series is judged: the payment core's settings (same knobs, same severity table, per source in
 * RATEWATCH_CONFIG under `detection`) and what only APIs have.
 * `coldStartCeilings` is keyed by API metric here: `errors` (default 5 %: "error share > 5 % with enough
 * calls", enough = `coldStartMinTotal`), and optionally `silent_failures`, `client_errors`.
 */
export interface ApiDetectionSettings extends DetectionSettings {
  /** Judge 4xx (`client_errors`) too: `sources.<name>.detection.judge_4xx: true`. Off by default. */
  readonly judge4xx: boolean;
  /**
   * Cold start only: p99 above this (ms) alerts — `sources.<name>.latency_slo_ms`. Undefined: latency is not
   * judged until the API has a normal p99 of its own.
   */
  readonly latencySloMs?: number | undefined;
}

/** The default error-share ceiling of cold start. */
export const DEFAULT_ERROR_CEILING = 0.05;

/** API settings from a source's detection settings (which may carry payment ceilings: those are dropped). */
export function apiDetectionSettings(
  base: DetectionSettings = DEFAULT_DETECTION,
  options: { judge4xx?: boolean; latencySloMs?: number | undefined; errorCeiling?: number | undefined } = {},
): ApiDetectionSettings {
  return {
    ...base,
    coldStartCeilings: { errors: options.errorCeiling ?? DEFAULT_ERROR_CEILING },
    judge4xx: options.judge4xx ?? false,
    latencySloMs: options.latencySloMs,
  };
}

export const DEFAULT_API_DETECTION: ApiDetectionSettings = apiDetectionSettings();
