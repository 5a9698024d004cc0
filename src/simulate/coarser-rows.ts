import type { CountRow, SimEvent } from './types.js';

const MINUTE_MS = 60_000;

/**
 * The rows summed into `everyMinutes`-minute rows, each stamped at its first minute, still sorted by minute: the
 * same traffic as a system that posts (or an export that holds) one row per 5, 15 or 60 minutes would give it.
 * Rows come sorted by minute, so a bucket is complete once a row of a later bucket arrives; within a bucket the
 * rows are sorted by source, then environment, as the simulator sorts a minute's. A row whose last minute a
 * reporting gap covers is left out whole: that post was lost. 1 gives the rows as they are.
 */
export function* coarserRows(
  rows: Iterable<CountRow>,
  everyMinutes: number,
  reportingGaps: readonly SimEvent[] = [],
): Generator<CountRow> {
  if (everyMinutes === 1) {
    yield* rows;
    return;
  }
  const bucketMs = everyMinutes * MINUTE_MS;
  const gapsOf = new Map<string, SimEvent[]>();
  for (const gap of reportingGaps) {
    const key = `${gap.source}\u0000${gap.environment}`;
    gapsOf.set(key, [...(gapsOf.get(key) ?? []), gap]);
  }
  // A coarser poster posts a row once its last minute is over; a gap over that minute loses the whole row.
  const lost = (key: string, start: number) => {
    const lastMinute = start + bucketMs - MINUTE_MS;
    return gapsOf.get(key)?.some((gap) => gap.startMs <= lastMinute && lastMinute < gap.endMs) ?? false;
  };
  let current = Number.NaN;
  let sums = new Map<string, { source: string; environment: string; counts: number[] }>();
  const flush = function* () {
    const bySeries = [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, sum] of bySeries) if (!lost(key, current)) yield { minuteMs: current, ...sum };
    sums = new Map();
  };
  for (const row of rows) {
    const bucket = Math.floor(row.minuteMs / bucketMs) * bucketMs;
    if (bucket !== current) {
      yield* flush();
      current = bucket;
    }
    const key = `${row.source}\u0000${row.environment}`;
    const sum = sums.get(key);
    if (sum) for (const [i, count] of row.counts.entries()) sum.counts[i] = (sum.counts[i] ?? 0) + count;
    else sums.set(key, { source: row.source, environment: row.environment, counts: [...row.counts] });
  }
  yield* flush();
}
