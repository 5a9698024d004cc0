import { describe, expect, it } from 'vitest';
import { formatCount, formatRate, valueScale } from '../../src/charts/value-axis.js';

const rate = { kind: 'rate' } as const;
const count = { kind: 'count', unit: 'transactions per hour' } as const;

describe('formatRate', () => {
  it.each([
    { rate: 0.008, interval: undefined, label: '0.8 %' },
    { rate: 0.038, interval: undefined, label: '3.8 %' },
    { rate: 0.0375, interval: undefined, label: '3.8 %' },
    { rate: 0.125, interval: undefined, label: '13 %' },
    { rate: 0, interval: undefined, label: '0 %' },
    { rate: 0.02, interval: 0.01, label: '2 %' },
    { rate: 0.0075, interval: 0.0025, label: '0.75 %' },
    { rate: 0.005, interval: 0.0025, label: '0.5 %' },
    { rate: 0.0004, interval: 0.0002, label: '0.04 %' },
  ])('writes $rate as "$label" (axis step $interval)', ({ rate: value, interval, label }) => {
    expect(formatRate(value, interval)).toBe(label);
  });
});

describe('formatCount', () => {
  it.each([
    { value: 850, interval: undefined, label: '850' },
    { value: 1_200, interval: undefined, label: '1.2k' },
    { value: 45_000, interval: undefined, label: '45k' },
    { value: 1_300_000, interval: undefined, label: '1.3M' },
    { value: 2_500_000_000, interval: undefined, label: '2.5B' },
    { value: 1_250, interval: 250, label: '1.25k' },
    { value: 1_000, interval: 250, label: '1k' },
    { value: 500, interval: 250, label: '500' },
    { value: 1_500_000, interval: 500_000, label: '1.5M' },
    { value: 0, interval: 500_000, label: '0' },
  ])('writes $value as "$label" (axis step $interval)', ({ value, interval, label }) => {
    expect(formatCount(value, interval)).toBe(label);
  });
});

describe('valueScale', () => {
  describe('for rates', () => {
    // 3.8 % + 8 % = 4.1 %; in at most 5 steps: a step of at least 0.82 % → 1 %, up to 5 %.
    it('puts a 3.8 % peak under a 0–5 % axis in 1 % steps', () => {
      const scale = valueScale(0.038, rate);
      expect(scale).toMatchObject({ max: 0.05, interval: 0.01 });
      expect(scale.ticks.map((t) => t.label)).toEqual(['0 %', '1 %', '2 %', '3 %', '4 %', '5 %']);
    });

    // 0.9 % + 8 % = 0.972 %: step ≥ 0.194 % → 0.2 %, up to 1 %.
    it('labels a quiet 0.9 % series in 0.2 % steps', () => {
      expect(valueScale(0.009, rate).ticks.map((t) => t.label)).toEqual([
        '0 %',
        '0.2 %',
        '0.4 %',
        '0.6 %',
        '0.8 %',
        '1 %',
      ]);
    });

    it('gives a flat zero series an axis of 0–1 %', () => {
      expect(valueScale(0, rate)).toMatchObject({ max: 0.01, interval: 0.002 });
    });
  });

  describe('for volumes', () => {
    // 1.8M + 8 % = 1.944M: step ≥ 388.8k → 500k, up to 2M.
    it('labels millions compactly', () => {
      expect(valueScale(1_800_000, count).ticks.map((t) => t.label)).toEqual([
        '0',
        '500k',
        '1M',
        '1.5M',
        '2M',
      ]);
    });

    // 1,100 + 8 % = 1,188: step ≥ 237.6 → 250, up to 1,250.
    it('labels thousands with the step’s decimals', () => {
      expect(valueScale(1_100, count).ticks.map((t) => t.label)).toEqual([
        '0',
        '250',
        '500',
        '750',
        '1k',
        '1.25k',
      ]);
    });

    // 2 + 8 % = 2.16: step ≥ 0.432 → 0.5, raised to 1; up to 3.
    it('never steps by less than one transaction', () => {
      expect(valueScale(2, count)).toMatchObject({ interval: 1, max: 3 });
    });

    it('gives a flat zero series an axis of 0–10', () => {
      expect(valueScale(0, count)).toMatchObject({ max: 10, interval: 2 });
    });
  });
});
