import type { Alert } from '../../src/alerts/alert.js';
import type { Finding } from '../../src/detection/types.js';

/** The evaluated hour 17:00 UTC on 21 November 2026, and when its evaluation ran. */
export const HOUR = new Date('2026-11-21T17:00:00Z');
export const RAN = new Date('2026-11-21T18:02:00Z');

/** A failed-rate finding of card-eu/production for that hour: 3.1 % where 0.9 % was expected. */
export function aFinding(over: Partial<Finding> = {}): Finding {
  return {
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
    ...over,
  };
}

/** A new detection alert raised by that finding, seen once. */
export function anAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: 42,
    source: 'card-eu',
    environment: 'production',
    api: null,
    metric: 'failed',
    status: 'new',
    severity: 'high',
    origin: 'detection',
    title: 'failed rate 3.1% (expected 0.9%)',
    summary: '≈ 1,086 more failures than expected (1,530 of 49,355 transactions)',
    occurrences: 1,
    firstSeenAt: RAN,
    lastSeenAt: RAN,
    lastFinding: aFinding(),
    recoveredAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    revision: 1,
    dataWindow: { start: HOUR, end: new Date(HOUR.getTime() + 3_600_000) },
    ...over,
  };
}
