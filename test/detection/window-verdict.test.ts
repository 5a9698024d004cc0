import { describe, expect, it } from 'vitest';
import type { MetricModel } from '../../src/detection/candidate.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { ModelName, ModelVerdict } from '../../src/detection/types.js';
import { decide } from '../../src/detection/window-verdict.js';
import { HOUR_START, hourWindow } from './helpers/window.js';

const RAN = HOUR_START + 62 * 60_000;
const identity = {
  source: 'card-eu',
  environment: 'production',
  evaluatedAt: RAN,
  position: { localHour: 18, weekday: 6, holiday: false },
};
/** 300 failures of 12,000 (2.5 %), 50 in every 10-minute block. */
const STEADY = hourWindow([50, 50, 50, 50, 50, 50]);

const rate = (model: ModelName, expectedRate: number): MetricModel => ({
  kind: 'rate',
  metric: 'failed',
  model,
  expectedRate: () => expectedRate,
  logVariance: 0,
});
const given = (score: number, model: ModelName = 'zscore'): ModelVerdict => ({
  model,
  direction: 'up',
  expected: 0.01,
  score,
});

describe('decide', () => {
  describe('with one verdict given (the gates a window must pass)', () => {
    it.each([
      ['fires at the threshold (4)', STEADY, given(4), 'low'],
      [
        'fires above it, severity by score and factor (score ≥ 6, ×2.5 ≥ ×2: medium)',
        STEADY,
        given(6.5),
        'medium',
      ],
      ['stays quiet just under it', STEADY, given(3.99), undefined],
      [
        'adds the window penalty to the bar (4 + 1.5)',
        hourWindow([50, 50, 50, 50, 50, 50], { penalty: 1.5 }),
        given(5),
        undefined,
      ],
      ['never fires on the tree alone', STEADY, given(9, 'tree'), undefined],
      [
        'judges no rate in a window under 20 minutes',
        hourWindow([50], { fraction: 10 / 60 }),
        given(9),
        undefined,
      ],
      ['does not fire on one burst (not sustained)', hourWindow([300, 0, 0, 0, 0, 0]), given(9), undefined],
    ])('%s', (_name, candidate, verdict, severity) => {
      const decision = decide(identity, 'failed', candidate, [], DEFAULT_DETECTION, verdict);
      expect(decision.strongest).toBe(verdict.score);
      expect(decision.finding?.severity).toBe(severity);
    });

    it('stays quiet when the rise does not matter: 2.5 % where 2 % was expected is under ×1.5', () => {
      const verdict = { ...given(9), expected: 0.02 };
      expect(decide(identity, 'failed', STEADY, [], DEFAULT_DETECTION, verdict).finding).toBeUndefined();
    });
  });

  describe('with the models', () => {
    // Expected counts of at least 100 score ln((x + ½)/(E + ½)) / √(σ² + 1/(E + ½)), here with σ² = 0:
    // E = 120 (1 %): ln(300.5/120.5)·√120.5 = 10.03; E = 180 (1.5 %): 6.85; E = 240 (2 %): 3.45; E = 288 (2.4 %): 0.69.
    it('reports a finding both models back, against the less alarming expectation', () => {
      const decision = decide(
        identity,
        'failed',
        STEADY,
        [rate('zscore', 0.01), rate('tree', 0.015)],
        DEFAULT_DETECTION,
      );
      expect(decision.finding).toEqual({
        source: 'card-eu',
        environment: 'production',
        metric: 'failed',
        windowStart: new Date(HOUR_START),
        windowEnd: new Date(RAN),
        direction: 'up',
        models: ['zscore', 'tree'],
        observedRate: 0.025,
        expectedRate: 0.015,
        score: 10.03,
        // ×1.67 off (0.025 / 0.015): under medium's ×2, so low however high the score.
        severity: 'low',
        counts: { observed: 300, expected: 180, excess: 120, total: 12000 },
        scores: { zscore: 10.03, tree: 6.85 },
      });
    });

    it.each([
      ['the z-score alone', [rate('zscore', 0.01)], ['zscore']],
      [
        'a tree that confirms (3.45 ≥ 3) but expects 2 %, under which 2.5 % does not matter',
        [rate('zscore', 0.01), rate('tree', 0.02)],
        undefined,
      ],
      ['a tree that doubts it (0.69 < 3)', [rate('zscore', 0.01), rate('tree', 0.024)], undefined],
    ])('with %s', (_name, models, fired) => {
      const decision = decide(identity, 'failed', STEADY, models, DEFAULT_DETECTION);
      expect(decision.strongest).toBeCloseTo(10.03, 2);
      expect(decision.finding?.models).toEqual(fired);
    });

    it('judges no traffic in a window too thinly reported to fill', () => {
      const thin = hourWindow([50, 50, 50, 50, 50, 50], { traffic: undefined });
      const traffic: MetricModel = {
        kind: 'traffic',
        model: 'zscore',
        expectedHourly: 30_000,
        logVariance: 0,
      };
      expect(decide(identity, 'traffic', thin, [traffic], DEFAULT_DETECTION)).toEqual({ strongest: 0 });
    });
  });
});
