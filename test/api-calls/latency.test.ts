import { describe, expect, it } from 'vitest';
import {
  callsSlowerThan,
  formatLatency,
  LATENCY_BUCKETS,
  latencyBucketOf,
  latencyPercentile,
  latencySummary,
  mergeHistograms,
} from '../../src/api-calls/latency.js';

// The histogram of product.md's example: 1,215 calls with a response.
const example = [300, 610, 250, 40, 10, 3, 1, 0, 0, 1];

describe('the latency histogram', () => {
  it('has the bounds of the contract', () => {
    expect(LATENCY_BUCKETS).toEqual([
      '25',
      '50',
      '100',
      '250',
      '500',
      '1000',
      '2500',
      '5000',
      '10000',
      'inf',
    ]);
  });

  it.each([
    [0, '25'],
    [25, '25'],
    [25.01, '50'],
    [132, '250'],
    [10000, '10000'],
    [10000.5, 'inf'],
    [86_400_000, 'inf'],
  ])('puts a call of %d ms in bucket %s', (ms, bucket) => {
    expect(LATENCY_BUCKETS[latencyBucketOf(ms)]).toBe(bucket);
  });

  describe('percentiles, interpolated within the bucket', () => {
    it.each([
      // p50: rank 607.5 falls in (25, 50] with 300 below and 610 in it: 25 + 25·307.5/610
      [0.5, 37.602459],
      // p95: rank 1154.25 in (50, 100], 910 below, 250 in it: 50 + 50·244.25/250
      [0.95, 98.85],
      // p99: rank 1202.85 in (250, 500], 1200 below, 10 in it: 250 + 250·2.85/10
      [0.99, 321.25],
      // the slowest call is in inf: over 10 s
      [1, 10000],
    ])('q %d of the example is %d ms', (q, ms) => {
      expect(latencyPercentile(example, q)?.ms).toBeCloseTo(ms, 5);
    });

    it('reports the first bucket from 0 ms', () => {
      // 4 calls ≤ 25 ms: the median's rank 2 is half-way: 12.5 ms
      expect(latencyPercentile([4, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toEqual({ ms: 12.5, above: false });
    });

    it('says "> 10 s" for a percentile among the calls slower than 10 s, without inventing a number', () => {
      const p99 = latencyPercentile([90, 0, 0, 0, 0, 0, 0, 0, 0, 10], 0.99);
      expect(p99).toEqual({ ms: 10000, above: true });
      expect(formatLatency(p99 as NonNullable<typeof p99>)).toBe('> 10 s');
    });

    it('has none for no calls', () => {
      expect(latencyPercentile(new Array(10).fill(0), 0.5)).toBeNull();
      expect(latencySummary([])).toBeNull();
    });

    it('gives p50, p95 and p99 together, and says they are interpolated', () => {
      const summary = latencySummary(example);
      expect(summary?.p99.ms).toBeCloseTo(321.25, 6);
      expect([summary?.calls, summary?.interpolated]).toEqual([1215, true]);
    });
  });

  it('merges histograms bucket by bucket', () => {
    expect(mergeHistograms([example, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]])).toEqual([
      301, 611, 251, 41, 11, 4, 2, 1, 1, 2,
    ]);
    expect(mergeHistograms([])).toEqual(new Array(10).fill(0));
  });

  it.each([
    [25, 915],
    [250, 15],
    [500, 5],
    [10000, 1],
  ])('counts the calls slower than %d ms: %d', (bound, slower) => {
    expect(callsSlowerThan(example, bound)).toBe(slower);
  });

  it('refuses to count against a value that is not a bound', () => {
    expect(() => callsSlowerThan(example, 300)).toThrow('300 ms is not a latency bucket bound');
  });

  it.each([
    [{ ms: 37.6, above: false }, '38 ms'],
    [{ ms: 999.6, above: false }, '1 s'],
    [{ ms: 2400, above: false }, '2.4 s'],
    [{ ms: 310, above: false }, '310 ms'],
  ])('shows %j as %s', (percentile, text) => {
    expect(formatLatency(percentile)).toBe(text);
  });
});
