import { z } from 'zod';
import type { ApiMinute } from '../api-calls/api-minute.js';
import type { Problem } from '../errors.js';
import { asValidApiCallItem, explainApiCallItem } from './api-call-item.js';
import { DEFAULT_ENVIRONMENT, MAX_BATCH_ITEMS, postedMinuteMs, previousMinute } from './parse-counts.js';
import {
  checkPostedMinute,
  isPlainObject,
  joinPath,
  type PostedTimeWindow,
  zodProblems,
} from './posted-time.js';
import { createRepeatCheck } from './repeat-check.js';

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

const batchSchema = z.strictObject({
  items: z
    .array(z.unknown(), { error: 'must be an array of minutes' })
    .min(1, 'must hold at least one minute')
    .max(MAX_BATCH_ITEMS, `must hold at most ${MAX_BATCH_ITEMS} minutes`),
});

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
    // A refused item that repeats another is one more problem to name: its key is read as far as it can be.
    const key = minute ?? rawKey(item, context);
    const first = key && seen.firstPath(key, path);
    if (first)
      problems.push({ path, message: `repeats ${first} (same source, environment, api and minute)` });
    if (minute) minutes.push(minute);
  });
  return { shape: 'batch', minutes, problems };
}

/** The key of an item refused for its counts or fields, when its source, environment, api and minute still read. */
function rawKey(item: unknown, context: ApiCallsParseContext) {
  if (!isPlainObject(item) || typeof item.source !== 'string' || typeof item.api !== 'string')
    return undefined;
  const { source, api, minute } = item;
  const environment = item.environment ?? context.defaultEnvironment?.(source) ?? DEFAULT_ENVIRONMENT;
  if (typeof environment !== 'string') return undefined;
  const minuteMs = postedMinuteMs(minute, context.now);
  return Number.isNaN(minuteMs) ? undefined : { source, environment, api, minuteMs };
}

function parseItem(item: unknown, path: string, context: ApiCallsParseContext, problems: Problem[]) {
  const valid = asValidApiCallItem(item) ?? explainApiCallItem(item, path, context, problems);
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
