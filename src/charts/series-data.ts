import type { ExpectedPoint, ObservedPoint } from './alert-chart-input.js';

/** A point as ECharts takes it: [x (epoch ms), y]; a `null` y breaks the line there. */
export type XY = [number, number | null];

interface Bucket {
  readonly start: number;
  readonly minutes: number;
}

const MINUTE_MS = 60_000;

/**
 * One point per bucket at the bucket's middle, sorted by start, with a break (`null`) wherever a bucket does
 * not start where the previous one ended: the line shows missing data as a gap instead of bridging it.
 * A bucket whose value is `null` is a gap too.
 */
export function lineData<T extends Bucket>(buckets: readonly T[], value: (bucket: T) => number | null): XY[] {
  const sorted = [...buckets].sort((a, b) => a.start - b.start);
  const data: XY[] = [];
  let previousEnd: number | undefined;
  for (const bucket of sorted) {
    const end = bucket.start + bucket.minutes * MINUTE_MS;
    if (previousEnd !== undefined && bucket.start > previousEnd) data.push([previousEnd, null]);
    data.push([bucket.start + (end - bucket.start) / 2, finiteOrNull(value(bucket))]);
    previousEnd = end;
  }
  return data;
}

/** Points with a value whose neighbours are gaps: a line cannot show them, so they are drawn as dots. */
export function isolatedPoints(data: readonly XY[]): XY[] {
  return data.filter(
    ([, y], i) => y !== null && (data[i - 1]?.[1] ?? null) === null && (data[i + 1]?.[1] ?? null) === null,
  );
}

/** The observed line. */
export function observedData(points: readonly ObservedPoint[]): XY[] {
  return lineData(points, (p) => p.value);
}

/** The expected line. */
export function expectedData(points: readonly ExpectedPoint[]): XY[] {
  return lineData(points, (p) => p.expected);
}

/**
 * The band as two stacked series: its lower edge, and its height on top of that (and its upper edge, for the
 * axis). Both are gaps where either
 * edge is missing (cold start), so no shading is drawn there. A band given upside down is put right.
 */
export function bandData(points: readonly ExpectedPoint[]): { lower: XY[]; height: XY[]; upper: XY[] } {
  const low = (p: ExpectedPoint) => (p.low === null || p.high === null ? null : Math.min(p.low, p.high));
  const high = (p: ExpectedPoint) => (p.low === null || p.high === null ? null : Math.max(p.low, p.high));
  const lower = lineData(points, low);
  const upper = lineData(points, high);
  const height = upper.map(([x, y], i): XY => {
    const base = lower[i]?.[1] ?? null;
    return [x, y === null || base === null ? null : y - base];
  });
  return { lower, height, upper };
}

/**
 * The points a panel of [from, to] draws: those inside, plus one neighbour each side so the line runs on to
 * the edge. `data` is sorted by x (as `lineData` makes it); series of the same buckets stay aligned.
 */
export function withinRange(data: readonly XY[], from: number, to: number): XY[] {
  const first = data.findIndex(([x]) => x >= from);
  if (first === -1) return data.slice(-1);
  const after = data.findIndex(([x]) => x > to);
  return data.slice(Math.max(0, first - 1), after === -1 ? data.length : after + 1);
}

/** The highest value drawn within [from, to] (observed, expected, band top); 0 when there is none. */
export function highestValue(series: readonly (readonly XY[])[], from: number, to: number): number {
  let highest = 0;
  for (const data of series) {
    for (const [x, y] of data) if (y !== null && x >= from && x <= to && y > highest) highest = y;
  }
  return highest;
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
