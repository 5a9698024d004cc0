import { createCalendar } from '../../../src/detection/calendar.js';
import type { HourInput } from '../../../src/detection/evaluate-hour.js';
import { historyHour } from '../../../src/detection/history.js';
import type { HistoryHour, Metric, WindowCounts } from '../../../src/detection/types.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** A Monday, 00:00 UTC: hour 0 of every history built here. */
export const START = Date.parse('2026-01-05T00:00:00Z');

/** What a synthetic series does at each local hour: transactions per hour and the share of each bad status. */
export interface Shape {
  readonly volume: (localHour: number) => number;
  readonly failed?: (localHour: number) => number;
  readonly denied?: (localHour: number) => number;
  readonly reversed?: (localHour: number) => number;
  /** Minutes reported per hour (default 60: a source that posts every minute). */
  readonly minutes?: number;
  readonly timeZone?: string;
  /** Use the shape's numbers as they are, without Poisson noise (for hand-computed expectations). */
  readonly exact?: boolean;
}

/**
 * A deterministic pseudo-random stream (mulberry32): the same seed always gives the same history, so tests are
 * exact, yet hours wander like Poisson counts instead of being suspiciously perfect.
 */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A Poisson draw: inversion below 50, a rounded normal above (plenty for tests). */
export function poisson(mean: number, next: () => number): number {
  if (mean <= 0) return 0;
  if (mean >= 50) {
    const normal = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  let k = 0;
  let term = Math.exp(-mean);
  let cumulative = term;
  const u = next();
  while (u > cumulative && k < 1000) {
    k++;
    term *= mean / k;
    cumulative += term;
  }
  return k;
}

/** One hour's counts drawn from the shape at `localHour`. */
export function drawCounts(shape: Shape, localHour: number, next: () => number): WindowCounts {
  const count = (mean: number) => (shape.exact ? Math.round(mean) : poisson(mean, next));
  const total = count(shape.volume(localHour));
  const draw = (share?: (h: number) => number) => Math.min(total, count(total * (share?.(localHour) ?? 0)));
  return {
    minutes: total > 0 ? (shape.minutes ?? 60) : 0,
    total,
    failed: draw(shape.failed),
    denied: draw(shape.denied),
    reversed: draw(shape.reversed),
  };
}

/** `days` days of hourly history from START, oldest first, drawn with `seed`; hours in `alerting` marked so. */
export function buildHistory(
  shape: Shape,
  days: number,
  seed = 1,
  alerting: ReadonlyMap<number, ReadonlySet<Metric>> = new Map(),
): HistoryHour[] {
  const calendar = createCalendar(shape.timeZone ?? 'UTC');
  const next = random(seed);
  return Array.from({ length: days * 24 }, (_, i) => {
    const hourStart = START + i * HOUR_MS;
    const { localHour } = calendar.position(hourStart);
    return historyHour(hourStart, drawCounts(shape, localHour, next), calendar, alerting.get(hourStart));
  });
}

/** Six 10-minute blocks that add up to `counts` (remainders go to the first blocks). */
export function evenBlocks(counts: WindowCounts): WindowCounts[] {
  const split = (value: number, i: number) => Math.floor(value / 6) + (i < value % 6 ? 1 : 0);
  return Array.from({ length: 6 }, (_, i) => ({
    minutes: split(counts.minutes, i),
    total: split(counts.total, i),
    failed: split(counts.failed, i),
    denied: split(counts.denied, i),
    reversed: split(counts.reversed, i),
  }));
}

/** The hour right after `history`, to be evaluated with `counts` (and blocks, when given). */
export function nextHour(
  history: readonly HistoryHour[],
  counts: WindowCounts,
  blocks?: readonly WindowCounts[],
  timeZone = 'UTC',
): HourInput {
  const last = history[history.length - 1];
  const hourStart = last ? last.hourStart + HOUR_MS : START;
  return {
    source: 'card-eu',
    environment: 'production',
    hourStart,
    evaluatedAt: hourStart + HOUR_MS + 2 * 60_000,
    counts,
    blocks,
    position: createCalendar(timeZone).position(hourStart),
  };
}

/** History up to (not including) the next hour whose local hour is `localHour`. */
export function historyUntilLocalHour(history: readonly HistoryHour[], localHour: number): HistoryHour[] {
  let end = history.length;
  while (end > 0 && ((history[end - 1] as HistoryHour).localHour + 1) % 24 !== localHour) end--;
  return history.slice(0, end);
}
