/**
 * Small, exact statistics for count data. Pure functions, no dependencies.
 * Tail probabilities are computed in log space so tiny p-values (1e-30) keep their precision.
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos, |error| < 1e-14). */
export function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0] as number;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += (c[i] as number) / (z + i);
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X = k) for X ~ Binomial(n, p). */
export function logBinomialPmf(k: number, n: number, p: number): number {
  if (p <= 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  if (p >= 1) return k === n ? 0 : Number.NEGATIVE_INFINITY;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** ln(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const max = Math.max(a, b);
  return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
}

/** Sums ln pmf(k) for k = from, from+step, … while terms matter (they fall geometrically past the mode). */
function logTailSum(logPmf: (k: number) => number, from: number, to: number, step: 1 | -1): number {
  let total = Number.NEGATIVE_INFINITY;
  for (let k = from; step === 1 ? k <= to : k >= to; k += step) {
    const term = logPmf(k);
    total = logAdd(total, term);
    if (term < total - 40) break; // e^-40: the rest cannot change the sum
  }
  return total;
}

/** ln P(X ≥ x) for X ~ Binomial(n, p). Exact; sums from the short side of the mode. */
export function logBinomialUpperTail(x: number, n: number, p: number): number {
  if (x <= 0) return 0;
  if (x > n) return Number.NEGATIVE_INFINITY;
  const mode = Math.floor((n + 1) * p);
  if (x > mode) return logTailSum((k) => logBinomialPmf(k, n, p), x, n, 1);
  const lower = logTailSum((k) => logBinomialPmf(k, n, p), x - 1, 0, -1);
  return Math.log(Math.max(Number.MIN_VALUE, -Math.expm1(lower)));
}

/**
 * The z-score whose standard normal upper tail equals e^logP: 0 for p = 0.5, ≈ 3.09 for p = 0.001,
 * ≈ 8.2 for p = 1e-16. Negative for p > 0.5.
 */
export function zFromLogUpperTail(logP: number): number {
  if (logP >= 0) return Number.NEGATIVE_INFINITY;
  const p = Math.exp(logP);
  if (p > 1e-300) return -normalQuantile(p);
  // Asymptotic inversion of the normal tail for p below double precision: ln p ≈ -z²/2 - ln(z√(2π)).
  let z = Math.sqrt(-2 * logP);
  for (let i = 0; i < 4; i++) z = Math.sqrt(-2 * (logP + Math.log(z) + LN_SQRT_2PI));
  return z;
}

/**
 * Φ⁻¹(p), the standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9): the z with
 * P(Z ≤ z) = p. −∞ for p ≤ 0, +∞ for p ≥ 1.
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const a = [
    -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472,
    2.50662827745924,
  ];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [
    -0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497,
    2.93816398269878,
  ];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

function poly(coefficients: number[], x: number): number {
  return coefficients.reduce((acc, coefficient) => acc * x + coefficient, 0);
}

/** The median of a list (undefined when empty). Does not modify its input. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
