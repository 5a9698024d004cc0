import { describe, expect, it } from 'vitest';
import { callStats } from '../../src/api-calls/call-stats.js';

const none = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

describe('callStats', () => {
  it.each([
    // calls 2xx 3xx 4xx 5xx timeout, silent, histogram → total, error rate, silent rate
    ['the contract example', [1180, 0, 31, 4, 1], 2, 1216, 5 / 1216, 2 / 1216],
    ['4xx alone are no errors', [90, 0, 10, 0, 0], 0, 100, 0, 0],
    ['timeouts are errors', [8, 0, 0, 0, 2], 1, 10, 0.2, 0.1],
    ['only 5xx', [0, 0, 0, 3, 0], 0, 3, 1, 0],
  ] as const)('%s', (_name, calls, silent, total, errorRate, silentRate) => {
    const stats = callStats({ calls, silentFailures: silent, latency: none });
    expect([stats.total, stats.errorRate, stats.silentFailureRate]).toEqual([total, errorRate, silentRate]);
  });

  it('has no rates without calls and no latency without timed calls', () => {
    expect(callStats({ calls: [0, 0, 0, 0, 0], silentFailures: 0, latency: none })).toEqual({
      total: 0,
      errorRate: null,
      silentFailureRate: null,
      latency: null,
    });
  });

  it('reads the percentiles from the histogram alone, interpolated within the bucket', () => {
    // 100 timed calls: 50 in (0, 25], 50 in (25, 50] → p50 = 25 (rank 50 ends the first bucket), p95 = 25 + 25 × 45/50.
    const stats = callStats({
      calls: [120, 0, 0, 0, 0],
      silentFailures: 0,
      latency: [50, 50, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(stats.latency).toMatchObject({
      p50: { ms: 25 },
      p95: { ms: 47.5 },
      p99: { ms: 49.5 },
      calls: 100,
    });
  });
});
