import { z } from 'zod';
import { CALL_CLASSES, callsWithResponse } from '../api-calls/api-minute.js';
import { LATENCY_BOUNDS_MS, LATENCY_BUCKET_COUNT, LATENCY_BUCKETS } from '../api-calls/latency.js';
import type { Problem } from '../errors.js';
import { countsByName, isCount, sumCounts } from './counts-by-name.js';
import {
  apiNameSchema,
  createApiNameCheck,
  environmentNameSchema,
  isEnvironmentName,
  isSourceName,
  sourceNameSchema,
} from './names.js';
import { MAX_COUNT_PER_MINUTE } from './parse-counts.js';
import {
  checkPostedMinute,
  isPlainObject,
  joinPath,
  type PostedTimeWindow,
  zodProblems,
} from './posted-time.js';

/*
 * One item of a `POST /v1/api-calls` body, checked two ways: asValidApiCallItem by hand for the valid items
 * (nearly all of them, fast), explainApiCallItem with zod and the cross-field rules for the others, wording
 * every problem by path. Both must accept exactly the same items (tested through parseApiCallsBody).
 */
const NON_NEGATIVE_INTEGER = 'must be a non-negative integer';
const count = z
  .number({ error: NON_NEGATIVE_INTEGER })
  .max(MAX_COUNT_PER_MINUTE, { error: `must be at most ${MAX_COUNT_PER_MINUTE} per minute`, abort: true })
  .int({ error: NON_NEGATIVE_INTEGER, abort: true })
  .min(0, NON_NEGATIVE_INTEGER);
const itemSchema = z.strictObject({
  source: sourceNameSchema('is required: the name of the source (the service that posts)'),
  environment: environmentNameSchema.optional(),
  api: apiNameSchema,
  minute: z.string({ error: 'must be an ISO-8601 UTC time such as "2026-12-04T18:04:00Z"' }).optional(),
  calls: z.record(z.string(), count, {
    error: 'is required: calls by class, such as {"2xx": 1180, "5xx": 4, "timeout": 1}',
  }),
  silent_failures: count.optional(),
  latency_ms: z
    .record(z.string(), count, { error: 'must be an object of bucket bound: calls, such as {"25": 300}' })
    .optional(),
});

const CLASS_OF: ReadonlyMap<string, number> = new Map(CALL_CLASSES.map((name, i) => [name, i]));
const BUCKET_OF: ReadonlyMap<string, number> = new Map(LATENCY_BUCKETS.map((name, i) => [name, i]));
/** Bucket keys as numbers where they are numbers: `latency[25]` is read without turning "25" into an index. */
const BUCKET_KEYS: readonly (string | number)[] = [...LATENCY_BOUNDS_MS, 'inf'];
const isKnownApiName = createApiNameCheck();
const UNKNOWN_CLASS = `; the classes are ${CALL_CLASSES.join(', ')}`;
const UNKNOWN_BOUND = `unknown bucket bound; the bounds are ${LATENCY_BUCKETS.join(', ')}`;

/** The fields of an item that passed every check, before its minute and defaults. */
export interface ValidApiCallItem {
  readonly source: string;
  readonly environment: string | undefined;
  readonly api: string;
  readonly minute: string | undefined;
  readonly calls: number[];
  readonly silentFailures: number;
  readonly latency: number[];
}

/**
 * The item when it certainly passes every check; undefined when in any doubt, and explainApiCallItem then words
 * every problem. Almost every posted item is valid, and this hand check costs a fraction of zod's (for
 * counts, zod was most of ingest's CPU with 1,000-item batches).
 */
