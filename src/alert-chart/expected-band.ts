import type { Candidate, MetricModel, MetricModels } from '../detection/candidate.js';
import { windowPenaltyShape } from '../detection/candidate-windows.js';
import { scoreCount } from '../detection/count-score.js';
import type { DetectionSettings } from '../detection/settings.js';
import type { Metric } from '../detection/types.js';
import { matters, windowSettings } from '../detection/window-rules.js';

/** One bucket of the chart to give an expectation for: its length and what it held. */
export interface BandBucket {
  readonly start: number;
  /** 60 for an hour, 10 for a block. */
  readonly minutes: number;
  /** All transactions in the bucket (a rate's band depends on the volume it is judged at). */
  readonly total: number;
  /** For traffic in a block: the block's expected share of its hour's traffic (hourProfile); 1 for an hour. */
  readonly share: number;
  /** Extra log-variance of that share (0 for an hour). */
  readonly shareLogVariance: number;
}

/**
 * The expected value of a bucket and its band, in the metric's own counts: status transactions (rates) or
 * all transactions (traffic) in the bucket. `low`/`high` are null when no count at this volume would page.
 */
export interface CountBand {
  readonly expected: number;
  readonly low: number | null;
  readonly high: number | null;
}

/**
 * What the models expect of `metric` in one bucket and the band within which they would NOT alert — the
 * pure seam that a stored per-hour band (expectations kept per series and hour) can later replace.
 *
 * `models` are what `metricModels` gives at the bucket's hour with the history before it. Each count x is
 * judged as `decide` judges a window of the bucket's length: every model scores it with `scoreCount` (expected
 * count and log-variance exactly as for a window), the strongest must reach `threshold` + the window's penalty
 * and the weakest `confirmThreshold`, a z-score model must be among them (the tree never fires alone), and the
 * deviation must matter (`matters`: rate factor and rise, excess per hour, traffic factors). The band's upper
 * edge is the smallest count that fires upwards, its lower edge the largest that fires downwards — found by
 * bisection, since every score and rule is monotone in x. Rates page only on rises: their lower edge is 0.
 * The expected value is the least alarming of the models' (what a finding reports as normal): the highest
 * for rates, the z-score's for traffic (the model that may fire alone). Undefined without models.
 */
export function expectedBandOf(
  metric: Metric,
  models: MetricModels,
  bucket: BandBucket,
  settings: DetectionSettings,
): CountBand | undefined {
  if (models.length === 0) return undefined;
  const judge = judgeOf(metric, models, bucket, settings);
  if (metric !== 'traffic') {
    if (bucket.total <= 0) return undefined;
    const expected = Math.max(...models.map((m) => judge.expectedOf(m)));
    return { expected, low: 0, high: smallestFiring(judge.fires, 'up', bucket.total) ?? null };
  }
  const reference = models.find((m) => m.model !== 'tree') ?? (models[0] as MetricModel);
  const expected = judge.expectedOf(reference);
  const ceiling = Math.ceil(Math.max(...models.map((m) => judge.expectedOf(m))) * 20 + 1000);
  const high = smallestFiring(judge.fires, 'up', ceiling);
  const low = judge.fires(0, 'down') ? largestFiring(judge.fires, Math.floor(expected)) : 0;
  return { expected, low, high: high ?? null };
}

type Fires = (count: number, direction: 'up' | 'down') => boolean;

/** How a count in this bucket is judged: each model's expected count, and whether a count would fire. */
function judgeOf(metric: Metric, models: MetricModels, bucket: BandBucket, base: DetectionSettings) {
  const fraction = bucket.minutes / 60;
  const blocks = Math.max(1, Math.round(bucket.minutes / 10));
  const penalty = fraction >= 1 ? 0 : base.spanPenalty * windowPenaltyShape(blocks);
  const settings = windowSettings(models, candidateOf(bucket, fraction, penalty), base);
  const expectedOf = (model: MetricModel) =>
    model.kind === 'traffic'
      ? model.expectedHourly * bucket.share
      : bucket.total * model.expectedRate(bucket.total / fraction);
  const logVarianceOf = (model: MetricModel) =>
    model.kind === 'traffic' ? model.logVariance + bucket.shareLogVariance : model.logVariance;
  const fires: Fires = (count, direction) => {
    const scores = models.map((m) => scoreCount(count, expectedOf(m), logVarianceOf(m), direction));
    const strongest = Math.max(...scores);
    if (strongest < settings.threshold + penalty || Math.min(...scores) < settings.confirmThreshold)
      return false;
    const expectations = models.map(expectedOf);
    const expected = direction === 'up' ? Math.max(...expectations) : Math.min(...expectations);
    const excessPerHour = (count - expected) / Math.max(1, fraction);
    return metric === 'traffic'
      ? matters(metric, direction, count, expected, excessPerHour, settings)
      : matters(metric, direction, count / bucket.total, expected / bucket.total, excessPerHour, settings);
  };
  return { expectedOf, fires: models.some((m) => m.model !== 'tree') ? fires : () => false };
}

/** The smallest count in [0, limit] that fires in `direction` (monotone), or undefined if none does. */
function smallestFiring(fires: Fires, direction: 'up', limit: number): number | undefined {
  if (!fires(limit, direction)) return undefined;
  let [low, high] = [-1, limit];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fires(middle, direction)) high = middle;
    else low = middle;
  }
  return high;
}

/** The largest count in [0, limit] that fires downwards, given that 0 does. */
function largestFiring(fires: Fires, limit: number): number {
  let [low, high] = [0, Math.max(1, limit + 1)];
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fires(middle, 'down')) low = middle;
    else high = middle;
  }
  return low;
}

/** The window `windowSettings` reads (only its kind matters there): an hour, or a sub-hour span. */
function candidateOf(bucket: BandBucket, fraction: number, penalty: number): Candidate {
  const counts = { minutes: bucket.minutes, total: bucket.total, failed: 0, denied: 0, reversed: 0 };
  return {
    kind: fraction >= 1 ? 'hour' : 'span',
    start: bucket.start,
    fraction,
    counts,
    blocks: undefined,
    traffic: undefined,
    penalty,
    share: bucket.share,
    blockShares: [],
    shareLogVariance: bucket.shareLogVariance,
  };
}
