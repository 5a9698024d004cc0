import { describe, expect, it } from 'vitest';
import { hourProfile } from '../../src/detection/hour-profile.js';
import { buildHistory, HOUR_MS, START } from './helpers/history.js';

describe('hourProfile', () => {
  describe('when traffic climbs steadily through the morning', () => {
    // 100·(h + 1) an hour at UTC hour h, every day: around 10:00 a = 1,000.5, b = 1,100.5, c = 1,200.5 (+ ½ each).
    // Linear between midpoints: rate(t) = 1,050.5 + 100·t over the hour; the six blocks sum to
    // 6 · 1,050.5 + 100 · (0.5 + 1.5 + … + 5.5) / 6 = 6,603, and the first half holds
    // (3 · 1,050.5 + 100 · 4.5 / 6) / 6,603 = 3,226.5 / 6,603 = 0.4886415 of it.
    const history = buildHistory({ volume: (h) => 100 * (h + 1), exact: true }, 8);
    const profile = hourProfile(history, START + (8 * 24 + 10) * HOUR_MS);

    it('expects less than half the hour’s traffic in its first half', () => {
      const firstHalf = profile.shares.slice(0, 3).reduce((a, b) => a + b, 0);
      expect(firstHalf).toBeCloseTo(0.4886415, 6);
      expect(profile.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    });

    it('is unsure of a sub-hour share by ln²(c/a)/12', () => {
      // ln(1,200.5 / 1,000.5) = 0.182237 → 0.0332103 / 12 = 0.0027675.
      expect(profile.logVariance).toBeCloseTo(0.0027675, 6);
    });
  });

  describe('when traffic is flat', () => {
    it('expects a sixth of the hour in every block, with no extra variance', () => {
      const history = buildHistory({ volume: () => 500, exact: true }, 8);
      const profile = hourProfile(history, START + 8 * 24 * HOUR_MS);
      for (const share of profile.shares) expect(share).toBeCloseTo(1 / 6, 12);
      expect(profile.logVariance).toBe(0);
    });
  });

  describe('in the first week', () => {
    it('shapes the hour from the same hours of earlier days', () => {
      const history = buildHistory({ volume: (h) => 100 * (h + 1), exact: true }, 3);
      const profile = hourProfile(history, START + (3 * 24 + 10) * HOUR_MS);
      expect(profile.shares.slice(0, 3).reduce((a, b) => a + b, 0)).toBeCloseTo(0.4886415, 6);
    });
  });
});
