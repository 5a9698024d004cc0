import type { Alert } from '../../src/alerts/alert.js';
import type { ApiFinding, LatencyFacts } from '../../src/detection/api-finding.js';
import { anAlert, HOUR, RAN } from './alerts.js';

const ms = (value: number, above = false) => ({ ms: value, above });

/** Latency facts of POST /v1/payments: p99 2.4 s against a normal 310 ms, slow = over 500 ms. */
export const SLOW: LatencyFacts = {
  boundMs: 500,
  observed: { p50: ms(610), p95: ms(1240), p99: ms(2400) },
  normal: { p50: ms(120), p95: ms(240), p99: ms(310) },
};

/** A finding of checkout-api's POST /v1/payments for HOUR: 5xx + timeouts 8.1 % where 0.3 % is normal. */
export function anApiFinding(over: Partial<ApiFinding> = {}): ApiFinding {
  return {
    source: 'checkout-api',
    environment: 'production',
    api: 'POST /v1/payments',
    metric: 'errors',
    windowStart: HOUR,
    windowEnd: RAN,
    direction: 'up',
    models: ['zscore', 'tree'],
    observedRate: 0.081,
    expectedRate: 0.003,
    score: 14.2,
    severity: 'critical',
    counts: { observed: 972, expected: 36, excess: 936, total: 12000 },
    scores: { zscore: 14.2, tree: 11.0 },
    ...over,
  };
}

/** The alert that finding opened. */
export function anApiAlert(finding: ApiFinding = anApiFinding(), over: Partial<Alert> = {}): Alert {
  return anAlert({
    source: finding.source,
    environment: finding.environment,
    api: finding.api,
    metric: finding.metric,
    severity: finding.severity,
    title: '5xx+timeouts 8.1% (expected 0.3%)',
    summary: null,
    lastFinding: finding,
    ...over,
  });
}
