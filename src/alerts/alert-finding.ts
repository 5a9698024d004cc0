import type { ApiFinding, LatencyFacts, LatencyPercentiles } from '../detection/api-finding.js';
import { isApiMetric } from '../detection/api-finding.js';
import { apiFindingToJson, apiFindingToRecord } from '../detection/api-finding-json.js';
import { findingFromRecord, findingToJson, findingToRecord } from '../detection/finding-json.js';
import type { Finding } from '../detection/types.js';

/** What an alert's findings are: a payment finding, or one of an API (with its api and latency facts). */
export type AlertFinding = Finding | ApiFinding;

/** A finding of API calls (it names its api). */
export function isApiFinding(finding: AlertFinding): finding is ApiFinding {
  return 'api' in finding && typeof finding.api === 'string';
}

/** The finding's record (the findings file's line, parsed): the API record for API findings. */
export function alertFindingToRecord(finding: AlertFinding): object {
  return isApiFinding(finding) ? apiFindingToRecord(finding) : findingToRecord(finding);
}

/** The finding as stored (alerts.last_finding, findings.detail): its findings-file line. */
export function alertFindingToJson(finding: AlertFinding): string {
  return isApiFinding(finding) ? apiFindingToJson(finding) : findingToJson(finding);
}

/**
 * A stored finding read back: a payment finding, or — when the record names an api and an API metric — an API
 * finding with its latency facts. Undefined for anything else (the alert is then shown without it).
 */
export function alertFindingFromRecord(value: unknown): AlertFinding | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.api !== 'string') return findingFromRecord(value);
  if (!isApiMetric(record.metric)) return undefined;
  // The payment reader checks every shared field; the API metric rides in a payment slot through it.
  const base = findingFromRecord({ ...record, metric: 'failed' });
  if (!base) return undefined;
  const latency = latencyFromRecord(record.latency);
  return {
    ...base,
    api: record.api,
    metric: record.metric,
    ...(latency ? { latency } : {}),
  };
}

function latencyFromRecord(value: unknown): LatencyFacts | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.bound_ms !== 'number') return undefined;
  const facts = { boundMs: r.bound_ms, observed: percentilesOf(r.observed), normal: percentilesOf(r.normal) };
  return typeof r.slo_ms === 'number' ? { ...facts, sloMs: r.slo_ms } : facts;
}

function percentilesOf(value: unknown): LatencyPercentiles | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const point = (p: unknown) => {
    const x = p as { ms?: unknown; above?: unknown } | null;
    return x && typeof x.ms === 'number' ? { ms: x.ms, above: x.above === true } : undefined;
  };
  const [p50, p95, p99] = [point(r.p50), point(r.p95), point(r.p99)];
  return p50 && p95 && p99 ? { p50, p95, p99 } : null;
}
