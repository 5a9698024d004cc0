import type { Occurrence } from '../../src/alerts/alert-merge.js';
import type { StoredAlert } from '../../src/alerts/alert-store.js';
import type { Finding } from '../../src/detection/types.js';

/** 17:00–18:02 UTC on 21 November 2026: the evaluated hour and the run that judged it. */
export const HOUR = new Date('2026-11-21T17:00:00Z');
export const RAN = new Date('2026-11-21T18:02:00Z');

/** A later hour, `hours` after HOUR. */
export const hourAfter = (hours: number) => new Date(HOUR.getTime() + hours * 3_600_000);

export const FINDING: Finding = {
  source: 'card-eu',
  environment: 'production',
  metric: 'failed',
  windowStart: HOUR,
  windowEnd: RAN,
  direction: 'up',
  models: ['zscore', 'tree'],
  observedRate: 0.031,
  expectedRate: 0.009,
  score: 7.2,
  severity: 'high',
  counts: { observed: 1530, expected: 444, excess: 1086, total: 49355 },
  scores: { zscore: 7.2, tree: 6.1 },
};

/** An open alert as the store locks it: seen once, at HOUR's evaluation. */
export function storedAlert(over: Partial<StoredAlert> = {}): StoredAlert {
  return {
    id: 42,
    source: 'card-eu',
    environment: 'production',
    metric: 'failed',
    status: 'new',
    severity: 'high',
    origin: 'detection',
    title: 'failed rate 3.1% (expected 0.9%)',
    summary: '≈ 1,086 more failures than expected (1,530 of 49,355 transactions)',
    occurrences: 1,
    firstSeenAt: RAN,
    lastSeenAt: RAN,
    lastFinding: FINDING,
    recoveredAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    revision: 1,
    lastEvaluatedHour: HOUR,
    normalHours: 0,
    ...over,
  };
}

/** A finding of the next hour, as the evaluation raises it. */
export function occurrence(over: Partial<Occurrence> = {}): Occurrence {
  return {
    source: 'card-eu',
    environment: 'production',
    metric: 'failed',
    severity: 'high',
    origin: 'detection',
    title: 'failed rate 4.0% (expected 0.9%)',
    summary: '≈ 1,500 more failures than expected',
    finding: { ...FINDING, windowStart: hourAfter(1), windowEnd: hourAfter(2), observedRate: 0.04 },
    actor: 'ratewatch',
    channel: 'auto',
    at: hourAfter(2),
    hourStart: hourAfter(1),
    ...over,
  };
}
