import { describe, expect, it } from 'vitest';
import { candidateWindows, windowLayout, windowPenaltyShape } from '../../src/detection/candidate-windows.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { WindowCounts } from '../../src/detection/types.js';
import { buildHistory, nextHour } from './helpers/history.js';

describe('windowLayout', () => {
  it('lists the 50- and 40-minute tails, every half hour, and shorter tails down to the shortest', () => {
    // [first block, blocks]: :10–:60, :20–:60, :00–:30, :10–:40, :20–:50, :30–:60, then :40–:60, :50–:60.
    const halfHours = [
      [1, 5],
      [2, 4],
      [0, 3],
      [1, 3],
      [2, 3],
      [3, 3],
    ];
    expect(windowLayout(30)).toEqual(halfHours);
    expect(windowLayout(20)).toEqual([...halfHours, [4, 2]]);
    expect(windowLayout(10)).toEqual([...halfHours, [4, 2], [5, 1]]);
  });
});

describe('windowPenaltyShape', () => {
  // bar(b) = √(2(1 + ln(6/b))) − √2: bar(3) = √3.386294 − √2 = 1.840189 − 1.414214 = 0.425975 is the unit.
  // bar(5) = √2.364643 − √2 = 0.123526 → 0.28998; bar(2) = √4.197225 − √2 = 0.634499 → 1.48952;
  // bar(1) = √5.583519 − √2 = 0.948734 → 2.22720.
  it.each([
    [6, 0],
    [5, 0.28998],
    [3, 1],
    [2, 1.48952],
    [1, 2.2272],
  ])('is %d blocks → %d half-hour penalties', (blocks, shape) => {
    expect(windowPenaltyShape(blocks)).toBeCloseTo(shape, 4);
  });
});

describe('candidateWindows', () => {
  const history = buildHistory({ volume: () => 600 }, 14);
  const block = (minutes: number, total: number): WindowCounts => ({
    minutes,
    total,
    failed: 0,
    denied: 0,
    reversed: 0,
  });

  it('fills unreported minutes of an every-minute reporter at the window’s own pace', () => {
    const blocks = [
      block(10, 100),
      block(10, 100),
      block(5, 50),
      block(0, 0),
      block(10, 100),
      block(10, 100),
    ];
    const counts = block(45, 450);
    const [hour] = candidateWindows(nextHour(history, counts, blocks), history, DEFAULT_DETECTION);
    // 450 in 45 reported minutes → 600 an hour; the block with 5 of 10 minutes → 100; the silent one unknown.
    expect(hour?.traffic?.total).toBe(600);
    expect(hour?.traffic?.blockTotals).toEqual([100, 100, 100, undefined, 100, 100]);
  });

  it('fills the lost rows of a series that posts every 5 minutes at its own pace', () => {
    const fiveMinutely = buildHistory({ volume: () => 600, minutes: 12 }, 14);
    // 11 rows of 12 came: the block that lost one of its two rows counts twice what it got.
    const blocks = [block(2, 100), block(1, 50), ...Array.from({ length: 4 }, () => block(2, 100))];
    const [hour] = candidateWindows(
      nextHour(fiveMinutely, block(11, 550), blocks),
      fiveMinutely,
      DEFAULT_DETECTION,
    );
    expect(hour?.traffic?.total).toBe(600);
    expect(hour?.traffic?.blockTotals).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('judges a series that posts hourly totals on the whole hour only', () => {
    const hourly = buildHistory({ volume: () => 600, minutes: 1 }, 14);
    const blocks = [block(1, 600), ...Array.from({ length: 5 }, () => block(0, 0))];
    const windows = candidateWindows(nextHour(hourly, block(1, 600), blocks), hourly, DEFAULT_DETECTION);
    expect(windows.map((w) => w.kind)).toEqual(['hour']);
    expect(windows[0]?.traffic?.total).toBe(600);
  });

  it('expects a flat source’s traffic evenly over the hour', () => {
    const blocks = Array.from({ length: 6 }, () => block(10, 100));
    const windows = candidateWindows(nextHour(history, block(60, 600), blocks), history, DEFAULT_DETECTION);
    const halfHour = windows.find((w) => w.fraction === 0.5);
    // The neighbouring hours' medians differ only by Poisson noise (600 ± 25), so the share is ½ within 2 %.
    expect(halfHour?.share).toBeGreaterThan(0.49);
    expect(halfHour?.share).toBeLessThan(0.51);
    expect(halfHour?.shareLogVariance).toBeLessThan(0.001);
  });
});
