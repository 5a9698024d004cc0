import { logGamma, zFromLogUpperTail } from './stats.js';

/** The median absolute deviation of a standard normal: a standardised sample has MAD 0.6745. */
const NORMAL_MAD = 0.6745;
/** Below this many expected transactions the exact tail is summed; above it the log-normal approximation is close. */
const EXACT_BELOW = 100;
/** Hours expecting fewer transactions than this say nothing about overdispersion. */
const MIN_INFORMATIVE_EXPECTED = 3;

/**
 * ln of observed over expected transactions, with ½ added to both so that 0 observed is finite and 1 of an
 * expected 0.1 is not an infinite surprise. Its sampling variance is ≈ 1 / (expected + ½) (Poisson, delta method).
 */
export function logCountRatio(observed: number, expected: number): number {
  return Math.log((observed + 0.5) / (expected + 0.5));
}

/**
 * How surely `observed` transactions are above (`up`) or below (`down`) `expected`, as a z-score (positive in
 * the given direction), when the true hourly level wanders around its expectation by a log-scale variance
 * `logVariance` on top of Poisson sampling — a negative binomial (Poisson–gamma) count.
 * - expected < 100: the exact negative-binomial tail (Poisson when logVariance is 0), so "1 of an expected 0.03"
 *   scores ≈ 1.9 and 39 of an expected 10 scores ≈ 6.9;
 * - otherwise the log ratio over √(logVariance + 1/(expected + ½)).
 */
export function scoreCount(
  observed: number,
  expected: number,
  logVariance: number,
  direction: 'up' | 'down',
): number {
  const mean = Math.max(expected, 1e-9);
  const sign = direction === 'up' ? 1 : -1;
  const normal = (sign * logCountRatio(observed, mean)) / Math.sqrt(logVariance + 1 / (mean + 0.5));
  if (normal <= 0 || mean >= EXACT_BELOW) return normal;
  const logTail =
    direction === 'up'
      ? logUpperTail(observed, mean, logVariance)
      : logLowerTail(observed, mean, logVariance);
  return zFromLogUpperTail(logTail);
}

/**
 * The extra-sampling variance σ² of hourly log counts around their expectations: the smallest σ² for which the
 * standardised deviations zᵢ = ln((xᵢ+½)/(Eᵢ+½)) / √(σ² + 1/(Eᵢ+½)) have a median |z| of at most 0.6745 (the MAD
 * of a standard normal), as they would if hours were pure sampling noise. Robust to a few incident hours.
 *
 * Closed form: |zᵢ| ≤ 0.6745 ⇔ σ² ≥ tᵢ = ln²((xᵢ+½)/(Eᵢ+½)) / 0.6745² − 1/(Eᵢ+½), so the smallest σ² that makes at
 * least half of them hold is the median of the tᵢ (the "upper median" the MAD uses), floored at 0.
 * Hours expecting under 3 transactions are left out; with fewer than 3 hours left, 0 (pure Poisson).
 */
export function overdispersion(samples: readonly { observed: number; expected: number }[]): number {
  const thresholds: number[] = [];
  for (const s of samples) {
    // Below a few expected transactions the log ratio's spread is sampling noise the delta method misjudges.
    if (s.expected < MIN_INFORMATIVE_EXPECTED) continue;
    thresholds.push(logCountRatio(s.observed, s.expected) ** 2 / NORMAL_MAD ** 2 - 1 / (s.expected + 0.5));
  }
  if (thresholds.length < 3) return 0;
  const sorted = Float64Array.from(thresholds).sort();
  return Math.max(0, sorted[sorted.length >> 1] as number);
}

/** Negative binomial with mean `mean` and log-scale variance `logVariance` (size r = 1/σ²); Poisson as σ² → 0. */
function logPmf(k: number, mean: number, logVariance: number): number {
  if (logVariance < 1e-9) return k * Math.log(mean) - mean - logGamma(k + 1);
  const r = 1 / logVariance;
  const p = mean / (mean + r);
  return logGamma(k + r) - logGamma(r) - logGamma(k + 1) + r * Math.log1p(-p) + k * Math.log(p);
}

/** Ratio pmf(k+1) / pmf(k): lets tails be summed by recurrence after one lgamma-based term. */
function stepRatio(k: number, mean: number, logVariance: number): number {
  if (logVariance < 1e-9) return mean / (k + 1);
  const r = 1 / logVariance;
  return ((k + r) / (k + 1)) * (mean / (mean + r));
}

/** ln P(X ≥ x), summed upward from x (called only for x above the mean, where terms fall off). */
function logUpperTail(x: number, mean: number, logVariance: number): number {
  const first = logPmf(x, mean, logVariance);
  let sum = 1;
  let term = 1;
  for (let k = x; term > 1e-17 * sum && k < x + 100_000; k++) {
    term *= stepRatio(k, mean, logVariance);
    sum += term;
  }
  return first + Math.log(sum);
}

/** ln P(X ≤ x), summed downward from x (called only for x below the mean). */
function logLowerTail(x: number, mean: number, logVariance: number): number {
  const first = logPmf(x, mean, logVariance);
  let sum = 1;
  let term = 1;
  for (let k = x; k > 0 && term > 1e-17 * sum; k--) {
    term /= stepRatio(k - 1, mean, logVariance);
    sum += term;
  }
  return first + Math.log(sum);
}
