import { MAX_COUNT_PER_MINUTE } from './parse-counts.js';
import { isPlainObject } from './posted-time.js';

/**
 * The counts of an object keyed by known names, as an array in the names' order (a missing name is 0);
 * undefined if a value is not a count or a key is not a name. Reads the known names directly: a for-in
 * over keys such as "25" and "50" (array-index keys) was most of the parser's time.
 */
export function countsByName(value: unknown, names: readonly (string | number)[]) {
  if (!isPlainObject(value)) return undefined;
  const counts = new Array<number>(names.length);
  let present = 0;
  for (let i = 0; i < names.length; i++) {
    const count = value[names[i] as string | number];
    if (count === undefined) counts[i] = 0;
    else if (isCount(count)) {
      counts[i] = count;
      present++;
    } else return undefined;
  }
  return Object.keys(value).length === present ? counts : undefined;
}

/** A count as ingest takes it: a safe integer from 0 to 10⁹. */
export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COUNT_PER_MINUTE;
}

export function sumCounts(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
