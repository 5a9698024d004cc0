import { z } from 'zod';
import { type ApiMinute, CALL_CLASSES, callsWithResponse } from '../api-calls/api-minute.js';
import { LATENCY_BOUNDS_MS, LATENCY_BUCKET_COUNT, LATENCY_BUCKETS } from '../api-calls/latency.js';
import type { Problem } from '../errors.js';
import {
  apiNameSchema,
  createApiNameCheck,
  environmentNameSchema,
  isEnvironmentName,
  isSourceName,
  sourceNameSchema,
} from './names.js';
import {
  DEFAULT_ENVIRONMENT,
  MAX_BATCH_ITEMS,
  MAX_COUNT_PER_MINUTE,
  previousMinute,
} from './parse-counts.js';
import {
  checkPostedMinute,
  isPlainObject,
  joinPath,
  type PostedTimeWindow,
  zodProblems,
} from './posted-time.js';

export interface ApiCallsParseContext extends PostedTimeWindow {
  /**
   * The environment of an item that names none: the source's default environment once wired (the
   * ingestor looks sources up before parsing, as for counts); `production` when absent. Applied before
   * the repeat check, so an item without environment and one with the default are the same minute.
   */
  readonly defaultEnvironment?: ((source: string) => string) | undefined;
}

/** A valid posted minute of one API, defaults applied, ready to store; `path` locates it in the body. */
export interface PostedApiMinute extends ApiMinute {
  /** `""` for a single minute, `items[3]` in a batch. */
  readonly path: string;
}

