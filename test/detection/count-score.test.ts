import { describe, expect, it } from 'vitest';
import { logCountRatio, overdispersion, scoreCount } from '../../src/detection/count-score.js';

describe('logCountRatio', () => {
  // ln((x + ½) / (E + ½)).
  it.each([
    [0, 0, 0],
    [9.5, 0, Math.log(20)],
    [99.5, 49.5, Math.log(2)],
  ])('of %d observed over %d expected', (observed, expected, ratio) => {
    expect(logCountRatio(observed, expected)).toBeCloseTo(ratio, 12);
  });
});

describe('scoreCount', () => {
  describe('when fewer than 100 transactions are expected', () => {
    it.each([
      {
        case: '1 of an expected 0.03 (Poisson)',
        args: [1, 0.03, 0, 'up'] as const,
        // P(X ≥ 1) = 1 − e^−0.03 = 0.0295545 → z = Φ⁻¹(1 − 0.0295545) = 1.88738.
        z: 1.887382,
      },
      {
        case: '39 of an expected 10 (Poisson)',
        // P(X ≥ 39 | λ = 10) = 2.95988e−12 → z = 6.88157.
        args: [39, 10, 0, 'up'] as const,
        z: 6.881567,
      },
      {
        case: '5 of an expected 2 with log-variance ½ (negative binomial)',
        // r = 1/σ² = 2, p = E / (E + r) = ½: pmf(k) = (k + 1) / 2^(k+2), so
        // P(X ≥ 5) = 1 − (16 + 16 + 12 + 8 + 5) / 64 = 7/64 → z = Φ⁻¹(57/64) = 1.22986.
        args: [5, 2, 0.5, 'up'] as const,
        z: 1.229859,
      },
      {
        case: '0 of an expected 10, looking down (Poisson)',
        // P(X ≤ 0 | λ = 10) = e^−10 = 4.53999e−5 → z = 3.91395.
        args: [0, 10, 0, 'down'] as const,
        z: 3.913946,
      },
    ])('sums the exact tail: $case', ({ args, z }) => {
      const [observed, expected, logVariance, direction] = args;
      expect(scoreCount(observed, expected, logVariance, direction)).toBeCloseTo(z, 5);
    });

    it('returns the log-ratio score, not a tail, when the count lies on the other side', () => {
      // ln(5.5 / 10.5) / √(1 / 10.5) = −0.64663 / 0.30861 = −2.09531.
      expect(scoreCount(5, 10, 0, 'up')).toBeCloseTo(-2.095311, 5);
    });
  });

  describe('when 100 or more transactions are expected', () => {
    it.each([
      // ln(200.5 / 100.5) = 0.690638; / √(1 / 100.5) = 6.92381; / √(0.04 + 1 / 100.5) = 3.09025.
      [0, 6.92381],
      [0.04, 3.090248],
    ])('divides the log ratio by √(σ² + 1/(E + ½)) (σ² = %d)', (logVariance, z) => {
      expect(scoreCount(200, 100, logVariance, 'up')).toBeCloseTo(z, 4);
    });
  });
});

describe('overdispersion', () => {
  it('is the median of the per-hour thresholds tᵢ = ln²((x+½)/(E+½)) / 0.6745² − 1/(E+½)', () => {
    // E + ½ = 10 in every hour: ln²(0.95)/0.45495 − 0.1 = −0.09422, ln²(1.45)/0.45495 − 0.1 = 0.20346,
    // ln²(0.55)/0.45495 − 0.1 = 0.68560 → median 0.20346. Check: 0.37156 / √(0.20346 + 0.1) = 0.6745.
    const samples = [9, 14, 5].map((observed) => ({ observed, expected: 9.5 }));
    expect(overdispersion(samples)).toBeCloseTo(0.20346, 5);
  });

  it('is 0 when hours deviate less than Poisson noise', () => {
    const samples = [10, 10, 11, 9].map((observed) => ({ observed, expected: 10 }));
    expect(overdispersion(samples)).toBe(0);
  });

  it('leaves out hours expecting under 3 transactions, and is 0 with fewer than 3 hours left', () => {
    const samples = [
      { observed: 40, expected: 2.9 },
      { observed: 0, expected: 2 },
      { observed: 30, expected: 10 },
      { observed: 20, expected: 10 },
    ];
    expect(overdispersion(samples)).toBe(0);
  });
});
