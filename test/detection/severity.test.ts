import { describe, expect, it } from 'vitest';
import { coldStartVerdict, ownLevel } from '../../src/detection/cold-start.js';
import { DEFAULT_DETECTION, DEFAULT_SEVERITY } from '../../src/detection/settings.js';
import { deviationFactor, severityOf } from '../../src/detection/severity.js';

describe('severityOf', () => {
  // Default table: critical score ≥ 12 and factor ≥ 5; high 8 and 3; medium 6 and 2; low otherwise.
  it.each([
    [13, 6, 'critical'],
    [13, 4, 'high'],
    [9, 2.5, 'medium'],
    [7, 1.8, 'low'],
    [5, 10, 'low'],
    [12, 5, 'critical'],
  ] as const)('gives score %d and factor %d the severity %s', (score, factor, severity) => {
    expect(severityOf(score, factor, DEFAULT_SEVERITY)).toBe(severity);
  });

  it('falls back to low when no rule matches', () => {
    expect(severityOf(1, 1, [{ severity: 'high', minScore: 5, minFactor: 2 }])).toBe('low');
  });
});

describe('deviationFactor', () => {
  it.each([
    { observed: 0.06, expected: 0.02, direction: 'up', factor: 3, why: 'a rise: observed / expected' },
    { observed: 20, expected: 100, direction: 'down', factor: 5, why: 'a drop: expected / observed' },
    { observed: 0.01, expected: 0.02, direction: 'up', factor: 1, why: 'never below 1' },
    { observed: 5, expected: 0, direction: 'up', factor: Number.POSITIVE_INFINITY, why: 'from nothing' },
    { observed: 0, expected: 0, direction: 'up', factor: 1, why: 'nothing to nothing' },
  ] as const)('is $factor for $why', ({ observed, expected, direction, factor }) => {
    expect(deviationFactor(observed, expected, direction)).toBe(factor);
  });
});

describe('coldStartVerdict', () => {
  const window = (total: number, failed: number) => ({ minutes: 60, total, failed, denied: 0, reversed: 0 });

  it.each([
    // P(X ≥ 20 | n = 100, p = 0.05) = 1.0523e−7 → z = 5.1899; P(X ≥ 10) = 0.028188 → z = 1.9081;
    // P(X ≥ 6) = 0.38400 → z = 0.2950; 5 of 100 is not above the 5 % ceiling → 0.
    [20, 5.189854],
    [10, 1.908113],
    [6, 0.29499],
    [5, 0],
  ])('scores %d failed of 100 against the 5 %% ceiling as the binomial tail', (failed, z) => {
    const verdict = coldStartVerdict('failed', window(100, failed), DEFAULT_DETECTION);
    expect(verdict?.model).toBe('absolute');
    expect(verdict?.expected).toBe(0.05);
    expect(verdict?.score).toBeCloseTo(z, 4);
  });

  it('does not judge a window under 100 transactions, or a metric without a ceiling', () => {
    expect(coldStartVerdict('failed', window(99, 50), DEFAULT_DETECTION)).toBeUndefined();
    const noCeilings = { ...DEFAULT_DETECTION, coldStartCeilings: {} };
    expect(coldStartVerdict('failed', window(500, 250), noCeilings)).toBeUndefined();
  });
});

describe('ownLevel', () => {
  const hour = (total: number, failed: number) => ({ minutes: 60, total, failed, denied: 0, reversed: 0 });
  const hours = (n: number, total: number, failed: number) =>
    Array.from({ length: n }, () => hour(total, failed));

  it.each([
    { why: 'five hours are too few to know a level', history: hours(5, 100, 10), level: undefined },
    { why: 'six steady hours at 10 %', history: hours(6, 100, 10), level: 0.1 },
    {
      why: 'one incident hour among six is not the level',
      history: [...hours(5, 100, 10), hour(100, 50)],
      level: 0.1,
    },
    {
      why: 'a quiet hour weighs by its transactions',
      history: [...hours(6, 100, 2), hour(3, 1)],
      level: 0.02,
    },
    {
      why: 'hours without traffic do not count',
      history: [...hours(5, 100, 10), hour(0, 0)],
      level: undefined,
    },
    {
      why: 'the hours holding 75 % of the transactions',
      history: [...hours(3, 100, 1), ...hours(3, 100, 4)],
      level: 0.04,
    },
  ])('is $level when $why', ({ history, level }) => {
    expect(ownLevel('failed', history)).toBe(level);
  });
});
