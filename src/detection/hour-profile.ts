import { median } from './stats.js';
import type { HistoryHour } from './types.js';

const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;
const DAY_HOURS = 24;
/** Past weeks (or days) whose hours around the evaluated one shape its profile. */
const PROFILE_PERIODS = 4;

/**
 * How one hour's traffic is expected to spread over its 10-minute blocks, and how unsure that is.
 * `shares` sum to 1; `logVariance` is the extra log-scale variance of a sub-hour window's share.
 */
export interface HourProfile {
  readonly shares: readonly number[];
  readonly logVariance: number;
}

/**
 * The expected within-hour shape of a series' traffic, for judging parts of an hour against the hour's
 * expectation. Hourly history cannot see inside an hour, so the shape is inferred from the hours around it:
 * a = the previous hour's volume, b = this hour's, c = the next hour's (medians of the same hours of the last
 * 4 weeks — or days, in the first week), and the traffic rate is taken as linear between the hours' midpoints
 * (a at −½ h, b at +½ h, c at 1½ h), integrated over each block and normalised to sum 1. On a morning ramp the
 * first half-hour then expects less than half the hour; in a zone offset by half an hour (India) the hour that
 * holds local midnight expects its second half to follow the next day's level.
 *
 * A step inside the hour (a weekday ending at local :30) looks linear at hourly resolution, so a sub-hour share
 * is uncertain by up to ½·ln(c/a); taken as uniform, that is a log-variance of ln²(c/a)/12, added to the
 * window's spread. Hours of a flat stretch get ≈ equal shares and no extra variance.
 */
export function hourProfile(history: readonly HistoryHour[], hourStart: number, blocks = 6): HourProfile {
  const period = history.length > WEEK_HOURS ? WEEK_HOURS : DAY_HOURS;
  const [a, b, c] = [-1, 0, 1].map((offset) => sameHourMedian(history, hourStart, period, offset) + 0.5) as [
    number,
    number,
    number,
  ];
  const rate = (t: number) => (t < 0.5 ? a + (b - a) * (t + 0.5) : b + (c - b) * (t - 0.5));
  // With an even number of blocks ½ h is a block boundary, so the rate is linear in each block: trapezoids are exact.
  const raw = Array.from({ length: blocks }, (_, i) => (rate(i / blocks) + rate((i + 1) / blocks)) / 2);
  const sum = raw.reduce((s, x) => s + x, 0);
  return { shares: raw.map((x) => x / sum), logVariance: Math.log(c / a) ** 2 / 12 };
}

/** Median volume of the hour `offset` hours from `hourStart`, one to PROFILE_PERIODS periods back; 0 if none. */
function sameHourMedian(
  history: readonly HistoryHour[],
  hourStart: number,
  period: number,
  offset: number,
): number {
  const last = history[history.length - 1];
  if (!last) return 0;
  const volumes: number[] = [];
  for (let k = 1; k <= PROFILE_PERIODS; k++) {
    const at = hourStart + (offset - k * period) * HOUR_MS;
    const index = history.length - 1 - (last.hourStart - at) / HOUR_MS;
    const hour = history[index];
    if (hour && hour.hourStart === at && hour.thin !== true) volumes.push(hour.total);
  }
  return median(volumes) ?? 0;
}
