import type { Candidate } from './candidate.js';
import type { DetectionSettings } from './settings.js';
import type { Metric, RateMetric } from './types.js';

/** Counts below this in a block are too few to say whether the block deviates. */
const MIN_BLOCK_EXPECTED = 5;

/** One block of a window: what was seen of the metric (transactions of the status, or all) and what was expected. */
interface Block {
  readonly observed: number;
  readonly expected: number;
}

/**
 * Whether a deviation holds across the window rather than in one burst. `expected` is the window's expected
 * rate (rate metrics) or transactions (traffic). A block deviates when it is at least halfway to the window's
 * factor: ×(1 + (minRateFactor − 1)/2) for rates, halfway to `trafficSurgeFactor` or `trafficDropFactor` for
 * traffic.
 * - Blocks expecting ≥ 5 transactions can be judged one by one: at least `minSustainedShare` of them
 *   (surges: `surgeSustainedShare`), and at least two when there are two — a blip is over in ten minutes.
 * - When fewer than two blocks can be judged, the counts are too thin for that: the window must still deviate
 *   halfway with its most deviating block taken out, so no single 10-minute block carries it alone.
 * A window of one block (a drop in the hour's last ten minutes) is sustained by definition.
 */
export function sustained(
  metric: Metric,
  direction: 'up' | 'down',
  expected: number,
  candidate: Candidate,
  settings: DetectionSettings,
): boolean {
  const blocks = blocksOf(metric, expected, candidate);
  if (blocks.length <= 1) return true;
  const deviates = deviatesHalfway(metric, direction, settings);
  const informative = blocks.filter((b) => b.expected >= MIN_BLOCK_EXPECTED);
  if (informative.length >= 2) {
    const share =
      metric === 'traffic' && direction === 'up' ? settings.surgeSustainedShare : settings.minSustainedShare;
    const required = Math.max(Math.ceil(share * informative.length), 2);
    return informative.filter(deviates).length >= required;
  }
  const sign = direction === 'up' ? 1 : -1;
  const strongest = blocks.reduce((a, b) =>
    sign * (b.observed - b.expected) > sign * (a.observed - a.expected) ? b : a,
  );
  const rest = blocks.filter((b) => b !== strongest);
  return deviates({
    observed: rest.reduce((s, b) => s + b.observed, 0),
    expected: rest.reduce((s, b) => s + b.expected, 0),
  });
}

/**
 * Whether the deviation is still there in the window's last 10-minute block (halfway, as `sustained` judges a
 * block): at a tick, a window whose incident has ended is history, not news — the hourly run judges it whole.
 * A last block expecting under 5 transactions (rates) cannot tell and counts as still there; so does an
 * unreported last block of a drop.
 */
export function stillThere(
  metric: Metric,
  direction: 'up' | 'down',
  expected: number,
  candidate: Candidate,
  settings: DetectionSettings,
): boolean {
  const last = (candidate.blocks?.length ?? 0) - 1;
  if (last < 0) return true;
  const block = blockAt(metric, expected, candidate, last);
  if (!block) return direction === 'down';
  if (block.expected < MIN_BLOCK_EXPECTED) return true;
  return deviatesHalfway(metric, direction, settings)(block);
}

/** Whether a block (or a sum of blocks) is at least halfway to the window's factor, in the window's direction. */
function deviatesHalfway(metric: Metric, direction: 'up' | 'down', settings: DetectionSettings) {
  const halfway = halfwayFactor(metric, direction, settings);
  return (b: Block) =>
    direction === 'up' ? b.observed >= b.expected * halfway : b.observed <= b.expected * halfway;
}

function halfwayFactor(metric: Metric, direction: 'up' | 'down', settings: DetectionSettings): number {
  if (metric !== 'traffic') return 1 + (settings.minRateFactor - 1) / 2;
  return direction === 'up'
    ? 1 + (settings.trafficSurgeFactor - 1) / 2
    : 1 - (1 - settings.trafficDropFactor) / 2;
}

/** The window's blocks as observed and expected counts; traffic blocks too thinly reported to fill are left out. */
function blocksOf(metric: Metric, expected: number, candidate: Candidate): Block[] {
  return (candidate.blocks ?? []).flatMap((_, index) => {
    const block = blockAt(metric, expected, candidate, index);
    return block ? [block] : [];
  });
}

/** One block as observed and expected counts; undefined for a traffic block too thinly reported to fill. */
function blockAt(metric: Metric, expected: number, candidate: Candidate, index: number): Block | undefined {
  const b = candidate.blocks?.[index];
  if (!b) return undefined;
  if (metric !== 'traffic') return { observed: b[metric as RateMetric], expected: expected * b.total };
  const observed = candidate.traffic?.blockTotals[index];
  const share = (candidate.blockShares[index] ?? 0) / candidate.share;
  return observed === undefined ? undefined : { observed, expected: expected * share };
}
