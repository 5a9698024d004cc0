import type { ApiFinding, LatencyFacts, LatencyPercentiles, LatencyPoint } from './api-finding.js';
import { type FindingRecord, findingToRecord } from './finding-json.js';
import type { Finding } from './types.js';

/** The latency facts of a finding line: ms rounded to 0.1, `above` kept (a p99 in the `inf` bucket is "> 10 s"). */
export interface LatencyRecord {
  readonly bound_ms: number;
  readonly observed: LatencyPercentiles | null;
  readonly normal: LatencyPercentiles | null;
  readonly slo_ms?: number;
}

/** An API finding as a line of the findings file: the payment record plus `api` (and `latency` for latency). */
export interface ApiFindingRecord extends Omit<FindingRecord, 'metric'> {
  readonly api: string;
  readonly metric: ApiFinding['metric'];
  readonly latency?: LatencyRecord;
}

/** The record of an API finding: source, environment, api, metric first, then the payment record's fields. */
export function apiFindingToRecord(finding: ApiFinding): ApiFindingRecord {
  const {
    source,
    environment,
    metric: _slot,
    ...rest
  } = findingToRecord({
    ...finding,
    metric: 'failed',
  } as Finding);
  const record: ApiFindingRecord = { source, environment, api: finding.api, metric: finding.metric, ...rest };
  return finding.latency ? { ...record, latency: latencyRecord(finding.latency) } : record;
}

/** An API finding as one JSON line of the findings file. */
export function apiFindingToJson(finding: ApiFinding): string {
  return JSON.stringify(apiFindingToRecord(finding));
}

function latencyRecord(facts: LatencyFacts): LatencyRecord {
  const record = {
    bound_ms: facts.boundMs,
    observed: facts.observed && roundPercentiles(facts.observed),
    normal: facts.normal && roundPercentiles(facts.normal),
  };
  return facts.sloMs === undefined ? record : { ...record, slo_ms: facts.sloMs };
}

function roundPercentiles(p: LatencyPercentiles): LatencyPercentiles {
  const round = (x: LatencyPoint): LatencyPoint => ({ ms: Math.round(x.ms * 10) / 10, above: x.above });
  return { p50: round(p.p50), p95: round(p.p95), p99: round(p.p99) };
}
