import { BLOCK_MS, BLOCKS_PER_HOUR, sumCounts } from './blocks.js';
import type { Candidate } from './candidate.js';
import { type HourProfile, hourProfile } from './hour-profile.js';
import { reportingPace } from './reporting-pace.js';
import type { DetectionSettings } from './settings.js';
import type { HistoryHour, WindowCounts } from './types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const BLOCK_MINUTES = 10;
/** A span is half an hour: three blocks. */
const SPAN_BLOCKS = 3;
/** A block with under this share of its rows reported (3 of 10 minutes) is too thin to fill in. */
const MIN_BLOCK_SHARE = 0.3;

/** The hour as the evaluator receives it. */
export interface HourCounts {
  readonly hourStart: number;
  readonly counts: WindowCounts;
  readonly blocks?: readonly WindowCounts[] | undefined;
}

/**
 * The windows of an hour that are judged: the whole hour first, then (with its six 10-minute blocks) the
 * sub-hour windows of windowLayout, each with `spanPenalty` × windowPenaltyShape more score to reach.
 *
 * Traffic: a sub-hour window expects its share of the hour's traffic from the hour's profile (hourProfile), not
 * an even spread, and is that much less sure of it. A source that reports every minute (reportsEveryMinute) is
 * judged on the minutes it reported, filled in at the window's own pace: a 20-minute reporting gap is missing
 * data, not an outage. A window with under half its minutes reported can only show a drop (its few rows, filled
 * in, far below what was expected: a busy source that posts a stray minute now and then in an outage), and a
 * whole hour of silence counts as zero traffic (an outage, or a reporter that died: either needs someone).
 * A source that posts only busy minutes is judged on its raw counts: its missing minutes had no transactions.
 */
export function candidateWindows(
  hour: HourCounts,
  history: readonly HistoryHour[],
  settings: DetectionSettings,
  pace = reportingPace(history),
): Candidate[] {
  // Counts posted in bulk (an hour's or a quarter's total at once) say nothing about parts of the hour.
  if (pace === 'bulk') {
    const whole = candidate('hour', hour.hourStart, 1, hour.counts, undefined, 0, undefined);
    // One lost post of an hourly poster silences a whole hour: only a second silent hour in a row is an outage.
    const lostPost = hour.counts.minutes === 0 && !silentBefore(history, hour.hourStart);
    return [lostPost ? { ...whole, traffic: undefined } : whole];
  }
  const full = candidate('hour', hour.hourStart, 1, hour.counts, hour.blocks, 0, pace);
  if (!hour.blocks || hour.blocks.length !== BLOCKS_PER_HOUR) return [full];
  const blocks = hour.blocks;
  const profile = hourProfile(history, hour.hourStart, BLOCKS_PER_HOUR);
  const shortest = Math.min(settings.shortestWindowMinutes, settings.shortestDropWindowMinutes);
  const parts = windowLayout(shortest).map(([first, length]) => {
    const part = blocks.slice(first, first + length);
    const start = hour.hourStart + first * BLOCK_MS;
    const penalty = settings.spanPenalty * windowPenaltyShape(length);
    const window = candidate('span', start, length / BLOCKS_PER_HOUR, sumCounts(part), part, penalty, pace);
    return withProfile(window, profile, first, length);
  });
  return [withProfile(full, profile, 0, BLOCKS_PER_HOUR), ...parts];
}

/** The window's expected share of the hour's traffic (and its blocks'), from the hour's profile. */
export function withProfile(
  window: Candidate,
  profile: HourProfile,
  first: number,
  length: number,
  lastFraction = 1,
): Candidate {
  const blockShares = partialShares(profile.shares, first, length, lastFraction);
  const whole = length === BLOCKS_PER_HOUR && lastFraction === 1;
  const share = whole ? 1 : blockShares.reduce((sum, x) => sum + x, 0);
  const shareLogVariance = whole ? 0 : profile.logVariance;
  return { ...window, share, blockShares, shareLogVariance };
}

/**
 * The shares of blocks [first, first + length) of an hour, the last one scaled to its elapsed `lastFraction`
 * (a tick between block boundaries: the hour's traffic taken as even within a block).
 */
export function partialShares(
  shares: readonly number[],
  first: number,
  length: number,
  lastFraction = 1,
): number[] {
  const part = shares.slice(first, first + length);
  if (lastFraction !== 1 && part.length > 0)
    part[part.length - 1] = (part[part.length - 1] ?? 0) * lastFraction;
  return part;
}

