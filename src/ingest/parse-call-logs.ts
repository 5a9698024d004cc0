import { z } from 'zod';
import type { CallRecord } from '../api-calls/aggregate-calls.js';
import { MAX_STATUS, MIN_STATUS } from '../api-calls/call-class.js';
import type { Problem } from '../errors.js';
import {
  apiNameSchema,
  environmentNameSchema,
  isApiName,
  isEnvironmentName,
  isSourceName,
  sourceNameSchema,
} from './names.js';
import { DEFAULT_ENVIRONMENT } from './parse-counts.js';
import {
  checkPostedInstant,
  isoTimeMs,
  isPlainObject,
  joinPath,
  type PostedTimeWindow,
  postedTimeProblem,
  zodProblems,
} from './posted-time.js';

/** Most records one `POST /v1/api-calls/log` may hold. */
export const MAX_LOG_RECORDS = 10_000;
/** Longest response time accepted (a day): more is a unit mistake (µs or ns), not a slow call. */
export const MAX_RESPONSE_MS = 86_400_000;

export interface CallLogsParseContext extends PostedTimeWindow {
  /** Environment of a record that names none (the source's default once wired); `production` when absent. */
  readonly defaultEnvironment?: ((source: string) => string) | undefined;
}

export interface ParsedCallLogs {
  /** Every valid record; a request is stored only when `problems` is empty (all-or-nothing, as for counts). */
  readonly records: readonly CallRecord[];
  readonly problems: readonly Problem[];
}

const STATUS_RULE = `must be an HTTP status from ${MIN_STATUS} to ${MAX_STATUS}`;
const RESPONSE_RULE = `must be a number of milliseconds from 0 to ${MAX_RESPONSE_MS}`;
const BOOLEAN_RULE = 'must be true or false';
const recordSchema = z.strictObject({
  at: z.string({ error: 'is required: when the call was made, such as "2026-12-04T18:04:13.120Z"' }),
  source: sourceNameSchema('is required: the name of the source (the service that made the call)'),
  environment: environmentNameSchema.optional(),
  api: apiNameSchema,
  status: z
    .number({ error: STATUS_RULE })
    .int(STATUS_RULE)
    .min(MIN_STATUS, STATUS_RULE)
    .max(MAX_STATUS, STATUS_RULE)
    .optional(),
  timeout: z.boolean({ error: BOOLEAN_RULE }).optional(),
  response_ms: z
    .number({ error: RESPONSE_RULE })
    .min(0, RESPONSE_RULE)
    .max(MAX_RESPONSE_MS, RESPONSE_RULE)
    .optional(),
  payload_valid: z.boolean({ error: BOOLEAN_RULE }).optional(),
});
const RECORD_KEYS: ReadonlySet<string> = new Set(Object.keys(recordSchema.shape));

/** A `POST /v1/api-calls/log` body sent as JSON: an array of call records; problems by `[i]`. */
export function parseCallLogsJson(body: unknown, context: CallLogsParseContext): ParsedCallLogs {
  if (!Array.isArray(body)) {
    const message = 'must be a JSON array of call records, or NDJSON sent as application/x-ndjson';
    return { records: [], problems: [{ path: 'body', message }] };
  }
  const problems: Problem[] = [];
  const sizeProblem = countProblem(body.length);
  if (sizeProblem) return { records: [], problems: [sizeProblem] };
  const records: CallRecord[] = [];
  body.forEach((value, index) => {
    const record = parseCallRecord(value, `[${index}]`, context, problems);
    if (record) records.push(record);
  });
  return { records, problems };
}

/** A body sent as NDJSON: one record per line, blank lines skipped; problems by `line N` (1-based). */
export function parseCallLogsNdjson(text: string, context: CallLogsParseContext): ParsedCallLogs {
  const lines = text.split('\n');
  const filled = lines.reduce((n, line) => (line.trim() === '' ? n : n + 1), 0);
  const sizeProblem = countProblem(filled);
  if (sizeProblem) return { records: [], problems: [sizeProblem] };
  const problems: Problem[] = [];
  const records: CallRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const path = `line ${index + 1}`;
    const value = parseJsonLine(line, path, problems);
    const record = value === undefined ? undefined : parseCallRecord(value, path, context, problems);
    if (record) records.push(record);
  });
  return { records, problems };
}

