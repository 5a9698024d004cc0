import { describe, expect, it } from 'vitest';
import { apiDetectionSettings, DEFAULT_API_DETECTION } from '../../src/api-detection/api-settings.js';
import { loadApiTrees, trainApiTrees } from '../../src/api-detection/api-trees.js';
import { evaluateApiHour, outlastsBlip } from '../../src/api-detection/evaluate-api-hour.js';
import {
  type ApiShape,
  NORMAL_LATENCY,
  nextApiHour,
  pausedLatency,
  paymentsApi,
  paymentsCalls,
  SLOW_LATENCY,
  untilLocalHour,
} from './helpers/api-history.js';

const calls = paymentsCalls;
const normal: ApiShape = { calls };
const settings = DEFAULT_API_DETECTION;
const { history, until, trees } = paymentsApi(settings);

describe('evaluateApiHour', () => {
  describe('when an API behaves as it always does', () => {
    it.each([3, 10, 14, 21])('raises nothing at %i:00', (localHour) => {
      const past = untilLocalHour(history, localHour);
      const input = nextApiHour(past, normal, localHour);
      expect(evaluateApiHour(input, past, trees, settings).findings).toEqual([]);
    });

    it('counts errors, silent failures, latency and traffic as normal, and leaves 4xx unjudged', () => {
      const past = untilLocalHour(history, 14);
      const { normal: metrics } = evaluateApiHour(nextApiHour(past, normal), past, trees, settings);
      expect(metrics).toEqual(['errors', 'silent_failures', 'latency', 'traffic']);
    });
  });

  describe('when the API answers 5xx eight times as often', () => {
    const past = untilLocalHour(history, 14);
    const input = nextApiHour(past, { calls, share5xx: 0.016 });
    const { findings } = evaluateApiHour(input, past, trees, settings);

    it('raises one errors finding for that api', () => {
      expect(findings.map((f) => [f.api, f.metric])).toEqual([['POST /v1/payments', 'errors']]);
      expect(findings[0]?.observedRate).toBeCloseTo(0.016, 2);
      expect(findings[0]?.expectedRate).toBeLessThan(0.004);
    });
  });

  describe('when the API gets slow at the top', () => {
    const past = untilLocalHour(history, 14);
    const input = nextApiHour(past, { calls, latency: SLOW_LATENCY });
    const { findings } = evaluateApiHour(input, past, trees, settings);
    const latency = findings[0];

    it('raises one latency finding for that api', () => {
      expect(findings.map((f) => [f.api, f.metric])).toEqual([['POST /v1/payments', 'latency']]);
    });

    it('counts calls slower than the normal p99 bound (500 ms) out of the histogram', () => {
      expect(latency?.latency?.boundMs).toBe(500);
      expect(latency?.observedRate).toBeCloseTo(0.08, 1);
      expect(latency?.expectedRate).toBeLessThan(0.01);
    });

    it('carries p50, p95 and p99 observed and normal, interpolated within the bucket', () => {
      const facts = latency?.latency;
      // Normal: 99.5 % within 500 ms → p99 at 250 + 250·(0.99 − 0.9)/0.095 ≈ 487 ms; slow: p99 in 1–2.5 s.
      expect(facts?.normal?.p99.ms).toBeGreaterThan(470);
      expect(facts?.normal?.p99.ms).toBeLessThan(500);
      expect(facts?.observed?.p99.ms).toBeGreaterThan(1_000);
      expect(facts?.observed?.p99.ms).toBeLessThan(2_500);
      expect(facts?.observed?.p50.ms).toBeGreaterThan(50);
      expect(facts?.observed?.p50.ms).toBeLessThan(100);
    });
  });

  describe('when a few minutes of calls are slow (a blip), in a quiet or a busy hour', () => {
    // Five minutes of mostly slow calls in :40–:50, the next block a little slower than usual (which is
    // enough for the core's "the rest halfway up"); a blip straddling two blocks can still page (README).
    const blip = (block: number): ApiShape =>
      block === 4
        ? { calls, latency: pausedLatency(0.5) }
        : block === 5
          ? { calls, latency: pausedLatency(0.01) }
          : normal;

    it.each([3, 14])('raises nothing at %i:00, even with the z-score alone (no tree yet)', (localHour) => {
      const past = untilLocalHour(history, localHour);
      expect(evaluateApiHour(nextApiHour(past, blip), past, trees, settings).findings).toEqual([]);
      expect(evaluateApiHour(nextApiHour(past, blip), past, {}, settings).findings).toEqual([]);
    });

    it('still raises a surge that lasts the half hour', () => {
      const past = untilLocalHour(history, 14);
      const late = (block: number): ApiShape => (block >= 3 ? { calls, latency: SLOW_LATENCY } : normal);
      const { findings } = evaluateApiHour(nextApiHour(past, late), past, trees, settings);
      expect(findings.map((f) => [f.metric, f.windowStart.toISOString().slice(11, 16)])).toEqual([
        ['latency', '14:30'],
      ]);
    });
  });

  describe('4xx', () => {
    const past = untilLocalHour(history, 14);
    const input = nextApiHour(past, { calls, share4xx: 0.12 });

    it('are not judged by default', () => {
      const result = evaluateApiHour(input, past, trees, settings);
      expect(result.findings).toEqual([]);
      expect(result.normal).not.toContain('client_errors');
    });

    it('are judged as client_errors when the source turns judge_4xx on', () => {
      const judging = apiDetectionSettings(undefined, { judge4xx: true });
      const withTrees = loadApiTrees(trainApiTrees(history, until, judging));
      const { findings } = evaluateApiHour(input, past, withTrees, judging);
      expect(findings.map((f) => f.metric)).toEqual(['client_errors']);
    });
  });

  describe('in cold start (a day of history)', () => {
    const young = history.slice(0, 24 + 14);

    it('raises errors above the 5 % ceiling as an absolute finding', () => {
      const { findings } = evaluateApiHour(
        nextApiHour(young, { calls, share5xx: 0.15 }),
        young,
        {},
        settings,
      );
      expect(findings.map((f) => [f.metric, f.models])).toEqual([['errors', ['absolute']]]);
    });

    it('raises nothing for 3 % errors, under the ceiling', () => {
      const { findings } = evaluateApiHour(
        nextApiHour(young, { calls, share5xx: 0.03 }),
        young,
        {},
        settings,
      );
      expect(findings).toEqual([]);
    });

    it('does not judge latency without an SLO', () => {
      const slow = nextApiHour(young, { calls, latency: SLOW_LATENCY });
      expect(evaluateApiHour(slow, young, {}, settings).findings).toEqual([]);
    });

    it('raises latency when p99 is above the configured SLO, with the SLO on the finding', () => {
      const slo = apiDetectionSettings(undefined, { latencySloMs: 800 });
      const slow = nextApiHour(young, { calls, latency: SLOW_LATENCY });
      const { findings } = evaluateApiHour(slow, young, {}, slo);
      expect(findings.map((f) => [f.metric, f.models])).toEqual([['latency', ['absolute']]]);
      expect(findings[0]?.latency).toMatchObject({ boundMs: 800, sloMs: 800, normal: null });
      expect(findings[0]?.latency?.observed?.p99.ms).toBeGreaterThan(800);
    });

    it('raises nothing when p99 is within the SLO', () => {
      const slo = apiDetectionSettings(undefined, { latencySloMs: 800 });
      const fine = nextApiHour(young, { calls, latency: NORMAL_LATENCY });
      expect(evaluateApiHour(fine, young, {}, slo).findings).toEqual([]);
    });
  });
});

