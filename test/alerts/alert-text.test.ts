import { describe, expect, it } from 'vitest';
import { findingExcess, findingHeadline, findingStory, findingTitle } from '../../src/alerts/alert-text.js';
import type { Finding } from '../../src/detection/types.js';

const silence: Finding = {
  source: 'card-eu',
  environment: 'production',
  metric: 'traffic',
  windowStart: new Date('2026-11-21T17:27:00Z'),
  windowEnd: new Date('2026-11-21T17:50:00Z'),
  direction: 'down',
  models: ['zscore', 'tree'],
  observedRate: 0,
  expectedRate: 4_104.4,
  score: 41.2,
  severity: 'critical',
  counts: { observed: 0, expected: 4_104.4, excess: -4_104, total: 0 },
  scores: { zscore: 41.2, tree: 40.8 },
  silentMinutes: 23,
};

describe('the words of a silence', () => {
  it('say how long the source has been quiet and how much traffic was expected', () => {
    expect(findingStory(silence)).toBe('no reports for 23 minutes; ≈ 4,104 transactions expected');
    expect(findingTitle(silence)).toBe('no reports for 23 minutes; ≈ 4,104 transactions expected');
    expect(findingExcess(silence)).toBe('no reports for 23 minutes; ≈ 4,104 transactions expected');
  });

  it('head the card with the silence', () => {
    expect(findingHeadline(silence)).toBe('no reports for 23 minutes');
  });

  it('count calls for an API that stopped posting', () => {
    const api = { ...silence, api: 'GET /v1/orders', metric: 'traffic' as const };
    expect(findingTitle(api)).toBe('no reports for 23 minutes; ≈ 4,104 calls expected');
    expect(findingHeadline(api)).toBe('no reports for 23 minutes');
  });

  it('leave an ordinary traffic drop as it was', () => {
    const { silentMinutes: _, ...drop } = silence;
    expect(findingHeadline({ ...drop, observedRate: 120, counts: { ...drop.counts, observed: 120 } })).toBe(
      'traffic down 97 % (120 vs normal ≈ 4,104)',
    );
  });
});
