import { describe, expect, it } from 'vitest';
import { type LoadedTree, loadTree, trainTree } from '../../src/detection/decision-tree.js';
import { evaluateHour } from '../../src/detection/evaluate-hour.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { HistoryHour, Metric, WindowCounts } from '../../src/detection/types.js';
import { buildHistory, evenBlocks, historyUntilLocalHour, nextHour, type Shape } from './helpers/history.js';

const settings = DEFAULT_DETECTION;
const counts = (total: number, bad: Partial<WindowCounts> = {}): WindowCounts => ({
  minutes: 60,
  total,
  failed: 0,
  denied: 0,
  reversed: 0,
  ...bad,
});

/** Trees trained on the whole history, as the daily retrain would have them. */
function treesOf(history: readonly HistoryHour[]): Partial<Record<Metric, LoadedTree>> {
  const until = (history[history.length - 1]?.hourStart ?? 0) + 3_600_000;
  const trees: Partial<Record<Metric, LoadedTree>> = {};
  for (const metric of ['failed', 'denied', 'reversed', 'traffic'] as const) {
    const model = trainTree(metric, history, until, settings);
    if (model) trees[metric] = loadTree(model);
  }
  return trees;
}

// A card acquirer: 2,000 transactions an hour by day, 3 at night; failed 1 %, denied 4 %, reversed 0.3 %.
const diurnal = (h: number) => (h >= 7 && h < 22 ? 2_000 : 3);
const midVolume: Shape = { volume: diurnal, failed: () => 0.01, denied: () => 0.04, reversed: () => 0.003 };
const history = buildHistory(midVolume, 28);
const trees = treesOf(history);

describe('evaluateHour', () => {
  describe('when the source is quiet at night', () => {
    it('raises nothing for 1 of 3 failed at 3 a.m.', () => {
      const past = historyUntilLocalHour(history, 3);
      const input = nextHour(past, counts(3, { failed: 1 }), evenBlocks(counts(3, { failed: 1 })));
      expect(evaluateHour(input, past, trees, settings).findings).toEqual([]);
    });
  });

  describe('when a mid-volume source fails three times as often', () => {
    const past = historyUntilLocalHour(history, 14);
    const hour = counts(2_000, { failed: 60, denied: 80, reversed: 6 });
    const { findings, normal } = evaluateHour(nextHour(past, hour, evenBlocks(hour)), past, trees, settings);

    it('raises one failed finding, confirmed by both models', () => {
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      const [failed] = findings;
      expect(failed?.models).toEqual(expect.arrayContaining(['zscore', 'tree']));
      expect(failed?.direction).toBe('up');
    });

    it('reports the counts behind it: 60 observed, ≈ 20 expected, ≈ 40 more than expected', () => {
      const failed = findings[0];
      expect(failed?.counts.observed).toBe(60);
      expect(failed?.counts.expected).toBeGreaterThan(17);
      expect(failed?.counts.expected).toBeLessThan(24);
      expect(failed?.counts.excess).toBe(Math.round(60 - (failed?.counts.expected ?? 0)));
      expect(failed?.observedRate).toBeCloseTo(0.03, 10);
    });

    it('lists the metrics that look normal', () => {
      expect(normal).toEqual(expect.arrayContaining(['denied', 'reversed', 'traffic']));
    });
  });

  describe('when a source always denies more at night', () => {
    // 3 % by day, 9 % between 01:00 and 05:00 local, every night: normal for this source.
    const nightDenied: Shape = {
      volume: (h) => (h >= 1 && h < 5 ? 600 : 2_000),
      failed: () => 0.01,
      denied: (h) => (h >= 1 && h < 5 ? 0.09 : 0.03),
    };
    const nightHistory = buildHistory(nightDenied, 28, 2);
    const nightTrees = treesOf(nightHistory);
    const denied = (localHour: number, total: number) => {
      const past = historyUntilLocalHour(nightHistory, localHour);
      const hour = counts(total, { failed: total / 100, denied: total * 0.09 });
      return evaluateHour(nextHour(past, hour, evenBlocks(hour)), past, nightTrees, settings).findings;
    };

    it('raises nothing for 9 % denied at 3 a.m.', () => {
      expect(denied(3, 600)).toEqual([]);
    });

    it('still raises 9 % denied in the afternoon', () => {
      expect(denied(15, 2_000).map((f) => f.metric)).toEqual(['denied']);
    });
  });
});
