import { z } from 'zod';
import type { Problem } from '../errors.js';
import { ENVIRONMENT_NAME, isEnvironmentName, isSourceName, nameSchema, SOURCE_NAME } from './names.js';

/** Most items one batch may hold. */
export const MAX_BATCH_ITEMS = 10_000;
/** Largest count accepted for one status in one minute; more is certainly a bug in the poster. */
export const MAX_COUNT_PER_MINUTE = 1_000_000_000;
/** How far ahead of the server clock a minute may be (clock skew between poster and server). */
export const MAX_FUTURE_MINUTES = 2;
export const DEFAULT_ENVIRONMENT = 'production';

const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

const NON_NEGATIVE_INTEGER = 'must be a non-negative integer';
// One message per count: a huge count is "too large", not also "not an integer" (it is past 2^53).
const count = z
  .number({ error: NON_NEGATIVE_INTEGER })
  .max(MAX_COUNT_PER_MINUTE, { error: `must be at most ${MAX_COUNT_PER_MINUTE} per minute`, abort: true })
  .int({ error: NON_NEGATIVE_INTEGER, abort: true })
  .min(0, NON_NEGATIVE_INTEGER);
const sourceName = nameSchema(SOURCE_NAME, 'is required: the name of the payment system');
const environmentName = nameSchema(ENVIRONMENT_NAME, 'must be a string such as "production"');

