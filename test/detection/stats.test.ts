import { describe, expect, it } from 'vitest';
import {
  logBinomialUpperTail,
  logGamma,
  median,
  normalQuantile,
  zFromLogUpperTail,
} from '../../src/detection/stats.js';

describe('logGamma', () => {
  // Γ(1) = 1, Γ(5) = 4! = 24, Γ(½) = √π.
  it.each([
    [1, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
  ])('gives ln Γ(%d)', (x, expected) => {
    expect(logGamma(x)).toBeCloseTo(expected, 12);
  });
});

describe('normalQuantile', () => {
  // Φ(0) = ½, Φ(1.959964) = 0.975, Φ(−3.090232) = 0.001, Φ(1) = 0.8413447460685429 (standard normal tables).
  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.001, -3.090232306167813],
    [0.8413447460685429, 1],
  ])('returns Φ⁻¹(%d)', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 8);
  });

  it('is minus or plus infinity outside (0, 1)', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('zFromLogUpperTail', () => {
  // The z whose upper tail is p: p = ½ → 0; 0.025 → 1.96; 1e-16 → 8.2221.
  it.each([
    [Math.log(0.5), 0],
    [Math.log(0.025), 1.959963984540054],
    [Math.log(1e-16), 8.222082216130435],
  ])('turns ln p = %d into a z-score', (logP, z) => {
    expect(zFromLogUpperTail(logP)).toBeCloseTo(z, 7);
  });

  it('inverts tails below double precision asymptotically', () => {
    // ln Q(z) = −1000 solved with 50-digit arithmetic: z = 44.6157477…; the asymptotic series is this close.
    expect(zFromLogUpperTail(-1000)).toBeCloseTo(44.6157477, 3);
  });

  it('is minus infinity for a certain event (ln p ≥ 0)', () => {
    expect(zFromLogUpperTail(0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('exact tails', () => {
  it('sums the binomial upper tail', () => {
    // P(X ≥ 2 | n = 3, p = ½) = (3 + 1) / 8 = ½.
    expect(logBinomialUpperTail(2, 3, 0.5)).toBeCloseTo(Math.log(0.5), 12);
    expect(logBinomialUpperTail(0, 3, 0.5)).toBe(0);
    expect(logBinomialUpperTail(4, 3, 0.5)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[], undefined],
  ])('of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
