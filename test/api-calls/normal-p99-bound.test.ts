import { describe, expect, it } from 'vitest';
import { normalP99Bound } from '../../src/api-calls/normal-p99-bound.js';

const histogram = (buckets: Record<number, number>) => Array.from({ length: 10 }, (_, i) => buckets[i] ?? 0);

describe('normalP99Bound', () => {
  it.each([
    // product.md's example: 15 of 1,215 calls slower than 250 ms (1.2 %), 5 slower than 500 ms (0.4 %)
    ['the example: p99 321 ms → 500 ms', [300, 610, 250, 40, 10, 3, 1, 0, 0, 1], 500, 5 / 1215],
    ['p99 in the first bucket → 25 ms', histogram({ 0: 1000, 1: 5 }), 25, 5 / 1005],
    ['p99 exactly on a bound → that bound', histogram({ 0: 990, 1: 10 }), 25, 10 / 1000],
    ['just over 1 % slower → the next bound', histogram({ 0: 989, 1: 11 }), 50, 0],
  ])('%s', (_, history, boundMs, normalShare) => {
    expect(normalP99Bound(history)).toEqual({ kind: 'bound', boundMs, normalShare, capped: false });
  });

  it('caps at 10 s when more than 1 % of calls were slower than that', () => {
    expect(normalP99Bound(histogram({ 3: 980, 9: 20 }))).toEqual({
      kind: 'bound',
      boundMs: 10000,
      normalShare: 0.02,
      capped: true,
    });
  });

  it('has no bound without enough history', () => {
    expect(normalP99Bound(histogram({}))).toEqual({ kind: 'none', reason: 'too-little-history' });
    expect(normalP99Bound(histogram({ 2: 199 }))).toEqual({ kind: 'none', reason: 'too-little-history' });
    expect(normalP99Bound(histogram({ 2: 200 })).kind).toBe('bound');
    expect(normalP99Bound(histogram({ 2: 50 }), 50).kind).toBe('bound');
  });

  it('has no bound when every call was slower than 10 s: nothing measurable can rise', () => {
    expect(normalP99Bound(histogram({ 9: 500 }))).toEqual({ kind: 'none', reason: 'all-beyond-range' });
  });
});
