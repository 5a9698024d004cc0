import { createHash } from 'node:crypto';
import type { ApiMinute } from '../api-calls/api-minute.js';
import type { Problem } from '../errors.js';

/** 1–255 printable ASCII characters, no space at either end: what the Idempotency-Key header may hold. */
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?$/;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The header's value, or undefined (and a problem when it is there but unusable). */
export function checkIdempotencyKey(value: string | undefined, problems: Problem[]): string | undefined {
  if (value === undefined) return undefined;
  if (KEY_PATTERN.test(value)) return value;
  problems.push({
    path: IDEMPOTENCY_HEADER,
    message: 'must be 1-255 printable ASCII characters (a UUID is a good key), or left out',
  });
  return undefined;
}

/**
 * The stored key of a log post: `idem_` + 40 hex of sha256 over the header's value and the sources the records
 * name. Scoped by the sources, so two services sharing INGEST_TOKEN cannot swallow each other's posts by
 * choosing the same key; a repeat of a request names the same sources, so it finds its key.
 */
export function idempotencyBatchKey(sources: readonly string[], key: string): string {
  const sorted = [...new Set(sources)].sort();
  const text = ['v1', String(sorted.length), ...sorted, key].join('\u0000');
  return `idem_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}

/**
 * What a log post adds, as a hash: the sum per minute and API (sorted), so the same records in another order or
 * with other whitespace are the same request, and a reused key with other records is told apart (409).
 */
export function minutesHash(minutes: readonly ApiMinute[]): string {
  const hash = createHash('sha256');
  for (const m of minutes)
    hash.update(
      `${JSON.stringify([m.source, m.environment, m.api, m.minuteMs, m.calls, m.silentFailures, m.latency])}\n`,
    );
  return hash.digest('hex');
}
