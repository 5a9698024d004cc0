import { describe, expect, it } from 'vitest';
import type { ExpectedPoint, ObservedPoint } from '../../src/charts/alert-chart-input.js';
import {
  bandData,
  highestValue,
  isolatedPoints,
  observedData,
  withinRange,
  type XY,
} from '../../src/charts/series-data.js';

const T = Date.parse('2026-11-21T10:00:00Z');
const MIN = 60_000;
const obs = (minute: number, minutes: number, value: number | null): ObservedPoint => ({
  start: T + minute * MIN,
  minutes,
  value,
});
const exp = (minute: number, low: number | null, high: number | null): ExpectedPoint => ({
  start: T + minute * MIN,
  minutes: 60,
  expected: 0.01,
  low,
  high,
});
const minutesOf = (data: readonly XY[]) => data.map(([x, y]) => [(x - T) / MIN, y]);

describe('observedData', () => {
  it('draws each bucket at its middle, hourly and 10-minute buckets on one time axis', () => {
    expect(minutesOf(observedData([obs(0, 60, 0.01), obs(60, 10, 0.02), obs(70, 10, 0.03)]))).toEqual([
      [30, 0.01],
      [65, 0.02],
      [75, 0.03],
    ]);
  });

  it('breaks the line where buckets are missing, instead of drawing across them', () => {
    expect(minutesOf(observedData([obs(0, 60, 0.01), obs(180, 60, 0.02)]))).toEqual([
      [30, 0.01],
      [60, null],
      [210, 0.02],
    ]);
  });

  it('shows a bucket without a value as a gap', () => {
    expect(minutesOf(observedData([obs(0, 10, 0.01), obs(10, 10, null), obs(20, 10, Number.NaN)]))).toEqual([
      [5, 0.01],
      [15, null],
      [25, null],
    ]);
  });

  it('sorts buckets given out of order', () => {
    expect(minutesOf(observedData([obs(60, 60, 0.02), obs(0, 60, 0.01)]))).toEqual([
      [30, 0.01],
      [90, 0.02],
    ]);
  });
});

describe('isolatedPoints', () => {
  it('finds values with a gap on both sides (a line cannot show them)', () => {
    const data = observedData([obs(0, 60, 0.01), obs(120, 60, 0.02), obs(240, 60, 0.03), obs(300, 60, 0.04)]);
    expect(minutesOf(isolatedPoints(data))).toEqual([
      [30, 0.01],
      [150, 0.02],
    ]);
  });
});

describe('bandData', () => {
  it('stacks the band as its lower edge and its height', () => {
    const band = bandData([exp(0, 0.004, 0.016), exp(60, 0.005, 0.02)]);
    expect(minutesOf(band.lower)).toEqual([
      [30, 0.004],
      [90, 0.005],
    ]);
    expect(band.height.map(([, y]) => Number(y?.toFixed(6)))).toEqual([0.012, 0.015]);
  });

  it('leaves the band out where the models have none yet (cold start)', () => {
    const band = bandData([exp(0, null, null), exp(60, 0.004, null), exp(120, 0.004, 0.016)]);
    expect(band.lower.map(([, y]) => y)).toEqual([null, null, 0.004]);
    expect(band.height.map(([, y]) => (y === null ? null : Number(y.toFixed(6))))).toEqual([
      null,
      null,
      0.012,
    ]);
  });

  it('puts a band given upside down right', () => {
    const band = bandData([exp(0, 0.016, 0.004)]);
    expect(band.lower[0]?.[1]).toBe(0.004);
    expect(band.upper[0]?.[1]).toBe(0.016);
  });
});

describe('withinRange', () => {
  const data: XY[] = [10, 20, 30, 40, 50].map((x) => [x, x / 10]);

  it('keeps the points inside and one neighbour each side, so the line reaches the edges', () => {
    expect(withinRange(data, 25, 35)).toEqual([
      [20, 2],
      [30, 3],
      [40, 4],
    ]);
  });

  it('keeps the last point when everything is before the range', () => {
    expect(withinRange(data, 60, 70)).toEqual([[50, 5]]);
  });
});

describe('highestValue', () => {
  it('is the highest value inside the range, ignoring gaps', () => {
    const series: XY[][] = [
      [
        [0, 0.5],
        [10, 0.02],
        [20, null],
      ],
      [[15, 0.03]],
    ];
    expect(highestValue(series, 5, 20)).toBe(0.03);
  });

  it('is 0 without data', () => {
    expect(highestValue([[]], 0, 10)).toBe(0);
  });
});
