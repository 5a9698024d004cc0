import type { Finding } from './types.js';

/**
 * A finding as one JSON line (the findings file format of product.md): snake_case keys, ISO UTC times.
 * For traffic, observed_rate and expected_rate are transactions in the window.
 */
export function findingToJson(finding: Finding): string {
  return JSON.stringify({
    source: finding.source,
    environment: finding.environment,
    metric: finding.metric,
    window_start: finding.windowStart.toISOString(),
    window_end: finding.windowEnd.toISOString(),
    direction: finding.direction,
    models: finding.models,
    observed_rate: roundRate(finding.observedRate),
    expected_rate: roundRate(finding.expectedRate),
    score: finding.score,
    severity: finding.severity,
    counts: finding.counts,
    scores: finding.scores,
  });
}

function roundRate(value: number): number {
  return Number(value.toPrecision(6));
}
