import type { ApiMetric } from '../simulate/api-calls/types.js';
import type { Metric } from '../simulate/types.js';
import type { ApiIncident, ScoredApiFinding } from './api-records.js';
import type { Finding, Incident } from './records.js';
import { type Score, scoreFindings } from './score-findings.js';

/**
 * The payment scorer's metric slot each API metric is scored in: scoring needs only "same series, same
 * metric", so an API's findings and incidents go through `scoreFindings` itself — the very same rules
 * (recall, time to detect, episodes) — with the api folded into the series key and the names mapped back.
 */
const SLOTS: Readonly<Record<ApiMetric, Metric>> = {
  errors: 'failed',
  silent_failures: 'denied',
  latency: 'reversed',
  traffic: 'traffic',
};

export interface ApiScoreInput {
  readonly findings: readonly ScoredApiFinding[];
  readonly incidents: readonly ApiIncident[];
  /** Number of (source, environment, api) series: an API is what an episode is counted per. */
  readonly seriesCount: number;
  readonly days: number;
}

/**
 * Scores API findings against labelled API incidents by product.md's rules, per (source, environment, api,
 * metric). False-alert episodes per source-week count each API as a source (the `series` of sources.json).
 * Findings of a metric the simulator never labels (`client_errors`) are left out: with `judge_4xx` off, the
 * default, there are none.
 */
export function scoreApiFindings(input: ApiScoreInput): Score<ApiMetric> {
  const key = (source: string, api: string) => `${source}\u0000${api}`;
  const findings: Finding[] = input.findings.flatMap((f) => {
    const slot = SLOTS[f.metric as ApiMetric];
    return slot ? [{ ...f, source: key(f.source, f.api), metric: slot }] : [];
  });
  const incidents: Incident[] = input.incidents.map((i) => ({
    ...i,
    source: key(i.source, i.api),
    metric: SLOTS[i.metric],
  }));
  const score = scoreFindings({ findings, incidents, seriesCount: input.seriesCount, days: input.days });
  const byMetric = Object.fromEntries(
    (Object.keys(SLOTS) as ApiMetric[]).map((metric) => [metric, score.byMetric[SLOTS[metric]]]),
  ) as Record<ApiMetric, Score['overall']>;
  return { ...score, byMetric };
}