/**
 * The sub-hour windows judged, as [first block, blocks]: every half-hour span (:00–:30 … :30–:60: incidents
 * that ended inside the hour), and the tails that end with the hour and start later or earlier than :30 —
 * :10–:60, :20–:60 (incidents that began during the hour, judged on their own minutes instead of diluted in the
 * hour) and, down to `shortestMinutes`, :40–:60 (incidents that began late).
 */
export function windowLayout(shortestMinutes: number): (readonly [number, number])[] {
  const layout: (readonly [number, number])[] = [
    [1, 5],
    [2, 4],
    [0, SPAN_BLOCKS],
    [1, SPAN_BLOCKS],
    [2, SPAN_BLOCKS],
    [3, SPAN_BLOCKS],
  ];
  for (let length = SPAN_BLOCKS - 1; length * BLOCK_MINUTES >= shortestMinutes && length > 0; length--) {
    layout.push([BLOCKS_PER_HOUR - length, length]);
  }
  return layout;
}

/**
 * How much more score a window of `blocks` 10-minute blocks needs than the whole hour, relative to a half hour
 * (so `spanPenalty` is the half hour's penalty). The shape is the multiscale scan penalty of Dümbgen and
 * Spokoiny (2001): a window covering a fraction f of the hour is one of ≈ 1/f disjoint looks at the data, and
 * the largest of k independent z-scores grows like √(2 ln k); so the bar is √(2(1 + ln(6 / blocks))) − √2,
 * which is 0 for the hour, 0.29 of the half hour's penalty for 50 minutes, 0.62 for 40, 1.49 for 20.
 */
export function windowPenaltyShape(blocks: number): number {
  const bar = (b: number) => Math.sqrt(2 * (1 + Math.log(BLOCKS_PER_HOUR / b))) - Math.SQRT2;
  return bar(blocks) / bar(SPAN_BLOCKS);
}

/** A window of `fraction` of an hour starting at `start`, its traffic filled in at the series' `pace`. */
export function candidate(
  kind: Candidate['kind'],
  start: number,
  fraction: number,
  counts: WindowCounts,
  blocks: readonly WindowCounts[] | undefined,
  penalty: number,
  pace: number | undefined,
  lastBlockFraction = 1,
): Candidate {
  let traffic: Candidate['traffic'];
  const lastBlock = (blocks?.length ?? 0) - 1;
  if (pace === undefined) {
    traffic = { total: counts.total, blockTotals: (blocks ?? []).map((b) => b.total) };
  } else {
    // Rows the window and each block should hold at this pace (the last block partly elapsed at a tick between
    // block boundaries); what was reported is scaled up to them.
    const windowRows = fraction * pace;
    const rowsOf = (index: number) =>
      (pace / BLOCKS_PER_HOUR) * (index === lastBlock ? lastBlockFraction : 1);
    // Under half the rows reported (a silent clock hour aside) is too thin to judge either way, but a posted row
    // tells its minute's traffic, so the fill-in can still show a drop (Candidate.traffic.dropOnly); a block of
    // such a window is filled in from any row it has.
    const thin = counts.minutes * 2 < windowRows && !(kind === 'hour' && counts.minutes === 0);
    if (!thin || counts.minutes > 0) {
      const total = counts.minutes === 0 ? 0 : (counts.total * windowRows) / counts.minutes;
      const reported = (b: WindowCounts, rows: number) =>
        thin ? b.minutes > 0 : b.minutes >= MIN_BLOCK_SHARE * rows;
      const blockTotals = (blocks ?? []).map((b, i) =>
        reported(b, rowsOf(i)) ? (b.total * rowsOf(i)) / b.minutes : counts.minutes === 0 ? 0 : undefined,
      );
      traffic = thin ? { total, blockTotals, dropOnly: true } : { total, blockTotals };
    }
  }
  const blockShares = (blocks ?? []).map(
    (_, i) => ((i === lastBlock ? lastBlockFraction : 1) * fraction) / (lastBlock + lastBlockFraction),
  );
  return {
    kind,
    start,
    fraction,
    counts,
    blocks,
    penalty,
    traffic,
    share: fraction,
    blockShares,
    shareLogVariance: 0,
  };
}

/** Whether the hour before `hourStart` is in the history and had no rows. */
function silentBefore(history: readonly HistoryHour[], hourStart: number): boolean {
  const previous = history[history.length - 1];
  return previous !== undefined && previous.hourStart === hourStart - HOUR_MS && previous.minutes === 0;
}