export interface ParsedApiCalls {
  readonly shape: 'single' | 'batch';
  /** Every valid item; the body is stored only when `problems` is empty (all-or-nothing). */
  readonly minutes: readonly PostedApiMinute[];
  readonly problems: readonly Problem[];
}

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
const batchSchema = z.strictObject({
  items: z
    .array(z.unknown(), { error: 'must be an array of minutes' })
    .min(1, 'must hold at least one minute')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} minutes`),
});

const CLASS_OF: ReadonlyMap<string, number> = new Map(CALL_CLASSES.map((name, i) => [name, i]));
const BUCKET_OF: ReadonlyMap<string, number> = new Map(LATENCY_BUCKETS.map((name, i) => [name, i]));
/** Bucket keys as numbers where they are numbers: `latency[25]` is read without turning "25" into an index. */
const BUCKET_KEYS: readonly (string | number)[] = [...LATENCY_BOUNDS_MS, 'inf'];
const isKnownApiName = createApiNameCheck();
const UNKNOWN_CLASS = `; the classes are ${CALL_CLASSES.join(', ')}`;
const UNKNOWN_BOUND = `unknown bucket bound; the bounds are ${LATENCY_BUCKETS.join(', ')}`;

/**
 * Parses a `POST /v1/api-calls` body — one minute of one API, or `{"items": [...]}` — and returns every
 * problem by path in one pass. Pure: the clock is `context.now`. Valid items come out with their defaults
 * applied (environment, minute = the previous whole minute UTC, missing classes and buckets 0).
 */
export function parseApiCallsBody(body: unknown, context: ApiCallsParseContext): ParsedApiCalls {
  if (isPlainObject(body) && 'items' in body) return parseBatch(body, context);
  if (isPlainObject(body)) {
    const problems: Problem[] = [];
    const minute = parseItem(body, '', context, problems);
    return { shape: 'single', minutes: minute ? [minute] : [], problems };
  }
  const message = 'must be a JSON object: one minute of one API, or {"items": [...]}';
  return { shape: 'single', minutes: [], problems: [{ path: 'body', message }] };
}

function parseBatch(body: Record<string, unknown>, context: ApiCallsParseContext): ParsedApiCalls {
  const batch = batchSchema.safeParse(body);
  if (!batch.success) return { shape: 'batch', minutes: [], problems: zodProblems(batch.error, '') };
  const problems: Problem[] = [];
  const minutes: PostedApiMinute[] = [];
  const seen = createRepeatCheck();
  batch.data.items.forEach((item, index) => {
    const path = `items[${index}]`;
    const minute = parseItem(item, path, context, problems);
    if (!minute) return;
    const first = seen.firstPath(minute, path);
    if (first)
      problems.push({ path, message: `repeats ${first} (same source, environment, api and minute)` });
    minutes.push(minute);
  });
  return { shape: 'batch', minutes, problems };
}

/**
 * Remembers where each (source, environment, api, minute) was first seen. Nested maps rather than one
 * joined string key: building and hashing 10,000 long keys was a large part of a batch's parse time.
 */
function createRepeatCheck() {
  const byMinute = new Map<number, Map<string, Map<string, Map<string, string>>>>();
  const child = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      map.set(key, value);
    }
    return value;
  };
  return {
    /** The path of the earlier item with the same key, or undefined (and this one is remembered). */
    firstPath(minute: ApiMinute, path: string): string | undefined {
      const sources = child(
        byMinute,
        minute.minuteMs,
        () => new Map<string, Map<string, Map<string, string>>>(),
      );
      const environments = child(sources, minute.source, () => new Map<string, Map<string, string>>());
      const apis = child(environments, minute.environment, () => new Map<string, string>());
      const first = apis.get(minute.api);
      if (first === undefined) apis.set(minute.api, path);
      return first;
    },
  };
}

/** The fields of an item that passed every check, before its minute and defaults. */
interface ValidItem {
  readonly source: string;
  readonly environment: string | undefined;
  readonly api: string;
  readonly minute: string | undefined;
  readonly calls: number[];
  readonly silentFailures: number;
  readonly latency: number[];
}

function parseItem(item: unknown, path: string, context: ApiCallsParseContext, problems: Problem[]) {
  const valid = asValidItem(item) ?? explainItem(item, path, context, problems);
  if (!valid) return undefined;
  const minuteMs =
    valid.minute === undefined
      ? previousMinute(context.now).getTime()
      : checkPostedMinute(valid.minute, joinPath(path, 'minute'), context, problems);
  if (minuteMs === undefined) return undefined;
  const environment = valid.environment ?? context.defaultEnvironment?.(valid.source) ?? DEFAULT_ENVIRONMENT;
  const { source, api, calls, silentFailures, latency } = valid;
  return { path, source, environment, api, minuteMs, calls, silentFailures, latency };
}

/**
 * The item when it certainly passes every check; undefined when in any doubt, and explainItem then words
 * every problem. Almost every posted item is valid, and this hand check costs a fraction of zod's (for
 * counts, zod was most of ingest's CPU with 1,000-item batches).
 */
function asValidItem(item: unknown): ValidItem | undefined {
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
  if (latency !== undefined && sum(histogram) !== callsWithResponse(callCounts)) return undefined;
  return { source, environment, api, minute, calls: callCounts, silentFailures, latency: histogram };
}

/** Fields an item has when it holds only known ones: the three required, and the optional ones given. */
function knownFieldCount(...optional: unknown[]): number {
  let count = 3;
  for (const value of optional) if (value !== undefined) count++;
  return count;
}

/** Pushes every problem of an item that failed the hand check; the item if it is valid after all. */
function explainItem(
  item: unknown,
  path: string,
  context: ApiCallsParseContext,
  problems: Problem[],
): ValidItem | undefined {
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
      checkPostedMinute(item.minute, joinPath(path, 'minute'), context, problems);
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
  if (!calls || !latency || sum(latency) === callsWithResponse(calls)) return;
  problems.push({
    path: joinPath(path, 'latency_ms'),
    message: `buckets add up to ${formatCount(sum(latency))} but the calls with a response are ${formatCount(callsWithResponse(calls))}`,
  });
}

/**
 * The counts of an object keyed by known names, as an array in the names' order (a missing name is 0);
 * undefined if a value is not a count or a key is not a name. Reads the known names directly: a for-in
 * over keys such as "25" and "50" (array-index keys) was most of the parser's time.
 */
function countsByName(value: unknown, names: readonly (string | number)[]) {
  if (!isPlainObject(value)) return undefined;
  const counts = new Array<number>(names.length);
  let present = 0;
  for (let i = 0; i < names.length; i++) {
    const count = value[names[i] as string | number];
    if (count === undefined) counts[i] = 0;
    else if (isCount(count)) {
      counts[i] = count;
      present++;
    } else return undefined;
  }
  return Object.keys(value).length === present ? counts : undefined;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COUNT_PER_MINUTE;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
