import { type Finding, METRICS, type Metric, type ModelName, SEVERITIES, type Severity } from './types.js';

/**
 * A finding as the findings file and the alerts table hold it (README, "Files": findings JSON lines): snake_case
 * keys, ISO UTC times, rates to 6 significant digits. For traffic, observed_rate and expected_rate are
 * transactions in the window.
 */
export interface FindingRecord {
  readonly source: string;
  readonly environment: string;
  readonly metric: Metric;
  readonly window_start: string;
  readonly window_end: string;
  readonly direction: 'up' | 'down';
  readonly models: readonly ModelName[];
  readonly observed_rate: number;
  readonly expected_rate: number;
  readonly score: number;
  readonly severity: Severity;
  readonly counts: Finding['counts'];
  readonly scores: Finding['scores'];
  /** A silence finding only: minutes without a row from a series that posts every minute. */
  readonly silent_minutes?: number;
}

/** A finding as its record: what `findingToJson` writes and `findingFromRecord` reads back. */
export function findingToRecord(finding: Finding): FindingRecord {
  return {
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
    ...(finding.silentMinutes === undefined ? {} : { silent_minutes: finding.silentMinutes }),
  };
}

/** A finding as one JSON line of the findings file. */
export function findingToJson(finding: Finding): string {
  return JSON.stringify(findingToRecord(finding));
}

const MODEL_NAMES: readonly string[] = ['zscore', 'tree', 'absolute'] satisfies ModelName[];
const COUNT_KEYS = ['observed', 'expected', 'excess', 'total'] as const;

/**
 * The finding back from its record (parsed JSON), or undefined when the value is not a record
 * `findingToRecord` wrote — a reader then shows the alert without it rather than failing. Rates come back as
 * they were stored (rounded to 6 significant digits).
 */
export function findingFromRecord(value: unknown): Finding | undefined {
  if (!isObject(value) || !isObject(value.counts) || !isObject(value.scores)) return undefined;
  const { counts, scores } = value;
  const windowStart = dateOf(value.window_start);
  const windowEnd = dateOf(value.window_end);
  const numbers = [
    value.observed_rate,
    value.expected_rate,
    value.score,
    ...COUNT_KEYS.map((k) => counts[k]),
  ];
  const valid =
    typeof value.source === 'string' &&
    typeof value.environment === 'string' &&
    oneOf(value.metric, METRICS) &&
    oneOf(value.severity, SEVERITIES) &&
    (value.direction === 'up' || value.direction === 'down') &&
    Array.isArray(value.models) &&
    value.models.every((m) => oneOf(m, MODEL_NAMES)) &&
    Object.entries(scores).every(([k, v]) => oneOf(k, MODEL_NAMES) && typeof v === 'number') &&
    numbers.every((n) => typeof n === 'number') &&
    (value.silent_minutes === undefined || typeof value.silent_minutes === 'number') &&
    windowStart !== undefined &&
    windowEnd !== undefined;
  if (!valid) return undefined;
  const record = value as unknown as FindingRecord;
  return {
    source: record.source,
    environment: record.environment,
    metric: record.metric,
    windowStart,
    windowEnd,
    direction: record.direction,
    models: [...record.models],
    observedRate: record.observed_rate,
    expectedRate: record.expected_rate,
    score: record.score,
    severity: record.severity,
    counts: { ...record.counts },
    scores: { ...record.scores },
    ...(record.silent_minutes === undefined ? {} : { silentMinutes: record.silent_minutes }),
  };
}

function roundRate(value: number): number {
  return Number(value.toPrecision(6));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