function countProblem(count: number): Problem | undefined {
  if (count === 0) return { path: 'body', message: 'must hold at least one call record' };
  if (count > MAX_LOG_RECORDS)
    return { path: 'body', message: `must hold at most ${MAX_LOG_RECORDS} call records (it has ${count})` };
  return undefined;
}

/** JSON.parse of one line; a problem at `path` when it is not JSON. */
export function parseJsonLine(line: string, path: string, problems: Problem[]): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    problems.push({ path, message: 'is not JSON: each line must be one call record' });
    return undefined;
  }
}

/**
 * One call record, or undefined with its problems pushed (by `path`). `"timeout": true` instead of a
 * status is a timeout (its response_ms, if any, is ignored); a call with a status needs its response_ms;
 * `payload_valid` defaults to true.
 */
export function parseCallRecord(
  value: unknown,
  path: string,
  context: CallLogsParseContext,
  problems: Problem[],
): CallRecord | undefined {
  const record = asValidCallRecord(value, context);
  if (record) return record;
  const before = problems.length;
  explainCallRecord(value, path, context, problems);
  // The two checks agree; should they ever not, the record is still refused with a word rather than dropped.
  if (problems.length === before) problems.push({ path, message: 'is not a valid call record' });
  return undefined;
}

/** The record when it certainly passes every check (the common case, without zod); else undefined. */
export function asValidCallRecord(value: unknown, context: CallLogsParseContext): CallRecord | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (!RECORD_KEYS.has(key)) return undefined;
  const { at, source, environment, api, status, timeout, response_ms: responseMs } = value;
  const payloadValid = value.payload_valid === undefined ? true : value.payload_valid;
  if (typeof at !== 'string' || typeof source !== 'string' || !isSourceName(source)) return undefined;
  if (environment !== undefined && (typeof environment !== 'string' || !isEnvironmentName(environment)))
    return undefined;
  if (typeof api !== 'string' || !isApiName(api) || typeof payloadValid !== 'boolean') return undefined;
  if (timeout !== undefined && typeof timeout !== 'boolean') return undefined;
  if (responseMs !== undefined && !isResponseMs(responseMs)) return undefined;
  const answered = status !== undefined;
  if (answered ? !isStatus(status) || timeout === true || responseMs === undefined : timeout !== true)
    return undefined;
  const atMs = isoTimeMs(at);
  if (postedTimeProblem(atMs, context, false) !== undefined) return undefined;
  return {
    atMs,
    source,
    environment: environment ?? context.defaultEnvironment?.(source) ?? DEFAULT_ENVIRONMENT,
    api,
    status: answered ? (status as number) : null,
    responseMs: answered ? (responseMs as number) : null,
    payloadValid,
  };
}

/** Pushes every problem of a record, by path (zod and the rules across fields); nothing for a valid one. */
export function explainCallRecord(
  value: unknown,
  path: string,
  context: CallLogsParseContext,
  problems: Problem[],
): void {
  if (!isPlainObject(value)) {
    problems.push({ path, message: 'must be a JSON object: one call record' });
    return;
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, path));
  if (typeof value.at === 'string') checkPostedInstant(value.at, joinPath(path, 'at'), context, problems);
  const { status, timeout, response_ms: responseMs } = value;
  if (status === undefined && timeout !== true)
    problems.push({
      path: joinPath(path, 'status'),
      message: 'is required: the HTTP status, or "timeout": true for a call that got no answer',
    });
  if (status !== undefined && timeout === true)
    problems.push({ path: joinPath(path, 'timeout'), message: 'must not be true for a call with a status' });
  if (status !== undefined && timeout !== true && responseMs === undefined)
    problems.push({
      path: joinPath(path, 'response_ms'),
      message: 'is required for a call with a status: its response time in milliseconds',
    });
}

function isStatus(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= MIN_STATUS && (value as number) <= MAX_STATUS;
}

function isResponseMs(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_RESPONSE_MS;
}
