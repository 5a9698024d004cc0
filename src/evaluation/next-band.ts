import { type ApiBand, apiBandOf } from '../api-detection/api-band.js';
import { apiHistoryHour } from '../api-detection/api-history.js';
import type { ApiFinding } from '../detection/api-finding.js';
import { type Band, bandOf } from '../detection/band.js';
import { historyHour } from '../detection/history.js';
import { modelCutoff } from '../detection/schedule.js';
import type { Finding } from '../detection/types.js';
import type { ApiContext } from './api-context.js';
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
  const { hour, profile, calendar } = context;
  const evaluated = historyHour(hour.hourStart, hour.counts, calendar, alertingOf(findings));
  return afterHour(hour.hourStart, retrainHours, [...context.history, evaluated], (next, history) =>
    bandOf(next, calendar.position(next), history, context.trees, profile.settings),
  );
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

/**
 * The band of an API's next hour from its context in hand, as `nextBand` does for a payment series: the history
 * with the evaluated hour appended (its counts, as alerting the metrics of its findings) and the same trees;
 * undefined when the next hour starts a training period (then `apiBandOfContext` of the next hour's context).
 */
export function nextApiBand(
  context: ApiContext,
  findings: readonly ApiFinding[],
  retrainHours: number,
): ApiBand | undefined {
  const { hour, calendar } = context;
  const evaluated = apiHistoryHour(hour.hourStart, hour.counts, calendar, alertingOf(findings));
  return afterHour(hour.hourStart, retrainHours, [...context.history, evaluated], (next, history) =>
    apiBandOf(next, calendar.position(next), history, context.trees, context.settings),
  );
}

/** The band of the hour an API's context was loaded for: a new training period's, or a tick's that found none. */
export function apiBandOfContext(context: ApiContext): ApiBand {
  const { hour } = context;
  return apiBandOf(hour.hourStart, hour.position, context.history, context.trees, context.settings);
}

/**
 * `band` of the hour after `hourStart` and the history up to it, unless a new training period starts there (its
 * trees are not the ones in hand): then undefined.
 */
function afterHour<H, B>(
  hourStart: number,
  retrainHours: number,
  history: H[],
  band: (next: number, history: H[]) => B,
): B | undefined {
  const next = hourStart + HOUR_MS;
  if (modelCutoff(next, retrainHours) !== modelCutoff(hourStart, retrainHours)) return undefined;
  return band(next, history);
}

/** The metrics of an hour's findings: what the next hour's read finds alerting in it. */
function alertingOf<M>(findings: readonly { readonly metric: M }[]): Set<M> | undefined {
  return findings.length > 0 ? new Set(findings.map((f) => f.metric)) : undefined;
}
