import { describe, expect, it } from 'vitest';
import { type ApiBand, apiBandFromJson, apiBandOf, apiBandToJson } from '../../src/api-detection/api-band.js';
import type { ApiCounts } from '../../src/api-detection/api-counts.js';
import { type ApiHistoryHour, apiHistoryHour } from '../../src/api-detection/api-history.js';
import { apiDetectionSettings, DEFAULT_API_DETECTION } from '../../src/api-detection/api-settings.js';
import { loadApiTrees, trainApiTrees } from '../../src/api-detection/api-trees.js';
import { evaluateApiHour } from '../../src/api-detection/evaluate-api-hour.js';
import { type ApiTickInput, evaluateApiTick } from '../../src/api-detection/evaluate-api-tick.js';
import { createCalendar } from '../../src/detection/calendar.js';
import {
  type ApiShape,
  HOUR_MS,
  nextApiHour,
  pausedLatency,
  paymentsApi,
  paymentsCalls,
  SLOW_LATENCY,
  untilLocalHour,
} from './helpers/api-history.js';

const MINUTE_MS = 60_000;
const calendar = createCalendar('UTC');

const calls = paymentsCalls;
const normal: ApiShape = { calls };
const settings = DEFAULT_API_DETECTION;
const { history, until, trees } = paymentsApi(settings);
/** The history up to 14:00 of its last day, and the band of 14:00–15:00. */
const past = untilLocalHour(history, 14);
const hourStart = until - 10 * HOUR_MS;
const band = apiBandOf(hourStart, calendar.position(hourStart), past, trees, settings);

/** The hour's six blocks drawn from `shape` (one shape, or one per block). */
function blocksOf(shape: ApiShape | ((block: number) => ApiShape), seed = 99): readonly ApiCounts[] {
  return nextApiHour(past, shape, seed).blocks ?? [];
}

/** A tick at `minutesPast` the hour over the blocks before it; the API last posted a minute before the tick. */
function tick(minutesPast: number, blocks: readonly ApiCounts[], lastReportedMinute?: number): ApiTickInput {
  const at = hourStart + minutesPast * MINUTE_MS;
  return {
    source: 'checkout-api',
    environment: 'production',
    api: 'POST /v1/payments',
    at,
    hourStart,
    blocks: blocks.slice(0, minutesPast / 10),
    lastReportedMinute: lastReportedMinute ?? at - MINUTE_MS,
  };
}

const summary = (f: { metric: string; windowStart: Date; windowEnd: Date }) => [
  f.metric,
  f.windowStart.toISOString().slice(11, 16),
  f.windowEnd.toISOString().slice(11, 16),
];

