import { describe, expect, it } from 'vitest';
import { createHourlyCounts } from '../../src/quality/hourly-counts.js';
import { naiveBaselineFindings } from '../../src/quality/naive-baseline.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

/** One row per hour for `card-eu`: the given totals, with `failed` failures each. */
function series(totals: readonly number[], failed: (hour: number) => number = () => 0) {
  const hourly = createHourlyCounts();
  totals.forEach((total, h) => {
    if (total > 0)
      hourly.add(T0 + h * HOUR, 'card-eu', 'production', {
        total,
        failed: failed(h),
        denied: 0,
        reversed: 0,
      });
  });
  return hourly;
}

describe('naiveBaselineFindings', () => {
  describe('when an hour is 3 standard deviations above all past hours', () => {
    it('raises a finding for that hour', () => {
      // 24 hours alternating 100 and 110 (mean 105, sd 5.11), then 200 (z 18.6), then 105.
      const totals = [...Array.from({ length: 24 }, (_, h) => (h % 2 ? 110 : 100)), 200, 105];
      const hourly = series(totals);
      const findings = naiveBaselineFindings(hourly.series(), hourly.range.lastHourMs);
      expect(findings).toEqual([
        {
          source: 'card-eu',
          environment: 'production',
          metric: 'traffic',
          windowStartMs: T0 + 24 * HOUR,
          windowEndMs: T0 + 25 * HOUR,
        },
      ]);
    });
  });

  describe('when a series stops reporting', () => {
    it('treats the silent hours as zero traffic and raises on the drop', () => {
      const totals = [...Array.from({ length: 30 }, (_, h) => 100 + (h % 3)), 0];
      const hourly = series(totals);
      const lastHourMs = T0 + 30 * HOUR;
      const findings = naiveBaselineFindings(hourly.series(), lastHourMs);
      expect(findings.map((f) => [f.metric, (f.windowStartMs - T0) / HOUR])).toEqual([['traffic', 30]]);
    });
  });

  describe('when the spike comes before 24 hours of history', () => {
    it('raises nothing', () => {
      const totals = Array.from({ length: 30 }, (_, h) => (h === 10 ? 1000 : 100 + (h % 2)));
      const hourly = series(totals);
      expect(naiveBaselineFindings(hourly.series(), hourly.range.lastHourMs)).toEqual([]);
    });
  });

  describe('when a bad rate rises', () => {
    it('raises a finding for that metric, and none for a falling rate', () => {
      const failed = (h: number) => (h === 26 ? 10 : h === 27 ? 0 : 1 + (h % 2));
      const hourly = series(Array(28).fill(100), failed);
      const findings = naiveBaselineFindings(hourly.series(), hourly.range.lastHourMs);
      expect(findings.map((f) => [f.metric, (f.windowStartMs - T0) / HOUR])).toEqual([['failed', 26]]);
    });
  });
});
