import { describe, expect, it } from 'vitest';
import { expectedSignal, isDetectable } from '../../src/simulate/detectability.js';
import { createSeriesModel } from '../../src/simulate/series-model.js';
import type { SeriesProfile } from '../../src/simulate/source-profiles.js';
import type { SimEvent } from '../../src/simulate/types.js';

const START_MS = Date.parse('2026-01-05T00:00:00Z');
const drift = { amplitude: 0, peakHour: 0 };

/** A flat source in UTC: the same volume every minute of every day. */
function flatSource(peakPerMinute: number): SeriesProfile {
  return {
    source: 'card-eu',
    environment: 'production',
    timeZone: 'UTC',
    peakPerMinute,
    postsWhenIdle: false,
    baseRates: {
      denied: 0.05,
      reversed: 0.002,
      failed: 0.01,
      processing: 0,
      backend_reversed: 0,
      refunded: 0,
    },
    diurnal: { floor: 1, mainPeakHour: 12, eveningPeakHour: 19, eveningWeight: 0, sharpness: 1 },
    weekendFactor: 1,
    growthPer30Days: 0,
    dayLevelSigma: 0,
    hourVolumeSigma: 0.05,
    rateSigma: 0.1,
    rateDrift: { denied: drift, failed: drift, reversed: drift },
    nightDenied: null,
  };
}

const model = (peakPerMinute: number) =>
  createSeriesModel(flatSource(peakPerMinute), { seed: 1, days: 14, sources: 1, startMs: START_MS });

const event = (kind: string, metric: SimEvent['metric'], magnitude: number, minutes: number): SimEvent => ({
  source: 'card-eu',
  environment: 'production',
  metric,
  kind,
  startMs: START_MS + 9 * 86_400_000 + 10 * 60_000,
  endMs: START_MS + 9 * 86_400_000 + (10 + minutes) * 60_000,
  magnitude,
  incident: true,
});

describe('isDetectable', () => {
  describe('for an outage of a source doing 3 transactions an hour', () => {
    it('is false: an hour without 3 transactions is ordinary', () => {
      expect(isDetectable(model(0.05), event('outage', 'traffic', 0, 120))).toBe(false);
    });
  });

  describe('for an outage of a source doing 100 transactions a minute', () => {
    it('is true, with the whole hour missing', () => {
      const outage = event('outage', 'traffic', 0, 120);
      expect(isDetectable(model(100), outage)).toBe(true);
      // Wednesday 2026-01-14 (weekday factor 1): the full hour 01:00–02:00 is down: 6,000 missing, noise √(6000 + (0.05·6000)²) ≈ 309.7.
      expect(expectedSignal(model(100), outage).excess).toBeCloseTo(-6000, 6);
      expect(expectedSignal(model(100), outage).z).toBeCloseTo(6000 / Math.sqrt(6000 + 300 ** 2), 6);
    });
  });

  describe('for a failed step on a source with a handful of failures an hour', () => {
    it('is false below 5 extra failures, true well above', () => {
      // 1/min × 1 % failed = 0.6 failures an hour; ×6 adds 3 at most.
      expect(isDetectable(model(1), event('failed_step', 'failed', 6, 120))).toBe(false);
      // 20/min: 12 failures an hour; ×4 adds 36, z = 36 / √(12 + 1.2²) ≈ 9.8.
      expect(isDetectable(model(20), event('failed_step', 'failed', 4, 120))).toBe(true);
    });
  });
});
