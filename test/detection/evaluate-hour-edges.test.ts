import { describe, expect, it } from 'vitest';
import { evaluateHour } from '../../src/detection/evaluate-hour.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { WindowCounts } from '../../src/detection/types.js';
import { buildHistory, evenBlocks, nextHour, type Shape } from './helpers/history.js';

const settings = DEFAULT_DETECTION;
const steady: Shape = { volume: () => 1_200, failed: () => 0.01, denied: () => 0.05, reversed: () => 0.002 };
const block = (minutes: number, total: number, failed = Math.round(total / 100)): WindowCounts => ({
  minutes,
  total,
  failed,
  denied: Math.round(total / 20),
  reversed: 0,
});
const sum = (blocks: readonly WindowCounts[]): WindowCounts => ({
  minutes: blocks.reduce((s, b) => s + b.minutes, 0),
  total: blocks.reduce((s, b) => s + b.total, 0),
  failed: blocks.reduce((s, b) => s + b.failed, 0),
  denied: blocks.reduce((s, b) => s + b.denied, 0),
  reversed: blocks.reduce((s, b) => s + b.reversed, 0),
});
const evaluate = (history: ReturnType<typeof buildHistory>, blocks: readonly WindowCounts[]) =>
  evaluateHour(nextHour(history, sum(blocks), blocks), history, {}, settings);

describe('evaluateHour', () => {
  describe('when a series has too little history of its own (cold start)', () => {
    const young = buildHistory(steady, 1);

    it('raises a rate above its absolute ceiling, marked as the absolute model', () => {
      // 60 of 400 failed = 15 % against the 5 % ceiling: P(X ≥ 60 | 400, 0.05) = 4.92e−14 → z = 7.44.
      const hour: WindowCounts = { minutes: 60, total: 400, failed: 60, denied: 20, reversed: 0 };
      const { findings } = evaluateHour(nextHour(young, hour, evenBlocks(hour)), young, {}, settings);
      expect(findings.map((f) => [f.metric, f.models])).toEqual([['failed', ['absolute']]]);
      expect(findings[0]?.expectedRate).toBe(0.05);
      expect(findings[0]?.score).toBeCloseTo(7.44, 2);
    });

    it('pages a new source whose failed rate has been 10 % from its first hours only when it rises past that', () => {
      // A day at 400 an hour and 10 % failed: its own level (≈ 10 %) replaces the 5 % ceiling, so a usual hour is
      // not paged every few hours of its cold start, and an hour at twice its level still is.
      const high = buildHistory({ ...steady, volume: () => 400, failed: () => 0.1 }, 1);
      const usual: WindowCounts = { minutes: 60, total: 400, failed: 44, denied: 20, reversed: 0 };
      expect(evaluateHour(nextHour(high, usual, evenBlocks(usual)), high, {}, settings).findings).toEqual([]);
      const doubled: WindowCounts = { minutes: 60, total: 400, failed: 88, denied: 20, reversed: 0 };
      const { findings } = evaluateHour(nextHour(high, doubled, evenBlocks(doubled)), high, {}, settings);
      expect(findings.map((f) => [f.metric, f.models])).toEqual([['failed', ['absolute']]]);
      expect(findings[0]?.expectedRate).toBeGreaterThan(0.09);
    });

    it('raises nothing below the ceilings, and never judges traffic', () => {
      const hour: WindowCounts = { minutes: 60, total: 3, failed: 0, denied: 0, reversed: 0 };
      expect(evaluateHour(nextHour(young, hour, evenBlocks(hour)), young, {}, settings).findings).toEqual([]);
    });
  });

  describe('when a source that posts every minute misses 20 of them', () => {
    it('treats the gap as missing data, not as an outage', () => {
      const history = buildHistory(steady, 14);
      const blocks = [
        block(10, 200),
        block(10, 200),
        block(0, 0),
        block(0, 0),
        block(10, 200),
        block(10, 200),
      ];
      const { findings, normal } = evaluate(history, blocks);
      expect(findings).toEqual([]);
      expect(normal).toContain('traffic');
    });
  });

  describe('when a source that posts every minute went silent a week ago, a minute into the hour', () => {
    it('does not read the same hour this week, at its usual volume, as a surge', () => {
      // 100 a minute for eight days; the hour a week before the evaluated one held one row (the silence began at
      // :01). Taken as that hour's volume it would be its only same hour of the week: 6,000 would read as ×60.
      const history = buildHistory({ ...steady, volume: () => 6_000 }, 8).slice(0, -1);
      const weekBefore = history.length - 168;
      const silent = history[weekBefore] as (typeof history)[number];
      history[weekBefore] = { ...silent, minutes: 1, total: 100, failed: 1, denied: 5, reversed: 0 };
      const hour = block(60, 6_000);
      const { findings } = evaluateHour(nextHour(history, hour, evenBlocks(hour)), history, {}, settings);
      expect(findings.filter((f) => f.metric === 'traffic')).toEqual([]);
    });
  });

  describe('when a source that posts every minute is silent for the whole hour', () => {
    it('raises a traffic drop to zero', () => {
      const history = buildHistory(steady, 14);
      const silent = Array.from({ length: 6 }, () => block(0, 0));
      const { findings } = evaluate(history, silent);
      expect(findings.map((f) => [f.metric, f.direction, f.counts.observed])).toEqual([
        ['traffic', 'down', 0],
      ]);
    });
  });

  describe('when failures burst for ten minutes and stop', () => {
    it('raises nothing: the deviation is not sustained', () => {
      // 200 transactions per block, 2 failed normally; one block with 40 failed (20 %) lifts the hour to 4.2 %.
      const history = buildHistory(steady, 14);
      const blocks = [block(10, 200), block(10, 200), block(10, 200, 40), block(10, 200), block(10, 200)];
      blocks.push(block(10, 200));
      expect(evaluate(history, blocks).findings).toEqual([]);
    });
  });

  describe('when failures rise for the last forty minutes', () => {
    it('raises failed for a window that ends with the hour', () => {
      const history = buildHistory(steady, 14);
      const blocks = [block(10, 200), block(10, 200), ...Array.from({ length: 4 }, () => block(10, 200, 12))];
      const { findings } = evaluate(history, blocks);
      expect(findings.map((f) => f.metric)).toEqual(['failed']);
      expect(findings[0]?.windowEnd.getTime()).toBe(nextHour(history, sum(blocks)).evaluatedAt);
    });
  });
});
