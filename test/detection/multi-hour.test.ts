import { describe, expect, it } from 'vitest';
import { evaluateHour } from '../../src/detection/evaluate-hour.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { HistoryHour, WindowCounts } from '../../src/detection/types.js';
import { buildHistory, evenBlocks, nextHour, type Shape } from './helpers/history.js';

const steady: Shape = { volume: () => 1_200, failed: () => 0.01, denied: () => 0.05, reversed: () => 0.002 };
const hourOf = (failed: number): WindowCounts => ({
  minutes: 60,
  total: 1_200,
  failed,
  denied: 60,
  reversed: 2,
});

/** Two weeks of a steady source whose last two hours had `earlier` failures (≈ 12 an hour is normal). */
function degrading(earlier: readonly [number, number]): HistoryHour[] {
  const history = buildHistory(steady, 14, 3);
  const n = history.length;
  return history.map((hour, i) =>
    i < n - 2 ? hour : { ...hour, ...hourOf(earlier[i - (n - 2)] as number) },
  );
}

describe('evaluateHour', () => {
  describe('when failures creep up over three hours', () => {
    // 20, 24, then 26 failed of 1,200 where ≈ 12 are normal: the last hour alone is P(X ≥ 26 | 12) ≈ 4e−4
    // (z ≈ 3.4, under the threshold), the three hours together 70 of ≈ 36, P ≈ 1e−7 (z ≈ 5).
    const history = degrading([20, 24]);
    const hour = hourOf(26);
    const { findings } = evaluateHour(
      nextHour(history, hour, evenBlocks(hour)),
      history,
      {},
      DEFAULT_DETECTION,
    );

    it('raises failed over the three hours', () => {
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      const [failed] = findings;
      expect(failed?.windowStart.getTime()).toBe((history[history.length - 2] as HistoryHour).hourStart);
      expect(failed?.counts.observed).toBe(70);
    });
  });

  describe('when only the evaluated hour is a little high', () => {
    it('raises nothing', () => {
      const history = degrading([12, 11]);
      const hour = hourOf(26);
      const input = nextHour(history, hour, evenBlocks(hour));
      expect(evaluateHour(input, history, {}, DEFAULT_DETECTION).findings).toEqual([]);
    });
  });

  describe('when an earlier hour already alerted on the metric', () => {
    it('does not reach back into it', () => {
      const history = degrading([20, 24]);
      const last = history.length - 2;
      history[last] = { ...(history[last] as HistoryHour), alerting: new Set(['failed']) };
      const hour = hourOf(26);
      const input = nextHour(history, hour, evenBlocks(hour));
      const found = evaluateHour(input, history, {}, DEFAULT_DETECTION).findings;
      expect(found.every((f) => f.windowStart.getTime() > (history[last] as HistoryHour).hourStart)).toBe(
        true,
      );
    });
  });
});
