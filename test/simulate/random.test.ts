import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/simulate/random.js';
import { sampleBinomial, samplePoisson } from '../../src/simulate/sampling.js';

const draws = (count: number, draw: () => number) => Array.from({ length: count }, draw);
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const variance = (values: readonly number[]) => {
  const m = mean(values);
  return values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
};

describe('createRandom', () => {
  it('yields the same numbers for the same seed and labels', () => {
    expect(draws(5, createRandom(7, 'a', 1).next)).toEqual(draws(5, createRandom(7, 'a', 1).next));
  });

  it('yields other numbers for another seed or another label', () => {
    const first = draws(5, createRandom(7, 'a', 1).next);
    expect(draws(5, createRandom(8, 'a', 1).next)).not.toEqual(first);
    expect(draws(5, createRandom(7, 'a', 2).next)).not.toEqual(first);
  });

  it('draws uniform numbers in [0, 1) and standard normals', () => {
    const random = createRandom(1);
    const uniform = draws(20_000, random.next);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    expect(mean(uniform)).toBeCloseTo(0.5, 2);
    const normal = draws(20_000, random.normal);
    expect(mean(normal)).toBeCloseTo(0, 1);
    expect(variance(normal)).toBeCloseTo(1, 1);
  });
});

describe('samplePoisson', () => {
  it.each([0.05, 3, 29, 500])('has mean and variance near %s', (lambda) => {
    const random = createRandom(2, lambda);
    const values = draws(20_000, () => samplePoisson(random, lambda));
    expect(mean(values) / lambda).toBeCloseTo(1, 1);
    expect(variance(values) / lambda).toBeCloseTo(1, 1);
    expect(values.every(Number.isInteger)).toBe(true);
  });

  it('gives 0 for a mean of 0', () => {
    expect(samplePoisson(createRandom(1), 0)).toBe(0);
  });
});

describe('sampleBinomial', () => {
  it.each([
    [10, 0.3],
    [2000, 0.004],
    [5000, 0.5],
    [100_000, 0.02],
    [40, 0.97],
  ])('of %s trials at %s has the binomial mean and variance', (trials, p) => {
    const random = createRandom(3, trials, p);
    const values = draws(20_000, () => sampleBinomial(random, trials, p));
    expect(mean(values) / (trials * p)).toBeCloseTo(1, 1);
    expect(variance(values) / (trials * p * (1 - p))).toBeCloseTo(1, 1);
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v <= trials)).toBe(true);
  });

  it('gives 0 for no trials or p = 0, and every trial for p = 1', () => {
    const random = createRandom(1);
    expect([
      sampleBinomial(random, 0, 0.5),
      sampleBinomial(random, 9, 0),
      sampleBinomial(random, 9, 1),
    ]).toEqual([0, 0, 9]);
  });
});