export function asValidApiCallItem(item: unknown): ValidApiCallItem | undefined {
  if (!isPlainObject(item)) return undefined;
  const { source, environment, api, minute, calls, silent_failures: silent, latency_ms: latency } = item;
  if (Object.keys(item).length !== knownFieldCount(environment, minute, silent, latency)) return undefined;
  if (typeof source !== 'string' || !isSourceName(source)) return undefined;
  if (environment !== undefined && (typeof environment !== 'string' || !isEnvironmentName(environment)))
    return undefined;
  if (typeof api !== 'string' || !isKnownApiName(api)) return undefined;
  if (minute !== undefined && typeof minute !== 'string') return undefined;
  const callCounts = countsByName(calls, CALL_CLASSES);
  const silentFailures = silent === undefined ? 0 : silent;
  if (!callCounts || !isCount(silentFailures) || silentFailures > (callCounts[0] as number)) return undefined;
  const histogram =
    latency === undefined
      ? new Array<number>(LATENCY_BUCKET_COUNT).fill(0)
      : countsByName(latency, BUCKET_KEYS);
  if (!histogram) return undefined;
  if (latency !== undefined && sumCounts(histogram) !== callsWithResponse(callCounts)) return undefined;
  return { source, environment, api, minute, calls: callCounts, silentFailures, latency: histogram };
}

/** Fields an item has when it holds only known ones: the three required, and the optional ones given. */
function knownFieldCount(...optional: unknown[]): number {
  let count = 3;
  for (const value of optional) if (value !== undefined) count++;
  return count;
}

/** Pushes every problem of an item that failed the hand check; the item if it is valid after all. */
export function explainApiCallItem(
  item: unknown,
  path: string,
  window: PostedTimeWindow,
  problems: Problem[],
): ValidApiCallItem | undefined {
  const before = problems.length;
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, path));
  if (isPlainObject(item)) {
    checkNames(
      item.calls,
      joinPath(path, 'calls'),
      CLASS_OF,
      (name) => `unknown class "${name}"${UNKNOWN_CLASS}`,
      problems,
    );
    checkNames(item.latency_ms, joinPath(path, 'latency_ms'), BUCKET_OF, () => UNKNOWN_BOUND, problems);
    checkSums(item, path, problems);
    // Refused either way, but a bad minute beside other problems is one more to name.
    if (!parsed.success && typeof item.minute === 'string')
      checkPostedMinute(item.minute, joinPath(path, 'minute'), window, problems);
  }
  if (problems.length > before || !parsed.success) return undefined;
  // Valid after all (the hand check is stricter only by mistake): read it from zod's output.
  const { source, environment, api, minute, calls, silent_failures, latency_ms } = parsed.data;
  return {
    source,
    environment,
    api,
    minute,
    calls: countsByName(calls, CALL_CLASSES) as number[],
    silentFailures: silent_failures ?? 0,
    latency: countsByName(latency_ms ?? {}, LATENCY_BUCKETS) as number[],
  };
}

function checkNames(
  value: unknown,
  path: string,
  known: ReadonlyMap<string, number>,
  message: (name: string) => string,
  problems: Problem[],
): void {
  if (!isPlainObject(value)) return;
  for (const name of Object.keys(value))
    if (!known.has(name)) problems.push({ path: joinPath(path, name), message: message(name) });
}

/** The checks across fields, made whenever the fields they read are valid on their own. */
function checkSums(item: Record<string, unknown>, path: string, problems: Problem[]): void {
  const ok = isPlainObject(item.calls) ? (item.calls['2xx'] ?? 0) : undefined;
  const silent = item.silent_failures;
  if (isCount(ok) && isCount(silent) && silent > ok) {
    const message = `must be at most calls.2xx (${formatCount(ok)}): a silent failure is a 2xx`;
    problems.push({ path: joinPath(path, 'silent_failures'), message });
  }
  const calls = countsByName(item.calls, CALL_CLASSES);
  const latency = countsByName(item.latency_ms, LATENCY_BUCKETS);
  if (!calls || !latency || sumCounts(latency) === callsWithResponse(calls)) return;
  problems.push({
    path: joinPath(path, 'latency_ms'),
    message: `buckets add up to ${formatCount(sumCounts(latency))} but the calls with a response are ${formatCount(callsWithResponse(calls))}`,
  });
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
