import { describe, expect, it } from 'vitest';
import { apiDetectionSettings, DEFAULT_API_DETECTION } from '../../src/api-detection/api-settings.js';
import {
  apiMetricOf,
  callWindowCounts,
  coreSettings,
  coreSlotOf,
  latencyWindowCounts,
  toApiFinding,
} from '../../src/api-detection/core-adapter.js';
import { slowerThanBound, slowerThanMs } from '../../src/api-detection/latency-bound.js';
import { API_METRICS } from '../../src/detection/api-finding.js';
import { apiFindingToJson } from '../../src/detection/api-finding-json.js';
import type { Finding } from '../../src/detection/types.js';

// 1,000 calls: 940 2xx (3 silent), 30 4xx, 20 5xx, 10 timeouts; 990 responses in the histogram.
const counts = {
  minutes: 60,
  calls: [940, 0, 30, 20, 10],
  silentFailures: 3,
  latency: [100, 300, 400, 150, 30, 5, 3, 2, 0, 0],
};

describe('the adapter to the payment core', () => {
  describe('maps an API window onto WindowCounts', () => {
    it('calls pass: total = calls, failed = 5xx + timeouts, denied = silent failures, reversed = 4xx', () => {
      expect(callWindowCounts(counts)).toEqual({
        minutes: 60,
        total: 1_000,
        failed: 30,
        denied: 3,
        reversed: 30,
      });
    });

    it('latency pass: total = calls in the histogram, failed = calls slower than the bound', () => {
      expect(latencyWindowCounts(counts, slowerThanBound(500))).toEqual({
        minutes: 60,
        total: 990,
        failed: 10,
        denied: 0,
        reversed: 0,
      });
    });
  });

  describe('maps metrics both ways', () => {
    it.each([
      ['errors', 'calls', 'failed'],
      ['silent_failures', 'calls', 'denied'],
      ['client_errors', 'calls', 'reversed'],
      ['traffic', 'calls', 'traffic'],
      ['latency', 'latency', 'failed'],
    ] as const)('%s is %s pass slot %s, and back', (metric, pass, slot) => {
      expect(coreSlotOf(metric)).toEqual({ pass, slot });
      expect(apiMetricOf(pass, slot)).toBe(metric);
    });

    it('covers every API metric', () => {
      expect(API_METRICS.map((m) => apiMetricOf(coreSlotOf(m).pass, coreSlotOf(m).slot))).toEqual(
        API_METRICS,
      );
    });

    it("drops the latency pass's unused slots", () => {
      expect(apiMetricOf('latency', 'denied')).toBeUndefined();
      expect(apiMetricOf('latency', 'traffic')).toBeUndefined();
    });

    it('moves the API cold-start ceilings onto their slots', () => {
      const settings = {
        ...DEFAULT_API_DETECTION,
        coldStartCeilings: { errors: 0.05, silent_failures: 0.02 },
      };
      expect(coreSettings('calls', settings).coldStartCeilings).toEqual({ failed: 0.05, denied: 0.02 });
      expect(coreSettings('latency', settings).coldStartCeilings).toEqual({});
    });

    it('judges only the slots a pass uses: reversed (4xx) only when judged, the latency pass failed alone', () => {
      expect(coreSettings('calls', DEFAULT_API_DETECTION).metrics).toEqual(['failed', 'denied', 'traffic']);
      const judging = apiDetectionSettings(undefined, { judge4xx: true });
      expect(coreSettings('calls', judging).metrics).toEqual(['failed', 'denied', 'reversed', 'traffic']);
      expect(coreSettings('latency', judging).metrics).toEqual(['failed']);
    });

    it('turns a core finding back into an API finding with its api and metric', () => {
      const finding = toApiFinding(coreFinding, 'POST /v1/payments', 'errors');
      expect(finding).toMatchObject({ api: 'POST /v1/payments', metric: 'errors', score: 9.1 });
    });
  });

  describe('slowerThanMs (the SLO ceiling)', () => {
    it('is exact on a bucket bound', () => {
      expect(slowerThanMs(500)(counts.latency)).toBe(10);
    });

    it('interpolates inside a bucket: 750 ms is half of the 500–1000 ms bucket', () => {
      // 5 calls in (500, 1000]: half of them over 750 ms (2.5, rounded down with the 5 slower) → 7.
      expect(slowerThanMs(750)(counts.latency)).toBe(7);
    });
  });
});

const coreFinding: Finding = {
  source: 'checkout-api',
  environment: 'production',
  metric: 'failed',
  windowStart: new Date('2026-12-04T18:00:00Z'),
  windowEnd: new Date('2026-12-04T19:02:00Z'),
  direction: 'up',
  models: ['zscore', 'tree'],
  observedRate: 0.081,
  expectedRate: 0.003,
  score: 9.1,
  severity: 'critical',
  counts: { observed: 81, expected: 3, excess: 78, total: 1_000 },
  scores: { zscore: 9.1, tree: 7.2 },
};

describe('apiFindingToJson', () => {
  it('writes source, environment, api and the API metric first, then the findings-file fields', () => {
    const line = apiFindingToJson(toApiFinding(coreFinding, 'POST /v1/payments', 'errors'));
    expect(Object.keys(JSON.parse(line)).slice(0, 5)).toEqual([
      'source',
      'environment',
      'api',
      'metric',
      'window_start',
    ]);
    expect(JSON.parse(line)).toMatchObject({
      api: 'POST /v1/payments',
      metric: 'errors',
      observed_rate: 0.081,
    });
  });

  it('adds the latency percentiles of a latency finding, rounded to 0.1 ms', () => {
    const p = (ms: number) => ({ ms, above: false });
    const finding = toApiFinding(coreFinding, 'GET /v1/items', 'latency', {
      boundMs: 500,
      observed: { p50: p(61.234), p95: p(900), p99: p(2_400) },
      normal: { p50: p(60), p95: p(240), p99: p(310.04) },
    });
    expect(JSON.parse(apiFindingToJson(finding)).latency).toEqual({
      bound_ms: 500,
      observed: { p50: p(61.2), p95: p(900), p99: p(2_400) },
      normal: { p50: p(60), p95: p(240), p99: p(310) },
    });
  });

  it('keeps apiDetectionSettings defaults: 4xx off, no SLO, errors ceiling 5 %', () => {
    expect(apiDetectionSettings()).toMatchObject({
      judge4xx: false,
      latencySloMs: undefined,
      coldStartCeilings: { errors: 0.05 },
    });
  });
});
