import { describe, expect, it } from 'vitest';
import { rateZScore } from '../../src/detection/rate-zscore.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { HistoryHour } from '../../src/detection/types.js';

let next = 0;
const hour = (localHour: number, total: number, failed: number): HistoryHour => ({
  hourStart: next++ * 3_600_000,
  minutes: 60,
  total,
  failed,
  denied: 0,
  reversed: 0,
  localHour,
  weekday: next % 7,
  holiday: false,
  alerting: new Set(),
});
const at10 = { localHour: 10, weekday: 3, holiday: false };
const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

describe('rateZScore', () => {
  describe('the expected rate', () => {
    it('is the comparable hours’ pooled rate, shrunk towards the overall rate by 200 transactions', () => {
      // Ten hours at 10:00 with 2 of 100 failed, ten at 03:00 with 10 of 100: overall 120 / 2,000 = 0.06;
      // p = (20 + 0.06 · 200) / (1,000 + 200) = 32 / 1,200 = 0.026667.
      const history = [...times(10, () => hour(10, 100, 2)), ...times(10, () => hour(3, 100, 10))];
      const model = rateZScore('failed', at10, history, DEFAULT_DETECTION);
      expect(model?.expectedRate(100)).toBeCloseTo(32 / 1_200, 12);
      // Each hour expects 2.67 failures (< 3): too few to measure overdispersion, so Poisson alone.
      expect(model?.logVariance).toBe(0);
    });

    it('never falls below half a transaction over the history', () => {
      // No failure in 1,000 transactions: 0.5 / 1,001.
      const model = rateZScore(
        'failed',
        at10,
        times(10, () => hour(10, 100, 0)),
        DEFAULT_DETECTION,
      );
      expect(model?.expectedRate(100)).toBeCloseTo(0.5 / 1_001, 12);
    });
  });

  describe('the spread', () => {
    it('is the overdispersion around p, widened by (1 + 12/k) for k comparable hours', () => {
      // 1,000 an hour failing 15 and 25 in turn: p = (200 + 0.02 · 200) / 10,200 = 0.02, 20 expected an hour.
      // t(15) = ln²(15.5 / 20.5) / 0.6745² − 1/20.5 = 0.123035, t(25) = 0.055922; the median (upper, of ten)
      // is 0.123035; × (1 + 12/10) = 0.270677.
      const history = times(10, (i) => hour(10, 1_000, i % 2 === 0 ? 15 : 25));
      const model = rateZScore('failed', at10, history, DEFAULT_DETECTION);
      expect(model?.expectedRate(1_000)).toBeCloseTo(0.02, 12);
      expect(model?.logVariance).toBeCloseTo(0.2706779, 6);
    });
  });

  it('has no verdict with fewer than 6 comparable hours', () => {
    expect(
      rateZScore(
        'failed',
        at10,
        times(5, () => hour(10, 100, 2)),
        DEFAULT_DETECTION,
      ),
    ).toBeUndefined();
  });
});
