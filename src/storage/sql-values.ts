/*
 * VALUES lists written by hand and passed to mysql2 as raw SQL, as src/storage/counts.ts does: mysql2's
 * escaping of tens of thousands of values (and its scan of the finished text for placeholders) cost as much CPU
 * as the rest of a 1,000-row batch (bench:ingest). Only numbers and times computed by our code go through
 * here, never text from a request; anything that is not a safe integer or a representable time throws.
 */

/** The value itself, checked: a safe integer, or a programmer error. */
export function sqlInteger(value: number): number {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return value;
}

/** `YYYY-MM-DD HH:MM:SS` in UTC (how mysql2 writes a Date with `timezone: 'Z'`), without quotes. */
export function sqlDatetime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  if (iso.length !== 24) throw new Error(`time out of range: ${iso}`);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** sqlDatetime remembered per instant: the rows of one statement share few minutes and fewer hours. */
export function createDatetimeCache(): (epochMs: number) => string {
  const cache = new Map<number, string>();
  return (epochMs) => {
    let text = cache.get(epochMs);
    if (text === undefined) {
      text = sqlDatetime(epochMs);
      cache.set(epochMs, text);
    }
    return text;
  };
}
