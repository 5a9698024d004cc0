import { describe, expect, it } from 'vitest';
import { findingFromRecord, findingToJson, findingToRecord } from '../../src/detection/finding-json.js';
import type { Finding } from '../../src/detection/types.js';

const FINDING: Finding = {
  source: 'card-eu',
  environment: 'production',
  metric: 'traffic',
  windowStart: new Date('2026-01-05T17:30:00Z'),
  windowEnd: new Date('2026-01-05T18:02:00Z'),
  direction: 'down',
  models: ['zscore'],
  observedRate: 120,
  expectedRate: 1500.123456789,
  score: 9.5,
  severity: 'critical',
  counts: { observed: 120, expected: 1500, excess: -1380, total: 120 },
  scores: { zscore: 9.5, tree: 3.2 },
};

describe('the stored-finding codec', () => {
  it('reads back what it wrote, rates as stored (6 significant digits)', () => {
    const stored = JSON.parse(findingToJson(FINDING));
    expect(findingFromRecord(stored)).toEqual({ ...FINDING, expectedRate: 1500.12 });
  });

  it('carries the minutes of a silence as silent_minutes, and reads them back', () => {
    const silent: Finding = { ...FINDING, observedRate: 0, silentMinutes: 23 };
    const stored = JSON.parse(findingToJson(silent));
    expect(stored.silent_minutes).toBe(23);
    expect(findingFromRecord(stored)?.silentMinutes).toBe(23);
    expect(JSON.parse(findingToJson(FINDING))).not.toHaveProperty('silent_minutes');
  });

  it('writes the same record as the findings file line', () => {
    expect(findingToRecord(FINDING)).toEqual(JSON.parse(findingToJson(FINDING)));
  });

  it.each([
    ['null', null],
    ['a string', 'failed'],
    ['an unknown metric', { metric: 'latency' }],
    ['a missing window', { window_start: undefined }],
    ['an unparseable window end', { window_end: 'yesterday' }],
    ['an unknown severity', { severity: 'urgent' }],
    ['an unknown model', { models: ['oracle'] }],
    ['counts without a total', { counts: { observed: 1, expected: 1, excess: 0 } }],
    ['a score that is text', { score: '7.2' }],
    ['silent minutes that are text', { silent_minutes: '23' }],
  ])('reads %s as no finding', (_name, change) => {
    const stored = JSON.parse(findingToJson(FINDING));
    const value = change === null || typeof change === 'string' ? change : { ...stored, ...change };
    expect(findingFromRecord(value)).toBeUndefined();
  });
});
