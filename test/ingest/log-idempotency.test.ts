import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import { checkIdempotencyKey, idempotencyBatchKey, minutesHash } from '../../src/ingest/log-idempotency.js';

describe('the Idempotency-Key header', () => {
  it.each([
    ['a UUID', '7b9e0f3c-2a41-4c1e-9d1a-5f0c2e8b1a11', true],
    ['one character', 'x', true],
    ['inner spaces', 'batch 12 of 40', true],
    ['255 characters', 'k'.repeat(255), true],
    ['256 characters', 'k'.repeat(256), false],
    ['empty', '', false],
    ['a leading space', ' key', false],
    ['a tab', 'a\tb', false],
    ['a non-ASCII character', 'clé', false],
  ])('%s: usable = %s', (_name, value, usable) => {
    const problems: Problem[] = [];
    expect(checkIdempotencyKey(value, problems) === value).toBe(usable);
    expect(problems.map((p) => p.path)).toEqual(usable ? [] : ['Idempotency-Key']);
  });

  it('is optional', () => {
    const problems: Problem[] = [];
    expect(checkIdempotencyKey(undefined, problems)).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it('is stored scoped by the sources the records name, in any order', () => {
    const key = idempotencyBatchKey(['b-svc', 'a-svc', 'b-svc'], 'k1');
    expect(key).toMatch(/^idem_[0-9a-f]{40}$/);
    expect(idempotencyBatchKey(['a-svc', 'b-svc'], 'k1')).toBe(key);
    expect(idempotencyBatchKey(['a-svc'], 'k1')).not.toBe(key);
    expect(idempotencyBatchKey(['a-svc', 'b-svc'], 'k2')).not.toBe(key);
  });

  it('tells a repeat from other records by what they add up to', () => {
    const minute = {
      source: 's',
      environment: 'production',
      api: 'GET /x',
      minuteMs: 0,
      calls: [1, 0, 0, 0, 0],
      silentFailures: 0,
      latency: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    };
    expect(minutesHash([minute])).toBe(minutesHash([{ ...minute }]));
    expect(minutesHash([minute])).not.toBe(minutesHash([{ ...minute, calls: [0, 0, 0, 1, 0] }]));
  });
});
