import type { Random } from './random.js';

/**
 * Below this expected count the samplers are exact (inversion of the distribution function);
 * at and above it they use the normal approximation, whose error there is far below the noise we model.
 */
export const EXACT_MEAN_LIMIT = 30;

/**
 * A Poisson draw with the given mean (events per interval). Exact by inversion for mean < 30,
 * otherwise round(mean + √mean·z), never below 0. A mean ≤ 0 (or NaN) gives 0.
 */
export function samplePoisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean >= EXACT_MEAN_LIMIT) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
  const u = random.next();
  let k = 0;
  let probability = Math.exp(-mean);
  let cumulative = probability;
  while (u > cumulative && probability > 0) {
    k += 1;
    probability *= mean / k;
    cumulative += probability;
  }
  return k;
}

/**
 * A binomial draw: successes in `trials` independent tries of `probability` each. Exact by inversion
 * when trials·min(p, 1−p) < 30, otherwise the normal approximation clamped to [0, trials].
 */
export function sampleBinomial(random: Random, trials: number, probability: number): number {
  if (trials <= 0 || !(probability > 0)) return 0;
  if (probability >= 1) return trials;
  if (probability > 0.5) return trials - sampleBinomial(random, trials, 1 - probability);
  const mean = trials * probability;
  if (mean >= EXACT_MEAN_LIMIT) {
    const sd = Math.sqrt(mean * (1 - probability));
    return Math.min(trials, Math.max(0, Math.round(mean + sd * random.normal())));
  }
  return binomialByInversion(random, trials, probability);
}

function binomialByInversion(random: Random, trials: number, probability: number): number {
  const u = random.next();
  const ratio = probability / (1 - probability);
  let k = 0;
  let mass = (1 - probability) ** trials;
  let cumulative = mass;
  while (u > cumulative && k < trials) {
    mass *= (ratio * (trials - k)) / (k + 1);
    k += 1;
    cumulative += mass;
  }
  return k;
}
