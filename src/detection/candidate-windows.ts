import { type HourProfile, hourProfile } from './hour-profile.js';
import type { DetectionSettings } from './settings.js';
import type { HistoryHour, WindowCounts } from './types.js';
import type { Candidate } from './window-verdict.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** An hour is judged in six 10-minute blocks when minute data is at hand. */
export const BLOCKS_PER_HOUR = 6;
export const BLOCK_MS = 10 * MINUTE_MS;
const BLOCK_MINUTES = 10;
/** A span is half an hour: three blocks. */
const SPAN_BLOCKS = 3;
/** Recent hours looked at to tell whether a source reports every minute. */
const REPORTING_HOURS = 168;
/** An hour expecting this many empty minutes is quiet: random lost minutes cannot pass for them. */
const MIN_QUIET_EMPTY_MINUTES = 6;
/** Empty minutes a week must be expected to have before their absence tells how a series posts. */
const MIN_EXPECTED_EMPTY_MINUTES = 30;
/** Minutes a week's volume must be able to fill before how few a series posts shows a coarser clock. */
const MIN_COARSE_EVIDENCE_MINUTES = 60;
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
 * data, not an outage. A window with under half its minutes reported is not judged for traffic — except a whole
 * hour of silence, which counts as zero traffic (an outage, or a reporter that died: either needs someone).
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
function withProfile(window: Candidate, profile: HourProfile, first: number, length: number): Candidate {
  const blockShares = profile.shares.slice(first, first + length);
  const share = length === BLOCKS_PER_HOUR ? 1 : blockShares.reduce((sum, x) => sum + x, 0);
  const shareLogVariance = length === BLOCKS_PER_HOUR ? 0 : profile.logVariance;
  return { ...window, share, blockShares, shareLogVariance };
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

function candidate(
  kind: Candidate['kind'],
  start: number,
  fraction: number,
  counts: WindowCounts,
  blocks: readonly WindowCounts[] | undefined,
  penalty: number,
  pace: number | undefined,
): Candidate {
  let traffic: Candidate['traffic'];
  if (pace === undefined) {
    traffic = { total: counts.total, blockTotals: (blocks ?? []).map((b) => b.total) };
  } else {
    // Rows the window and each block should hold at this pace; what was reported is scaled up to them.
    const windowRows = fraction * pace;
    const blockRows = pace / BLOCKS_PER_HOUR;
    if (counts.minutes * 2 >= windowRows || (kind === 'hour' && counts.minutes === 0)) {
      const total = counts.minutes === 0 ? 0 : (counts.total * windowRows) / counts.minutes;
      const blockTotals = (blocks ?? []).map((b) =>
        b.minutes >= MIN_BLOCK_SHARE * blockRows
          ? (b.total * blockRows) / b.minutes
          : counts.minutes === 0
            ? 0
            : undefined,
      );
      traffic = { total, blockTotals };
    }
  }
  const blockShares = (blocks ?? []).map(() => fraction / (blocks?.length ?? 1));
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

/**
 * Whether a missing minute of this series is a reporting gap (it posts every minute, idle or not) rather than a
 * minute without transactions (it posts only when there is something to post). Were an hour's n transactions
 * spread evenly (Poisson) over its minutes, 60·e^(−n/60) of them would be empty. Over the last week's quiet hours
 * (≥ 6 empty minutes expected), a series that posts only busy minutes misses about that many (more, as traffic
 * comes in clumps); one that posts every minute misses only its gaps, a minute or two an hour at most. With at
 * least 30 empty minutes expected: it posts every minute when it missed under half of them. A series always too
 * busy to have empty minutes counts as posting every minute when it reported 50 minutes of its median hour.
 */
export function reportsEveryMinute(history: readonly HistoryHour[]): boolean {
  const minutes: number[] = [];
  let missing = 0;
  let expectedEmpty = 0;
  for (let i = history.length - 1; i >= 0 && minutes.length < REPORTING_HOURS; i--) {
    const hour = history[i] as HistoryHour;
    if (hour.total === 0) continue;
    minutes.push(hour.minutes);
    const empty = 60 * Math.exp(-hour.total / 60);
    if (empty < MIN_QUIET_EMPTY_MINUTES) continue;
    missing += 60 - hour.minutes;
    expectedEmpty += empty;
  }
  if (minutes.length === 0) return false;
  if (expectedEmpty >= MIN_EXPECTED_EMPTY_MINUTES) return missing < expectedEmpty / 2;
  minutes.sort((a, b) => a - b);
  return (minutes[minutes.length >> 1] as number) >= 50;
}

/**
 * How this series posts, from the last week's hours with traffic: the rows it posts an hour when nothing is
 * lost (its gaps are then filled in at that pace), `'bulk'` when its rows are too few to show how an hour's
 * traffic spread over its blocks (it is judged on whole hours only), or undefined for a series that posts only
 * the minutes that had transactions (judged on its raw counts).
 *
 * Were each transaction posted in its own minute, an hour of n would fill 60·(1 − e^(−n/60)) minutes (Poisson).
 * A series posting under a third of the minutes its volume would fill (with at least 60 such minutes to go by)
 * posts on a coarser clock — every 5 or 10 minutes, or an hour's or quarter's total at once, as exports of
 * count series do — and its pace is its median hour's rows: under one a block (6) is bulk. Otherwise it posts
 * every minute (pace 60) when reportsEveryMinute says so. A quiet series posting its few busy minutes fills about
 * as many minutes as its transactions allow, so it is none of these.
 */
export function reportingPace(history: readonly HistoryHour[]): number | 'bulk' | undefined {
  const reported: number[] = [];
  let reportedSum = 0;
  let possibleSum = 0;
  for (let i = history.length - 1; i >= 0 && reported.length < REPORTING_HOURS; i--) {
    const hour = history[i] as HistoryHour;
    if (hour.total === 0) continue;
    reported.push(hour.minutes);
    reportedSum += hour.minutes;
    possibleSum += 60 * (1 - Math.exp(-hour.total / 60));
  }
  if (possibleSum >= MIN_COARSE_EVIDENCE_MINUTES && reportedSum * 3 < possibleSum) {
    reported.sort((a, b) => a - b);
    const median = reported[reported.length >> 1] as number;
    return median < BLOCKS_PER_HOUR ? 'bulk' : median;
  }
  return reportsEveryMinute(history) ? 60 : undefined;
}

/**
 * The history with a bulk reporter's silent hours left out of its traffic baselines (marked as alerting on
 * traffic, as the models already leave such hours out): for a series that posts an hour's total at once, an hour
 * without a row is most often one lost post, not an hour without payments, and taken as zero it would make the
 * same hour next week look like a surge. Other series' history is returned as it is.
 */
export function withLostPostsOut(
  history: readonly HistoryHour[],
  pace = reportingPace(history),
): readonly HistoryHour[] {
  if (pace !== 'bulk') return history;
  return history.map((h) =>
    h.minutes === 0 && !h.alerting.has('traffic')
      ? { ...h, alerting: new Set([...h.alerting, 'traffic']) }
      : h,
  );
}

/** Whether the hour before `hourStart` is in the history and had no rows. */
function silentBefore(history: readonly HistoryHour[], hourStart: number): boolean {
  const previous = history[history.length - 1];
  return previous !== undefined && previous.hourStart === hourStart - HOUR_MS && previous.minutes === 0;
}

/** Adds up window counts (e.g. 10-minute blocks into a half hour). */
export function sumCounts(parts: readonly WindowCounts[]): WindowCounts {
  const sum = { minutes: 0, total: 0, failed: 0, denied: 0, reversed: 0 };
  for (const part of parts) {
    sum.minutes += part.minutes;
    sum.total += part.total;
    sum.failed += part.failed;
    sum.denied += part.denied;
    sum.reversed += part.reversed;
  }
  return sum;
}
