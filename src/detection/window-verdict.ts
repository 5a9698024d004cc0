import type { Candidate, MetricModel, MetricModels } from './candidate.js';
import { scoreCount } from './count-score.js';
import type { DetectionSettings } from './settings.js';
import { deviationFactor, severityOf } from './severity.js';
import { sustained } from './sustained.js';
import type { CalendarPosition, Finding, Metric, ModelVerdict, RateMetric } from './types.js';
import { matters, tooShort, windowSettings } from './window-rules.js';

export interface WindowDecision {
  readonly finding?: Finding;
  /** The strongest model score in the window (whether or not it fired). */
  readonly strongest: number;
}

interface Identity {
  readonly source: string;
  readonly environment: string;
  readonly evaluatedAt: number;
  readonly position: CalendarPosition;
}

/**
 * Decides whether `metric` in one window is a finding.
 * - Each model scores the window; the z-score fires alone at `threshold` (+ the window's penalty); with the tree
 *   too, the stronger must reach that and the weaker `confirmThreshold`, in the same direction. The tree never
 *   fires alone. `given` replaces the models (cold-start verdicts).
 * - It must matter: rates at least `minRateFactor`× and `minRateRise` above expected and `minExcessTransactions`
 *   more; traffic below `trafficDropFactor`× or above `trafficSurgeFactor`× expected by `minTrafficExcess`.
 *   The expectation used (and reported) is the least alarming of the models'.
 *   Excess floors are per hour of window (a three-hour window needs three times the excess).
 * - Windows under `shortestWindowMinutes` judge only traffic drops (down to `shortestDropWindowMinutes`); a
 *   surge in a sub-hour window must reach `spanSurgeFactor`.
 * - It must be sustained (see sustained.ts) — a 5-minute blip is not an incident.
 */
export function decide(
  identity: Identity,
  metric: Metric,
  candidate: Candidate,
  models: MetricModels,
  baseSettings: DetectionSettings,
  given?: ModelVerdict,
): WindowDecision {
  const settings = windowSettings(models, candidate, baseSettings);
  if (metric === 'traffic' && !candidate.traffic) return { strongest: 0 };
  const verdicts = given ? [given] : models.map((model) => verdictOf(model, candidate));
  // A thinly reported window tells only a drop (Candidate.traffic.dropOnly); above expected it tells nothing.
  if (metric === 'traffic' && candidate.traffic?.dropOnly && verdicts.some((v) => v.direction === 'up'))
    return { strongest: 0 };
  const strongest = Math.max(...verdicts.map((v) => v.score), 0);
  const direction = firingDirection(metric, verdicts, candidate, settings);
  if (!direction) return { strongest };
  const expected = leastAlarming(verdicts, direction);
  const observed = observedIn(metric, candidate);
  const expectedCount = metric === 'traffic' ? expected : expected * observed.total;
  // The excess floors are per hour: five more failures spread over three hours matter less than in one.
  const excessPerHour = (observed.count - expectedCount) / Math.max(1, candidate.fraction);
  if (!matters(metric, direction, observed.rate, expected, excessPerHour, settings)) return { strongest };
  if (!sustained(metric, direction, expected, candidate, settings)) return { strongest };
  const bar = settings.threshold + candidate.penalty;
  const finding: Finding = {
    source: identity.source,
    environment: identity.environment,
    metric,
    windowStart: new Date(candidate.start),
    windowEnd: new Date(identity.evaluatedAt),
    direction,
    models: verdicts.filter((v) => v.score >= bar).map((v) => v.model),
    observedRate: observed.rate,
    expectedRate: expected,
    score: round(strongest, 2),
    severity: severityOf(strongest, deviationFactor(observed.rate, expected, direction), settings.severity),
    counts: {
      observed: observed.count,
      expected: round(expectedCount, 1),
      excess: Math.round(observed.count - expectedCount),
      total: observed.total,
    },
    scores: Object.fromEntries(verdicts.map((v) => [v.model, round(v.score, 2)])),
  };
  return { finding, strongest };
}

/**
 * The direction the models fire in, or undefined: not the tree alone, all in one direction, a window long
 * enough for it, the strongest at `threshold` + penalty and the weakest at `confirmThreshold`.
 */
function firingDirection(
  metric: Metric,
  verdicts: readonly ModelVerdict[],
  candidate: Candidate,
  settings: DetectionSettings,
): 'up' | 'down' | undefined {
  if (!verdicts.some((v) => v.model !== 'tree')) return undefined;
  const direction = verdicts[0]?.direction ?? 'up';
  if (verdicts.some((v) => v.direction !== direction)) return undefined;
  if (tooShort(metric, direction, candidate, settings)) return undefined;
  const scores = verdicts.map((v) => v.score);
  const fires =
    Math.max(...scores) >= settings.threshold + candidate.penalty &&
    Math.min(...scores) >= settings.confirmThreshold;
  return fires ? direction : undefined;
}

/** What the window shows: the status count (traffic: all transactions, gaps filled), the total, the rate. */
function observedIn(metric: Metric, candidate: Candidate) {
  if (metric === 'traffic') {
    const total = candidate.traffic?.total ?? 0;
    return { count: Math.round(total), total, rate: Math.round(total) };
  }
  const count = candidate.counts[metric as RateMetric];
  return { count, total: candidate.counts.total, rate: count / candidate.counts.total };
}

function verdictOf(model: MetricModel, candidate: Candidate): ModelVerdict {
  const { counts, fraction } = candidate;
  if (model.kind === 'traffic') {
    const total = Math.round(candidate.traffic?.total ?? 0);
    const expected = model.expectedHourly * candidate.share;
    const direction = total >= expected ? 'up' : 'down';
    const logVariance = model.logVariance + candidate.shareLogVariance;
    return {
      model: model.model,
      direction,
      expected,
      score: scoreCount(total, expected, logVariance, direction),
    };
  }
  const expected = model.expectedRate(counts.total / fraction);
  const score =
    counts.total > 0 ? scoreCount(counts[model.metric], counts.total * expected, model.logVariance, 'up') : 0;
  return { model: model.model, direction: 'up', expected, score };
}

function leastAlarming(verdicts: readonly ModelVerdict[], direction: 'up' | 'down'): number {
  const expectations = verdicts.map((v) => v.expected);
  return direction === 'up' ? Math.max(...expectations) : Math.min(...expectations);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
