import type { Problem } from '../errors.js';
import { formatProblem } from '../errors.js';
import { createApiNameCheck } from '../ingest/names.js';
import {
  type CallLogsParseContext,
  MAX_RESPONSE_MS,
  parseCallRecord,
  parseJsonLine,
} from '../ingest/parse-call-logs.js';
import { type PostedTimeWindow, postedTimeProblem } from '../ingest/posted-time.js';
import type { CallRecord } from './aggregate-calls.js';
import { MAX_STATUS, MIN_STATUS } from './call-class.js';
import { splitCsvLine } from './csv-fields.js';
import { parseLogTimestamp } from './log-timestamp.js';

/** The header of the CSV log format, exactly. */
export const CALL_LOG_CSV_HEADER = 'timestamp,method,endpoint,status_code,size,response_time';

export type CallLogFormat = 'csv' | 'jsonl';

/** The format a log file is in, from its first line: the CSV header, or a JSON record; else undefined. */
export function callLogFormatOf(firstLine: string): CallLogFormat | undefined {
  const line = firstLine.replace(/^\uFEFF/, '').trim();
  if (line === CALL_LOG_CSV_HEADER) return 'csv';
  if (line.startsWith('{')) return 'jsonl';
  return undefined;
}

/** What one log line says, for the import: a call record, or why the line is refused. */
export type LogLineResult = CallRecord | { readonly rejected: string };

export interface LogLineContext {
  /** The import's source: CSV lines take it, JSON lines must name it. */
  readonly source: string;
  /** The environment of CSV lines and of JSON lines that name none. */
  readonly environment: string;
  /** Lines outside it are refused as posts would be (too far ahead, older than the retention). */
  readonly window: PostedTimeWindow;
}

const METHOD = /^[A-Za-z]{1,16}$/;
const STATUS = /^\d{3}$/;

/**
 * One line of the CSV log format `timestamp,method,endpoint,status_code,size,response_time`. The api is
 * `METHOD endpoint`, the method upper-cased and the endpoint without its query string or fragment (ids in a
 * query would make every call an API of its own); `status_code` 0 or empty is a timeout; `response_time` is
 * in ms and required for a call with a status; `size` is not used and not checked.
 */
export function parseCsvLogLine(
  line: string,
  context: LogLineContext,
  isApiName: (api: string) => boolean = createApiNameCheck(),
): LogLineResult {
  const cells = splitCsvLine(line);
  if (!cells) return { rejected: 'broken quoting: a quoted field must end with " before a comma' };
  if (cells.length !== 6)
    return { rejected: `expected 6 fields (${CALL_LOG_CSV_HEADER}), found ${cells.length}` };
  const [timestamp, method, endpoint, statusText, , responseText] = cells as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const atMs = parseLogTimestamp(timestamp);
  if (Number.isNaN(atMs))
    return { rejected: `timestamp "${timestamp}" is neither ISO-8601 nor YYYY-MM-DD HH:MM:SS` };
  const timeProblem = postedTimeProblem(atMs, context.window, false);
  if (timeProblem) return { rejected: `timestamp ${timeProblem}` };
  if (!METHOD.test(method)) return { rejected: `method "${method}" is not an HTTP method` };
  const api = `${method.toUpperCase()} ${pathOf(endpoint)}`;
  if (!isApiName(api)) return { rejected: `api "${api.slice(0, 80)}" is not 1-200 printable characters` };
  const status = statusOf(statusText);
  if (status === undefined)
    return {
      rejected: `status_code "${statusText}" is not an HTTP status (${MIN_STATUS}-${MAX_STATUS}; 0 or empty: a timeout)`,
    };
  const responseMs = status === null ? null : Number(responseText);
  if (responseMs !== null && (responseText === '' || !(responseMs >= 0 && responseMs <= MAX_RESPONSE_MS)))
    return {
      rejected: `response_time "${responseText}" is not a number of milliseconds from 0 to ${MAX_RESPONSE_MS}`,
    };
  const { source, environment } = context;
  return { atMs, source, environment, api, status, responseMs, payloadValid: true };
}

function pathOf(endpoint: string): string {
  const end = endpoint.search(/[?#]/);
  return end < 0 ? endpoint : endpoint.slice(0, end);
}

/** null for a timeout (0 or empty), the status, or undefined when it is not one. */
function statusOf(text: string): number | null | undefined {
  if (text === '' || text === '0') return null;
  if (!STATUS.test(text)) return undefined;
  const status = Number(text);
  return status >= MIN_STATUS && status <= MAX_STATUS ? status : undefined;
}

/** A parser of the file's data lines, in its format; one per import (it keeps the parse context). */
export function createLogLineParser(format: CallLogFormat, context: LogLineContext) {
  if (format === 'csv') {
    const isApiName = createApiNameCheck();
    return (line: string) => parseCsvLogLine(line, context, isApiName);
  }
  const recordContext = { ...context.window, defaultEnvironment: () => context.environment };
  return (line: string) => parseJsonLogLine(line, context, recordContext);
}

/** One JSON line: a call record as `POST /v1/api-calls/log` takes it, which must name the import's source. */
function parseJsonLogLine(
  line: string,
  context: LogLineContext,
  recordContext: CallLogsParseContext,
): LogLineResult {
  const problems: Problem[] = [];
  const value = parseJsonLine(line, '', problems);
  const record = value === undefined ? undefined : parseCallRecord(value, '', recordContext, problems);
  if (!record) return { rejected: problems.slice(0, 3).map(formatProblem).join('; ') };
  if (record.source !== context.source)
    return { rejected: `source "${record.source}" is not the import's source "${context.source}"` };
  return record;
}