describe('outlastsBlip', () => {
  // 1,000 calls a block, 1 % normally slower than 500 ms: expected 10 slow calls a block.
  const block = (slow: number) => ({
    minutes: 10,
    calls: [1_000, 0, 0, 0, 0],
    silentFailures: 0,
    latency: [0, 0, 1_000 - slow, 0, 0, slow, 0, 0, 0, 0],
  });
  const finding = { expectedRate: 0.01 } as Parameters<typeof outlastsBlip>[0];

  it.each([
    ['one block far up, the rest normal (a blip)', [10, 300, 10], false],
    ['one block far up, the next a little up (noise)', [10, 300, 16], false],
    ['every block up (a surge)', [40, 300, 40], true],
    ['a window of one block', [300], true],
  ] as const)('%s → %s', (_, slows, expected) => {
    expect(outlastsBlip(finding, slows.map(block), slows.length, 500, settings)).toBe(expected);
  });

  it.each([
    ['a blip straddling two blocks', [10, 150, 150, 10], 1, true],
    ['a blip straddling two blocks, two left out (ticks)', [10, 150, 150, 10], 2, false],
    ['a surge of three blocks, two left out (ticks)', [10, 150, 150, 150], 2, true],
    ['a window of two blocks, two left out (ticks)', [150, 150], 2, false],
  ] as const)('%s → %s', (_, slows, leaveOut, expected) => {
    expect(outlastsBlip(finding, slows.map(block), slows.length, 500, settings, leaveOut)).toBe(expected);
  });

  it('never leaves out an earlier whole hour of a multi-hour window', () => {
    // An earlier hour of 6,000 calls with 300 slow (expected 60), then two normal blocks: the hour carries it.
    const hour = { ...block(300), calls: [6_000, 0, 0, 0, 0], latency: [0, 0, 5_700, 0, 0, 300, 0, 0, 0, 0] };
    expect(outlastsBlip(finding, [hour, block(10), block(10)], 2, 500, settings)).toBe(true);
  });
});
