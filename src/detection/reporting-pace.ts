import { BLOCKS_PER_HOUR } from './blocks.js';
import type { HistoryHour } from './types.js';

/** Recent hours looked at to tell whether a source reports every minute. */
const REPORTING_HOURS = 168;
/** An hour expecting this many empty minutes is quiet: random lost minutes cannot pass for them. */
const MIN_QUIET_EMPTY_MINUTES = 6;
/** Empty minutes a week must be expected to have before their absence tells how a series posts … */
const MIN_EXPECTED_EMPTY_MINUTES = 30;
/** … spread over at least this many quiet hours: one or two are as likely a silence as the series' habit. */
const MIN_QUIET_HOURS = 3;
/** Minutes a week's volume must be able to fill before how few a series posts shows a coarser clock. */
const MIN_COARSE_EVIDENCE_MINUTES = 60;

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
 * Whether a missing minute of this series is a reporting gap (it posts every minute, idle or not) rather than a
 * minute without transactions (it posts only when there is something to post). Were an hour's n transactions
 * spread evenly (Poisson) over its minutes, 60·e^(−n/60) of them would be empty. Each of the last week's quiet
 * hours (≥ 6 empty minutes expected) votes: a series that posts only busy minutes misses about that many (more,
 * as traffic comes in clumps); one that posts every minute misses only its gaps, a minute or two an hour at most,
 * so an hour missing under half of them votes "every minute". With at least 30 empty minutes expected over at
 * least 3 quiet hours, the majority decides. Hours vote, not minutes: a busy source that went silent for most of
 * an hour, posting a stray row or two, has one such "quiet" hour missing nearly all of its minutes; summed
 * by minutes it outweighed every other hour and the source counted as posting only busy minutes, so its next
 * silence, within the week, was not judged at all. Otherwise — a series always too busy to have empty minutes,
 * or whose only quiet hours are a silence or two — it counts as posting every minute when it reported 50
 * minutes of its median hour.
 */
export function reportsEveryMinute(history: readonly HistoryHour[]): boolean {
  const minutes: number[] = [];
  let votes = 0;
  let quietHours = 0;
  let expectedEmpty = 0;
  for (let i = history.length - 1; i >= 0 && minutes.length < REPORTING_HOURS; i--) {
    const hour = history[i] as HistoryHour;
    if (hour.total === 0) continue;
    minutes.push(hour.minutes);
    const empty = 60 * Math.exp(-hour.total / 60);
    if (empty < MIN_QUIET_EMPTY_MINUTES) continue;
    quietHours++;
    expectedEmpty += empty;
    if ((60 - hour.minutes) * 2 < empty) votes++;
  }
  if (minutes.length === 0) return false;
  if (expectedEmpty >= MIN_EXPECTED_EMPTY_MINUTES && quietHours >= MIN_QUIET_HOURS)
    return votes * 2 > quietHours;
  minutes.sort((a, b) => a - b);
  return (minutes[minutes.length >> 1] as number) >= 50;
}

/**
 * The history with the hours that say nothing about a series' normal volume left out of its traffic baselines:
 * - a bulk reporter's hours without a row: for a series that posts an hour's total at once, an hour without a row
 *   is most often one lost post, not an hour without payments, and taken as zero it would make the same hour
 *   next week look like a surge. Marked as alerting on traffic, as the models already leave such hours out
 *   (unless they are most of the samples: a poster that no longer posts at that hour sets a new normal);
 * - an every-minute poster's hours with rows in under half their minutes: a reporting gap or a silence (the
 *   poster down with the system), which the hourly run reads as missing data and a tick may page. Its few rows
 *   are not the hour's traffic. Taken as its volume, a silence on a first Sunday at 10:00 made the next two
 *   Sundays' 10:00 read as surges of ×10 (payment seed 10). Marked `thin` (and alerting on traffic): left out
 *   even where it is the only sample. A whole silent hour stays as it is: the hourly run judges it, and a
 *   finding leaves it out.
 * Other series' history is returned as it is.
 */
export function withLostPostsOut(
  history: readonly HistoryHour[],
  pace = reportingPace(history),
): readonly HistoryHour[] {
  const thin = pace === 60;
  const lost =
    pace === 'bulk'
      ? (h: HistoryHour) => h.minutes === 0 && !h.alerting.has('traffic')
      : (h: HistoryHour) => thin && h.minutes > 0 && h.minutes * 2 < pace;
  if (!history.some(lost)) return history;
  const leftOut = (h: HistoryHour): HistoryHour => ({
    ...h,
    ...(thin ? { thin } : {}),
    alerting: new Set([...h.alerting, 'traffic']),
  });
  return history.map((h) => (lost(h) ? leftOut(h) : h));
}