describe('the band of an API hour', () => {
  it('round-trips through JSON exactly', () => {
    const json = apiBandToJson(band);
    expect(apiBandFromJson(json)).toEqual(band);
    expect(apiBandToJson(apiBandFromJson(json))).toBe(json);
  });

  it.each([
    ['an empty object', '{}'],
    [
      'a payment band',
      apiBandToJson(band)
        .replace(/^\{"hourStart":\d+,"calls":/, '')
        .slice(0, -1),
    ],
    [
      'a latency band without its bound',
      JSON.stringify({ ...band, latency: { ...band.latency, boundMs: '500' } }),
    ],
  ])('refuses %s', (_, json) => {
    expect(() => apiBandFromJson(json)).toThrow();
  });

  it('holds both passes of an established API, the latency pass with the hourly run’s bound and normal', () => {
    expect(band.calls.established).toBe(true);
    expect(band.calls.pace).toBe(60);
    expect(band.calls.rates.failed?.map((m) => m.model)).toEqual(['zscore', 'tree']);
    // The bound the hourly run counts slow calls against: its latency finding says it.
    const slow = nextApiHour(past, { calls, latency: SLOW_LATENCY });
    const hourly = evaluateApiHour(slow, past, trees, settings).findings[0]?.latency;
    expect(band.latency?.boundMs).toBe(500);
    expect(band.latency?.boundMs).toBe(hourly?.boundMs);
    expect(band.latency?.normal).toEqual(hourly?.normal);
    expect(band.latency?.band.rates.failed?.map((m) => m.model)).toEqual(['zscore', 'tree']);
  });

  it('has no latency pass while the API has no normal p99 (cold start: the hourly run’s SLO ceiling)', () => {
    const young = history.slice(0, 24 + 14);
    const start = (young[young.length - 1]?.hourStart ?? 0) + HOUR_MS;
    const cold = apiBandOf(start, calendar.position(start), young, {}, settings);
    expect(cold.latency).toBeNull();
    expect(cold.calls.established).toBe(false);
  });
});

describe('evaluateApiTick', () => {
  it.each([20, 30, 40, 50])(
    'raises nothing at :%i for an ordinary hour, and calls every metric normal',
    (m) => {
      const result = evaluateApiTick(tick(m, blocksOf(normal)), band, settings);
      expect(result.findings).toEqual([]);
      expect(result.normal).toEqual(['errors', 'silent_failures', 'latency', 'traffic']);
    },
  );

  it('raises a 5xx spike of the last twenty minutes at :40, for that api, ending at the tick', () => {
    const spike = (block: number): ApiShape => (block >= 2 ? { calls, share5xx: 0.03 } : normal);
    const { findings } = evaluateApiTick(tick(40, blocksOf(spike)), band, settings);
    expect(findings.map(summary)).toEqual([['errors', '14:20', '14:40']]);
    expect(findings[0]?.api).toBe('POST /v1/payments');
  });

  it('raises a traffic outage when an API that posts every minute has been silent 30 minutes', () => {
    // The API stopped at 14:05: half of the first block, then nothing.
    const first = blocksOf(normal)[0] as ApiCounts;
    const half: ApiCounts = {
      ...first,
      minutes: 5,
      calls: first.calls.map((c) => Math.round(c / 2)),
      latency: first.latency.map((c) => Math.round(c / 2)),
    };
    const stopped = tick(40, [half], hourStart + 4 * MINUTE_MS);
    const { findings } = evaluateApiTick(stopped, band, settings);
    expect(findings.map(summary)).toEqual([['traffic', '14:05', '14:40']]);
    expect(findings[0]).toMatchObject({ direction: 'down', silentMinutes: 35, counts: { observed: 0 } });
  });

  it('raises a latency surge of the last half hour at :50, with p50/p95/p99 observed and normal', () => {
    const surge = (block: number): ApiShape => (block >= 2 ? { calls, latency: SLOW_LATENCY } : normal);
    const { findings } = evaluateApiTick(tick(50, blocksOf(surge)), band, settings);
    expect(findings.map((f) => [f.metric, f.windowEnd.toISOString().slice(11, 16)])).toEqual([
      ['latency', '14:50'],
    ]);
    const facts = findings[0]?.latency;
    expect(facts?.boundMs).toBe(500);
    expect(facts?.normal).toEqual(band.latency?.normal);
    expect(facts?.observed?.p99.ms).toBeGreaterThan(1_000);
  });

  it.each([
    ['in one block', [2]],
    ['straddling two blocks', [2, 3]],
  ])('raises nothing for a latency blip (a few minutes of mostly slow calls) %s', (_, blipBlocks) => {
    const paused = pausedLatency(0.25);
    const blip = (block: number): ApiShape =>
      blipBlocks.includes(block) ? { calls, latency: paused } : normal;
    for (const m of [30, 40, 50]) {
      expect(evaluateApiTick(tick(m, blocksOf(blip)), band, settings).findings).toEqual([]);
    }
  });

  describe('4xx', () => {
    const rise = (block: number): ApiShape => (block >= 1 ? { calls, share4xx: 0.12 } : normal);

    it('are not judged by default', () => {
      const result = evaluateApiTick(tick(50, blocksOf(rise)), band, settings);
      expect(result.findings).toEqual([]);
      expect(result.normal).not.toContain('client_errors');
    });

    it('are judged as client_errors when the source turns judge_4xx on', () => {
      const judging = apiDetectionSettings(undefined, { judge4xx: true });
      const withTrees = loadApiTrees(trainApiTrees(history, until, judging));
      const judged = apiBandOf(hourStart, calendar.position(hourStart), past, withTrees, judging);
      const { findings } = evaluateApiTick(tick(50, blocksOf(rise)), judged, judging);
      expect(findings.map((f) => f.metric)).toEqual(['client_errors']);
    });
  });

  describe('with the previous hour at hand', () => {
    // 13:00–14:00 was ordinary until 13:30, then 3 % 5xx, still so at 14:10.
    const before = untilLocalHour(history, 13);
    const previousStart = hourStart - HOUR_MS;
    const spike = (block: number): ApiShape => (block >= 3 ? { calls, share5xx: 0.03 } : normal);
    const previousHour = nextApiHour(before, spike, 7);
    const afterIt: ApiHistoryHour[] = [
      ...before,
      apiHistoryHour(previousStart, previousHour.counts, calendar, new Set(['errors'])),
    ];
    const previous = {
      band: apiBandOf(previousStart, calendar.position(previousStart), before, trees, settings),
      blocks: previousHour.blocks ?? [],
    };
    const current: ApiBand = apiBandOf(hourStart, calendar.position(hourStart), afterIt, trees, settings);
    const stillFailing = blocksOf({ calls, share5xx: 0.03 });

    it('pages at 14:10 a 5xx spike that began at 13:30, judging all its minutes', () => {
      const { findings } = evaluateApiTick({ ...tick(10, stillFailing), previous }, current, settings);
      expect(findings.map(summary)).toEqual([['errors', '13:30', '14:10']]);
    });

    it('sees only the ten minutes of this hour without it, too short for a rate', () => {
      expect(evaluateApiTick(tick(10, stillFailing), current, settings).findings).toEqual([]);
    });
  });

  it('refuses the band of another hour', () => {
    const other = { ...band, hourStart: hourStart + HOUR_MS };
    expect(() => evaluateApiTick(tick(20, blocksOf(normal)), other, settings)).toThrow();
  });
});