const minuteItemSchema = z.strictObject({
  source: sourceName,
  environment: environmentName.optional(),
  minute: z.string({ error: 'must be an ISO-8601 UTC time such as "2026-11-21T18:04:00Z"' }).optional(),
  counts: z.record(z.string(), count, { error: 'must be an object of status: count' }),
});
const batchSchema = z.strictObject({
  items: z
    .array(z.unknown(), { error: 'must be an array of minutes' })
    .min(1, 'must hold at least one minute')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} minutes`),
});
const legacyEntrySchema = z.strictObject({
  status: z.string({ error: 'is required: a status name' }).min(1, 'must not be empty'),
  count,
});

/** One minute of counts for one source and environment, as posted; statuses not yet checked against a catalog. */
export interface PostedMinute {
  /** Where this minute sits in the body, for messages: `""`, `items[3]`, or `""` for the legacy array. */
  readonly path: string;
  /** In the legacy shape: the token's source or `?source=` (undefined when neither names one). */
  readonly source: string | undefined;
  /** Undefined when the poster left it out; the source's default environment applies. */
  readonly environment: string | undefined;
  readonly minute: Date;
  readonly counts: Readonly<Record<string, number>>;
}

export type BodyShape = 'single' | 'batch' | 'legacy';

export interface ParsedCounts {
  readonly shape: BodyShape;
  readonly minutes: readonly PostedMinute[];
  readonly problems: readonly Problem[];
}

/** The statuses a source may report: its catalog's, or the default catalog's for a source not seen before. */
export interface StatusSet {
  readonly catalogName: string;
  readonly statuses: ReadonlySet<string>;
}

export interface ParseContext {
  /** Server time when the request arrived. */
  readonly now: Date;
  /** Minutes older than this many days are refused: they would be deleted by the retention clean-up. */
  readonly retentionDays: number;
  /** The statuses `source` may report (undefined source: the legacy shape before its source is known). */
  readonly statusesFor: (source: string | undefined) => StatusSet;
  /**
   * The environment a minute of `source` is stored under when the item leaves it out (the source's default,
   * else `production`). Repeats in a batch are judged after it applies: an item without `environment` and one
   * with the default one are the same minute.
   */
  readonly defaultEnvironmentOf?: (source: string) => string;
  /** The source of a legacy array (from the token or `?source=`). */
  readonly legacySource?: string | undefined;
  /** The environment of a legacy array (`?environment=`); the source's default when undefined. */
  readonly legacyEnvironment?: string | undefined;
}

/**
 * Parses a `POST /v1/counts` body in any of its three shapes and returns every problem found, by path.
 * Pure: the clock comes in as `context.now`. Status names are checked later, against the source's catalog.
 */
export function parseCountsBody(body: unknown, context: ParseContext): ParsedCounts {
  if (Array.isArray(body)) return parseLegacy(body, context);
  if (isObject(body) && 'items' in body) return parseBatch(body, context);
  if (isObject(body)) {
    const problems: Problem[] = [];
    const minute = parseMinuteItem(body, '', context, problems);
    return { shape: 'single', minutes: minute ? [minute] : [], problems };
  }
  return {
    shape: 'single',
    minutes: [],
    problems: [
      { path: 'body', message: 'must be a JSON object (one minute or {"items": [...]}) or a legacy array' },
    ],
  };
}

function parseBatch(body: Record<string, unknown>, context: ParseContext): ParsedCounts {
  const batch = batchSchema.safeParse(body);
  if (!batch.success) return { shape: 'batch', minutes: [], problems: toProblems(batch.error, '') };
  const problems: Problem[] = [];
  const minutes: PostedMinute[] = [];
  const seen = new Map<string, string>();
  batch.data.items.forEach((item, index) => {
    const path = `items[${index}]`;
    const minute = parseMinuteItem(item, path, context, problems);
    // A refused item that repeats another is one more problem to name: its key is read as far as it can be.
    const key = minute ? minuteKey(minute, context) : rawMinuteKey(item, context);
    const first = key === undefined ? undefined : seen.get(key);
    if (first) problems.push({ path, message: `repeats ${first} (same source, environment and minute)` });
    else if (key !== undefined) seen.set(key, path);
    if (minute) minutes.push(minute);
  });
  return { shape: 'batch', minutes, problems };
}

/** The (source, environment, minute) of a minute, after the source's default environment applies. */
function minuteKey(minute: PostedMinute, context: ParseContext): string {
  const environment =
    minute.environment ?? context.defaultEnvironmentOf?.(minute.source as string) ?? DEFAULT_ENVIRONMENT;
  return `${minute.source}\u0000${environment}\u0000${minute.minute.getTime()}`;
}

/** The key of an item refused for its counts or fields, when its source, environment and minute still read. */
function rawMinuteKey(item: unknown, context: ParseContext): string | undefined {
  if (!isObject(item) || typeof item.source !== 'string') return undefined;
  const { source, environment, minute } = item;
  if (environment !== undefined && typeof environment !== 'string') return undefined;
  const at = postedMinuteMs(minute, context.now);
  if (Number.isNaN(at)) return undefined;
  return minuteKey({ path: '', source, environment, minute: new Date(at), counts: {} }, context);
}

function parseMinuteItem(item: unknown, path: string, context: ParseContext, problems: Problem[]) {
  const valid = asValidMinuteItem(item, context);
  if (valid) return toPostedMinute(valid, path, context, problems);
  const parsed = minuteItemSchema.safeParse(item);
  if (isObject(item) && isObject(item.counts)) {
    const source = typeof item.source === 'string' ? item.source : undefined;
    checkStatuses(Object.keys(item.counts), join(path, 'counts'), context.statusesFor(source), problems);
  }
  if (!parsed.success) {
    problems.push(...toProblems(parsed.error, path));
    // The item is refused either way, but a bad minute beside bad counts is one more problem to name.
    if (isObject(item) && typeof item.minute === 'string')
      parseMinute(item.minute, join(path, 'minute'), context, problems);
    return undefined;
  }
  return toPostedMinute(parsed.data, path, context, problems);
}

interface MinuteItem {
  readonly source: string;
  readonly environment?: string | undefined;
  readonly minute?: string | undefined;
  readonly counts: Readonly<Record<string, number>>;
}

function toPostedMinute(
  item: MinuteItem,
  path: string,
  context: ParseContext,
  problems: Problem[],
): PostedMinute | undefined {
  const at =
    item.minute === undefined
      ? previousMinute(context.now)
      : parseMinute(item.minute, join(path, 'minute'), context, problems);
  if (!at) return undefined;
  return { path, source: item.source, environment: item.environment, minute: at, counts: item.counts };
}

const MINUTE_ITEM_KEYS: ReadonlySet<string> = new Set(['source', 'environment', 'minute', 'counts']);

/**
 * The item itself when it certainly passes minuteItemSchema and its statuses are in the source's catalog;
 * undefined when in any doubt, and zod then checks it and words every problem. Almost every posted item is
 * valid, and this hand check costs a fraction of zod's: with 1,000-item batches zod was most of the CPU of ingest.
 */
function asValidMinuteItem(item: unknown, context: ParseContext): MinuteItem | undefined {
  if (!isObject(item)) return undefined;
  for (const key of Object.keys(item)) if (!MINUTE_ITEM_KEYS.has(key)) return undefined;
  const { source, environment, minute, counts } = item;
  if (typeof source !== 'string' || !isSourceName(source)) return undefined;
  if (environment !== undefined && (typeof environment !== 'string' || !isEnvironmentName(environment)))
    return undefined;
  if (minute !== undefined && typeof minute !== 'string') return undefined;
  if (!isObject(counts)) return undefined;
  const allowed = context.statusesFor(source).statuses;
  for (const status of Object.keys(counts)) {
    const count = counts[status];
    if (!allowed.has(status) || !isCount(count)) return undefined;
  }
  return { source, environment, minute, counts: counts as Record<string, number> };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_COUNT_PER_MINUTE;
}

function parseLegacy(body: unknown[], context: ParseContext): ParsedCounts {
  const problems: Problem[] = [];
  if (body.length === 0)
    problems.push({ path: 'body', message: 'must hold at least one {"status", "count"} entry' });
  const counts: Record<string, number> = {};
  const firstIndex = new Map<string, number>();
  body.forEach((entry, index) => {
    const parsed = legacyEntrySchema.safeParse(entry);
    if (!parsed.success) problems.push(...toProblems(parsed.error, `[${index}]`));
    // An unknown status is named beside a bad count of the same entry too.
    const status = parsed.success ? parsed.data.status : isObject(entry) ? entry.status : undefined;
    if (typeof status === 'string')
      checkStatuses([status], `[${index}].status`, context.statusesFor(context.legacySource), problems, true);
    if (!parsed.success || typeof status !== 'string') return;
    const first = firstIndex.get(status);
    if (first !== undefined) {
      problems.push({ path: `[${index}].status`, message: `"${status}" already appears at [${first}]` });
      return;
    }
    firstIndex.set(status, index);
    counts[status] = parsed.data.count;
  });
  const minute: PostedMinute = {
    path: '',
    source: context.legacySource,
    environment: context.legacyEnvironment,
    minute: previousMinute(context.now),
    counts,
  };
  return { shape: 'legacy', minutes: problems.length === 0 ? [minute] : [], problems };
}

function parseMinute(
  value: string,
  path: string,
  context: ParseContext,
  problems: Problem[],
): Date | undefined {
  const at = isoTime(value);
  if (!at || Number.isNaN(at.getTime())) {
    problems.push({ path, message: 'must be an ISO-8601 time with a zone, such as "2026-11-21T18:04:00Z"' });
    return undefined;
  }
  if (at.getTime() % 60_000 !== 0) {
    problems.push({ path, message: 'must be on a whole minute (seconds and milliseconds 0)' });
    return undefined;
  }
  if (at.getTime() > context.now.getTime() + MAX_FUTURE_MINUTES * 60_000) {
    problems.push({ path, message: `must not be more than ${MAX_FUTURE_MINUTES} minutes in the future` });
    return undefined;
  }
  if (at.getTime() < context.now.getTime() - context.retentionDays * 86_400_000) {
    problems.push({ path, message: `must not be older than the ${context.retentionDays}-day retention` });
    return undefined;
  }
  return at;
}

let lastIso = '';
let lastIsoMs = Number.NaN;

/** The instant an ISO-8601 string names, or undefined; the last answer is kept, as batch items share minutes. */
function isoTime(value: string): Date | undefined {
  if (value !== lastIso) {
    lastIsoMs = ISO_PATTERN.test(value) ? new Date(value).getTime() : Number.NaN;
    lastIso = value;
  }
  return Number.isNaN(lastIsoMs) ? undefined : new Date(lastIsoMs);
}

function checkStatuses(
  names: string[],
  base: string,
  allowed: StatusSet,
  problems: Problem[],
  atBase = false,
): void {
  for (const name of names) {
    if (allowed.statuses.has(name)) continue;
    problems.push({
      path: atBase ? base : join(base, name),
      message: `unknown status "${name}"; the ${allowed.catalogName} statuses are ${[...allowed.statuses].join(', ')}`,
    });
  }
}

/**
 * Epoch ms of a posted item's `minute` as far as it reads, before it is checked: the previous whole minute when
 * left out, NaN when it is no time. For naming a refused item's repeats.
 */
export function postedMinuteMs(minute: unknown, now: Date): number {
  if (minute === undefined) return previousMinute(now).getTime();
  return typeof minute === 'string' ? Date.parse(minute) : Number.NaN;
}

/** The whole minute before `now`, in UTC: what a minute-less post reports. */
export function previousMinute(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
}

function toProblems(error: z.ZodError, base: string): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    const path = issue.path.reduce<string>((acc, key) => join(acc, key), base);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: join(path, key), message: 'is not a known field' }));
    }
    return [{ path: path || 'body', message: issue.message }];
  });
}

function join(base: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${String(key)}` : String(key);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
