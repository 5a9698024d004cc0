/**
 * Seeded pseudo-random numbers: xoshiro128** (four 32-bit state words) seeded through splitmix32.
 * Never Math.random: every simulated number must come back the same for the same seed.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Log-uniform in [min, max): every factor of ten in the range is equally likely; both bounds > 0. */
  logUniform(min: number, max: number): number;
  /** A whole number from min to max, both included. */
  int(min: number, max: number): number;
  /** Standard normal (mean 0, standard deviation 1), Box–Muller. */
  normal(): number;
  /** A lognormal multiplier with median 1: exp(sigma·z). */
  lognormal(sigma: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** One item, uniformly. Throws on an empty list (a programmer error). */
  pick<T>(items: readonly T[]): T;
}

/**
 * A generator for one named stream of a seed: `createRandom(7, 'profile', 3)` always yields the same
 * numbers, and is independent of `createRandom(7, 'profile', 4)`, so adding a source or a draw in one
 * stream does not shift any other.
 */
export function createRandom(seed: number, ...labels: readonly (string | number)[]): Random {
  const nextUint32 = createXoshiro128(hashLabel(`${seed}/${labels.join('/')}`));
  let spareNormal: number | undefined;
  const next = () => nextUint32() / 4294967296;
  const normal = () => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return {
    next,
    normal,
    uniform: (min, max) => min + (max - min) * next(),
    logUniform: (min, max) => min * (max / min) ** next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    lognormal: (sigma) => Math.exp(sigma * normal()),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}

/** FNV-1a over the label's UTF-16 code units: a 32-bit seed for splitmix32. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i += 1) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function createSplitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let t = state ^ (state >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

function createXoshiro128(seed: number): () => number {
  const seeder = createSplitmix32(seed);
  let [s0, s1, s2, s3] = [seeder(), seeder(), seeder(), seeder()];
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state would yield zeros forever
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}
