import type { CalendarPosition, HistoryHour, Metric } from './types.js';

/**
 * Past hours comparable with the evaluated one for a rate metric: local hours within ±1 of it, any day, with
 * traffic. Rates follow the time of day (night-time fraud, batch jobs) far more than the day of the week.
 */
export function comparableRateHours(
  history: readonly HistoryHour[],
  position: CalendarPosition,
  metric: Metric,
): HistoryHour[] {
  return withoutAlerting(
    history.filter((hour) => hour.total > 0 && circularDistance(hour.localHour, position.localHour) <= 1),
    metric,
  );
}

/**
 * Past hours comparable with the evaluated one for traffic: the same hour of the week, or (while the history
 * has none yet) of any day. Hours without reports count as zero traffic; thinly reported hours (`thin`: a
 * silence or a reporting gap of an every-minute poster) are not traffic and never count.
 */
export function comparableTrafficHours(
  history: readonly HistoryHour[],
  position: CalendarPosition,
  period: 'week' | 'day',
): HistoryHour[] {
  return withoutAlerting(
    history.filter(
      (hour) =>
        hour.thin !== true &&
        hour.localHour === position.localHour &&
        (period === 'day' || hour.weekday === position.weekday),
    ),
    'traffic',
  );
}

/**
 * Leaves out hours that alerted on `metric`, unless that would remove more than half of them
 * (a lasting change must become the new normal eventually).
 */
export function withoutAlerting(hours: HistoryHour[], metric: Metric): HistoryHour[] {
  const quiet = hours.filter((hour) => !hour.alerting.has(metric));
  return quiet.length * 2 >= hours.length ? quiet : hours;
}

function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}
