import {
  type ApiMinute,
  apiMinuteKey,
  CLASS_INDEX,
  compareApiMinutes,
  emptyApiMinute,
  type MutableApiMinute,
} from './api-minute.js';
import { callClassOf } from './call-class.js';
import { latencyBucketOf } from './latency.js';

/** One raw call, as a log record describes it (validated: see src/ingest/parse-call-logs.ts). */
export interface CallRecord {
  /** When the call was made, epoch milliseconds; it lands in the minute that holds this instant. */
  readonly atMs: number;
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  /** HTTP status 100–599, or null for a timeout (no response). */
  readonly status: number | null;
  /** Response time in ms for a call with a status; null for a timeout (not in the histogram). */
  readonly responseMs: number | null;
  /** False: the payload was invalid; with a 2xx that is a silent failure. */
  readonly payloadValid: boolean;
}

/** Sums calls into per-(source, environment, api, minute) summaries. */
export interface CallAggregator {
  add(record: CallRecord): void;
  /** Distinct minutes of APIs so far. */
  readonly size: number;
  /** The summaries, sorted by minute, source, environment and api. */
  minutes(): ApiMinute[];
}

export function createCallAggregator(): CallAggregator {
  const byKey = new Map<string, MutableApiMinute>();
  return {
    add(record) {
      const minuteMs = Math.floor(record.atMs / 60_000) * 60_000;
      const key = apiMinuteKey(record.source, record.environment, record.api, minuteMs);
      let summary = byKey.get(key);
      if (!summary) {
        summary = emptyApiMinute(record.source, record.environment, record.api, minuteMs);
        byKey.set(key, summary);
      }
      addCall(summary, record);
    },
    get size() {
      return byKey.size;
    },
    minutes: () => [...byKey.values()].sort(compareApiMinutes),
  };
}

/** The records summed per minute and API, sorted (see CallAggregator). */
export function aggregateCalls(records: Iterable<CallRecord>): ApiMinute[] {
  const aggregator = createCallAggregator();
  for (const record of records) aggregator.add(record);
  return aggregator.minutes();
}

/**
 * Adds one call to a summary: its class (1xx counts as 2xx, see callClassOf), a silent failure when a 2xx
 * came with an invalid payload, and its latency bucket when it has a response time. A status outside
 * 100–599 is a programmer error here: parsers refuse it first.
 */
export function addCall(summary: MutableApiMinute, record: Omit<CallRecord, 'atMs'>): void {
  const index = callClassOf(record.status);
  if (index === undefined) throw new Error(`status ${record.status} is not an HTTP status`);
  summary.calls[index] = (summary.calls[index] ?? 0) + 1;
  if (index === CLASS_INDEX['2xx'] && !record.payloadValid) summary.silentFailures += 1;
  if (record.status !== null && record.responseMs !== null) {
    const bucket = latencyBucketOf(record.responseMs);
    summary.latency[bucket] = (summary.latency[bucket] ?? 0) + 1;
  }
}
