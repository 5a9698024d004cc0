import type { Candidate } from '../../../src/detection/candidate.js';
import type { WindowCounts } from '../../../src/detection/types.js';

export const HOUR_START = Date.parse('2026-11-21T17:00:00Z');

/**
 * The hour 17:00–18:00 as one window: six 10-minute blocks of 2,000 transactions each (12,000 in all), the
 * failures of each block as given, every minute reported, traffic spread evenly over the blocks.
 */
export function hourWindow(failedPerBlock: readonly number[], over: Partial<Candidate> = {}): Candidate {
  const blocks: WindowCounts[] = failedPerBlock.map((failed) => ({
    minutes: 10,
    total: 2000,
    failed,
    denied: 0,
    reversed: 0,
  }));
  const total = blocks.reduce((n, b) => n + b.total, 0);
  return {
    kind: 'hour',
    start: HOUR_START,
    fraction: 1,
    counts: {
      minutes: 60,
      total,
      failed: failedPerBlock.reduce((n, f) => n + f, 0),
      denied: 0,
      reversed: 0,
    },
    blocks,
    traffic: { total, blockTotals: blocks.map((b) => b.total) },
    penalty: 0,
    share: 1,
    blockShares: blocks.map(() => 1 / blocks.length),
    shareLogVariance: 0,
    ...over,
  };
}
