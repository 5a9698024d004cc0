import { comparableTrafficHours } from './comparable-hours.js';
import { logCountRatio, overdispersion } from './count-score.js';
import { median } from './stats.js';
import type { CalendarPosition, HistoryHour, TrafficExpectation } from './types.js';

/** Recent hours whose deviation from their own baseline sets today's level (growth, busy days, holidays). */
const LEVEL_HOURS = 6;
/** The level adjustment is capped at ×/÷ e^0.4 ≈ 1.5, so it follows a busy day but never explains away an outage. */
const MAX_LEVEL = 0.4;
/** In the first week the level may follow further (×/÷ e^1.2 ≈ 3.3): the first weekend is news to the model. */
const MAX_PROVISIONAL_LEVEL = 1.2;
/** Hours over which the spread of volume around its baseline is measured. */
const SPREAD_HOURS = 168;
/** Same-hour samples a first-week (provisional) baseline needs. */
const MIN_PROVISIONAL_SAMPLES = 3;

/**
 * The z-score model for traffic. Expected volume = median of the same hour of the week in the last
 * `historyDays` (volume has weekly cycles; the same hour a week earlier is the same local time whatever the
 * source's time zone), times today's level: the median ratio of the last 6 quiet hours to their own baselines,
 * capped at ×/÷ 1.5 (×/÷ 3.3 in the first week). Spread = extra-Poisson variance of volume around those baselines over the last week.
 * In the first week, with no same hour of the week yet, the same hour of any day stands in and the expectation
 * is marked provisional (weekends may look like drops, so only gross changes count). Undefined before 3 days.
 */
export function trafficZScore(
  position: CalendarPosition,
  history: readonly HistoryHour[],
): TrafficExpectation | undefined {
  const weekly = comparableTrafficHours(history, position, 'week');
  const provisional = weekly.length === 0;
  const samples = provisional ? comparableTrafficHours(history, position, 'day') : weekly;
  if (samples.length < (provisional ? MIN_PROVISIONAL_SAMPLES : 1)) return undefined;
  const baseline = median(samples.map((h) => h.total)) ?? 0;
  const residuals = recentResiduals(history, provisional ? 'day' : 'week').filter((r) => !r.quietOf);
  const recentLevel =
    median(residuals.slice(-LEVEL_HOURS).map((r) => logCountRatio(r.observed, r.expected))) ?? 0;
  const level = clamp(recentLevel, provisional ? MAX_PROVISIONAL_LEVEL : MAX_LEVEL);
  const expectedHourly = (baseline + 0.5) * Math.exp(level) - 0.5;
  return { model: 'zscore', expectedHourly, logVariance: overdispersion(residuals), provisional };
}

interface Residual {
  readonly observed: number;
  /** The median of the same hour (of the week, or of the day) before it. */
  readonly expected: number;
  /** True when the hour alerted on traffic (left out of level and spread). */
  readonly quietOf: boolean;
}

/** For each of the last SPREAD_HOURS hours: its volume and the median of the same hour (of week or day) before it. */
function recentResiduals(history: readonly HistoryHour[], period: 'week' | 'day'): Residual[] {
  const earlierByKey = new Map<number, number[]>();
  const residuals: Residual[] = [];
  const firstRecent = history.length - SPREAD_HOURS;
  history.forEach((hour, index) => {
    const key = period === 'week' ? hour.weekday * 24 + hour.localHour : hour.localHour;
    const earlier = earlierByKey.get(key) ?? [];
    const alerting = hour.alerting.has('traffic');
    if (index >= firstRecent && earlier.length > 0) {
      residuals.push({ observed: hour.total, expected: median(earlier.slice(-4)) ?? 0, quietOf: alerting });
    }
    if (!alerting) earlier.push(hour.total);
    earlierByKey.set(key, earlier);
  });
  return residuals;
}

function clamp(value: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, value));
}
