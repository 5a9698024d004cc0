import type { Candidate, MetricModels } from './candidate.js';
import type { DetectionSettings } from './settings.js';
import type { Metric } from './types.js';

/** The settings a window is judged by: gross bars in a series' first week, a higher surge bar inside the hour. */
export function windowSettings(
  models: MetricModels,
  candidate: Candidate,
  base: DetectionSettings,
): DetectionSettings {
  const strict = provisional(models) ? gross(base) : base;
  // A surge in a sub-hour window must be big: a moderate one has to last most of an hour to tell it from a burst.
  if (candidate.kind !== 'span') return strict;
  return { ...strict, trafficSurgeFactor: Math.max(strict.trafficSurgeFactor, strict.spanSurgeFactor) };
}

/** Windows under `shortestWindowMinutes` judge only traffic drops (down to `shortestDropWindowMinutes`). */
export function tooShort(
  metric: Metric,
  direction: 'up' | 'down',
  candidate: Candidate,
  settings: DetectionSettings,
): boolean {
  const minutes = Math.round(candidate.fraction * 60);
  const isDrop = metric === 'traffic' && direction === 'down';
  return minutes < (isDrop ? settings.shortestDropWindowMinutes : settings.shortestWindowMinutes);
}

/** Whether a traffic expectation is provisional (the series' weekly cycle is not known yet). */
function provisional(models: MetricModels): boolean {
  return models.some((m) => m.kind === 'traffic' && m.provisional === true);
}

/** Settings that let only gross traffic changes through. */
function gross(settings: DetectionSettings): DetectionSettings {
  return {
    ...settings,
    trafficDropFactor: settings.provisionalDropFactor,
    trafficSurgeFactor: settings.provisionalSurgeFactor,
  };
}

/**
 * Whether a deviation is big enough to matter, whatever its score: rates at least `minRateFactor`× and
 * `minRateRise` above expected with `minExcessTransactions` more an hour; traffic under `trafficDropFactor`× or
 * over `trafficSurgeFactor`× expected by `minTrafficExcess` an hour. `observed` and `expected` are rates
 * (fractions) for rate metrics, transactions in the window for traffic; `excessPerHour` is signed.
 */
export function matters(
  metric: Metric,
  direction: 'up' | 'down',
  observed: number,
  expected: number,
  excessPerHour: number,
  settings: DetectionSettings,
): boolean {
  if (metric === 'traffic') {
    return direction === 'down'
      ? observed <= expected * settings.trafficDropFactor && -excessPerHour >= settings.minTrafficExcess
      : observed >= expected * settings.trafficSurgeFactor && excessPerHour >= settings.minTrafficExcess;
  }
  return (
    observed >= expected * settings.minRateFactor &&
    observed - expected >= settings.minRateRise &&
    excessPerHour >= settings.minExcessTransactions
  );
}
