import type { Score } from './score-findings.js';

/**
 * The field-by-field mean of scores of the same shape (one per seed): counts and ratios alike are
 * averaged; a null is left out, and a field null in every score stays null. Groups (metrics, kinds)
 * missing from some scores are averaged over the scores that have them.
 */
export function meanScore<M extends string>(scores: readonly Score<M>[]): Score<M> {
  return meanOf(scores) as Score<M>;
}

function meanOf(values: readonly unknown[]): unknown {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return null;
  if (present.every((v) => typeof v === 'number'))
    return (present as number[]).reduce((a, b) => a + b, 0) / present.length;
  if (present.every((v) => typeof v === 'object')) {
    const keys = [...new Set(present.flatMap((v) => Object.keys(v as object)))];
    const records = present as Record<string, unknown>[];
    return Object.fromEntries(keys.map((key) => [key, meanOf(records.map((r) => r[key]))]));
  }
  return present[0];
}
