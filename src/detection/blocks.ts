import type { WindowCounts } from './types.js';

const MINUTE_MS = 60_000;
/** An hour is judged in six 10-minute blocks when minute data is at hand. */
export const BLOCKS_PER_HOUR = 6;
export const BLOCK_MS = 10 * MINUTE_MS;

/**
 * The blocks of the clock hour starting `hourStart` that hold minutes before a tick at `at` (any whole minute
 * inside the hour or at its end): the complete ones and, when `at` is not on a 10-minute boundary, the block it
 * falls in, partly elapsed. `lastFraction` is the elapsed share of the last block (1 on a boundary).
 */
export function blocksBefore(hourStart: number, at: number): { count: number; lastFraction: number } {
  const elapsed = at - hourStart;
  const count = Math.ceil(elapsed / BLOCK_MS);
  return { count, lastFraction: count === 0 ? 1 : (elapsed - (count - 1) * BLOCK_MS) / BLOCK_MS };
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
