import { describe, expect, it } from 'vitest';
import { expectedBandOf } from '../../src/alert-chart/expected-band.js';
import type { MetricModel } from '../../src/detection/candidate.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';

const hour = (total: number) => ({ start: 0, minutes: 60, total, share: 1, shareLogVariance: 0 });
const rateModel = (model: 'zscore' | 'tree', rate: number, logVariance: number): MetricModel => ({
  kind: 'rate',
  metric: 'failed',
  model,
  expectedRate: () => rate,
  logVariance,
});
const trafficModel = (expectedHourly: number, logVariance: number): MetricModel => ({
  kind: 'traffic',
  model: 'zscore',
  expectedHourly,
  logVariance,
});

describe('expectedBandOf', () => {
  describe('for a rate', () => {
    it('puts the upper edge at the smallest count that scores 4 (the threshold), computed by hand', () => {
      // 1 % of 10,000 expected, σ² 0.04: ln((x+½)/100.5) / √(0.04 + 1/100.5) ≥ 4 ⇔ x ≥ 245.2, so 246.
      const band = expectedBandOf(
        'failed',
        [rateModel('zscore', 0.01, 0.04)],
        hour(10_000),
        DEFAULT_DETECTION,
      );
      expect(band).toEqual({ expected: 100, low: 0, high: 246 });
    });

    it('puts it where the rise starts to matter when that is stricter than the score', () => {
      // σ² 0: the score reaches 4 at x = 149.3, and 1.5 × the expected rate is 150 failures.
      const band = expectedBandOf('failed', [rateModel('zscore', 0.01, 0)], hour(10_000), DEFAULT_DETECTION);
      expect(band?.high).toBe(150);
    });

    it('needs the tree to confirm (score 3) when it has a verdict, and reports the least alarming expectation', () => {
      // The tree expects 1.5 % (150): ln((x+½)/150.5) / √(0.04 + 1/150.5) ≥ 3 ⇔ x ≥ 287.2, so 288.
      const both = expectedBandOf(
        'failed',
        [rateModel('zscore', 0.01, 0.04), rateModel('tree', 0.015, 0.04)],
        hour(10_000),
        DEFAULT_DETECTION,
      );
      expect(both).toEqual({ expected: 150, low: 0, high: 288 });
    });

    it('has no band where no count at that volume would page (a handful of transactions)', () => {
      expect(expectedBandOf('failed', [rateModel('zscore', 0.01, 0.04)], hour(3), DEFAULT_DETECTION)).toEqual(
        {
          expected: 0.03,
          low: 0,
          high: null,
        },
      );
    });

    it('is wider for a 10-minute block than for an hour: a shorter window needs more score', () => {
      const block = { start: 0, minutes: 10, total: 10_000 / 6, share: 1 / 6, shareLogVariance: 0 };
      const models = [rateModel('zscore', 0.01, 0.04)];
      const ofHour = expectedBandOf('failed', models, hour(10_000), DEFAULT_DETECTION);
      const ofBlock = expectedBandOf('failed', models, block, DEFAULT_DETECTION);
      const relative = (b: typeof ofHour) => ((b?.high ?? 0) - (b?.expected ?? 0)) / (b?.expected ?? 1);
      expect(relative(ofBlock)).toBeGreaterThan(relative(ofHour));
    });

    it('gives no band without models (cold start) and none for a bucket without transactions', () => {
      expect(expectedBandOf('failed', [], hour(10_000), DEFAULT_DETECTION)).toBeUndefined();
      expect(
        expectedBandOf('failed', [rateModel('zscore', 0.01, 0.04)], hour(0), DEFAULT_DETECTION),
      ).toBeUndefined();
    });
  });

  describe('for traffic', () => {
    it('pages below 0.6× and above 2× expected when those are stricter than the score, as decide does', () => {
      // 1,000 an hour, σ² 0.01: the score reaches 4 at 657 down and 1,522 up; the factors ask for 600 and 2,000.
      const band = expectedBandOf('traffic', [trafficModel(1000, 0.01)], hour(1000), DEFAULT_DETECTION);
      expect(band).toEqual({ expected: 1000, low: 600, high: 2000 });
    });

    it('reaches down to zero when not even an empty hour would page', () => {
      const band = expectedBandOf('traffic', [trafficModel(5, 0.01)], hour(5), DEFAULT_DETECTION);
      expect(band?.low).toBe(0);
    });
  });
});
