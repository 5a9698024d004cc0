import { type Band, bandOf } from '../detection/band.js';
import { historyHour } from '../detection/history.js';
import { modelCutoff } from '../detection/schedule.js';
import type { Finding } from '../detection/types.js';
import { calendarOf } from './calendar-of.js';
import type { SeriesContext } from './series-context.js';

const HOUR_MS = 3_600_000;

/**
 * The band of the hour after the one `context` was loaded for, built from what the hourly run already holds: the
 * context's history with the evaluated hour appended (its counts, and as alerting the metrics of its findings,
 * exactly as the next hour's read would find them in hourly_counts and findings) and the same trees. That is
 * the next hour's own context when the trees do not change in between — undefined when the next hour starts a
 * new training period (its trees are other ones): then the caller loads the next hour's context itself
 * (`bandOfContext`).
 */
export function nextBand(
  context: SeriesContext,
  findings: readonly Finding[],
  retrainHours: number,
): Band | undefined {
  const { hourStart } = context.hour;
  const next = hourStart + HOUR_MS;
  if (modelCutoff(next, retrainHours) !== modelCutoff(hourStart, retrainHours)) return undefined;
  const calendar = calendarOf(context.profile);
  const alerting = findings.length > 0 ? new Set(findings.map((f) => f.metric)) : undefined;
  const history = [...context.history, historyHour(hourStart, context.hour.counts, calendar, alerting)];
  return bandOf(next, calendar.position(next), history, context.trees, context.profile.settings);
}

/** The band of the hour a context was loaded for: what a tick computes when the hourly run stored none. */
export function bandOfContext(context: SeriesContext): Band {
  return bandOf(
    context.hour.hourStart,
    context.hour.position,
    context.history,
    context.trees,
    context.profile.settings,
  );
}
