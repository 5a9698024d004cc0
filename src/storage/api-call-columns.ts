import { CALL_CLASSES } from '../api-calls/api-minute.js';
import { LATENCY_BUCKETS } from '../api-calls/latency.js';

/**
 * The count columns of an API minute (and hour), in the order of an `ApiMinute` laid flat: calls by class
 * (`calls_2xx` … `calls_timeout`), `silent_failures`, then the latency buckets named as the API-calls CSV's
 * columns (`le_25` … `le_inf`). One wide row per API and minute: the counts table's lesson (about 6× faster to
 * upsert than a row per count), and the classes and bounds are fixed by the contract, so they are columns.
 */
export const API_CALL_COLUMNS: readonly string[] = [
  ...CALL_CLASSES.map((name) => `calls_${name}`),
  'silent_failures',
  ...LATENCY_BUCKETS.map((bound) => `le_${bound}`),
];

/** Counts per row: 5 classes + silent failures + 10 buckets. */
export const API_CALL_COUNT = API_CALL_COLUMNS.length;
/** Where the silent failures and the first latency bucket sit in a flat row of counts. */
export const SILENT_INDEX = CALL_CLASSES.length;
export const LATENCY_INDEX = CALL_CLASSES.length + 1;

/** The counts of a minute or hour, as `ApiMinute` holds them. */
export interface ApiCounts {
  readonly calls: readonly number[];
  readonly silentFailures: number;
  readonly latency: readonly number[];
}

/** ApiCounts laid flat in API_CALL_COLUMNS order, as a row stores them. */
export function flatApiCounts(counts: ApiCounts): number[] {
  return [...counts.calls, counts.silentFailures, ...counts.latency];
}

/** A row's flat counts back into calls, silent failures and latency. */
export function apiCountsOf(flat: readonly number[]): ApiCounts {
  return {
    calls: flat.slice(0, SILENT_INDEX),
    silentFailures: flat[SILENT_INDEX] ?? 0,
    latency: flat.slice(LATENCY_INDEX),
  };
}
