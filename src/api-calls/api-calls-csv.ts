import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { COUNTS_CSV_HEADER, CsvError } from '../backtest/counts-csv.js';
import { isApiName, isEnvironmentName, isSourceName } from '../ingest/names.js';
import { type ApiMinute, CALL_CLASSES, callsWithResponse } from './api-minute.js';
import { csvField, splitCsvLine } from './csv-fields.js';
import { histogramTotal, LATENCY_BUCKET_COUNT, LATENCY_BUCKETS } from './latency.js';

/** The API-calls CSV header, exactly (product.md): built from the classes and buckets, tested against the text. */
export const API_CALLS_CSV_HEADER = [
  'minute,source,environment,api',
  ...CALL_CLASSES,
  'silent_failures',
  ...LATENCY_BUCKETS.map((bucket) => `le_${bucket}`),
].join(',');
const COLUMNS = 4 + CALL_CLASSES.length + 1 + LATENCY_BUCKET_COUNT;

/** The two CSV files `backtest` reads, told apart by their header line. */
export type CsvKind = 'counts' | 'api-calls';

/** Which CSV a header line starts (a BOM, surrounding spaces and a trailing CR allowed), or undefined. */
export function csvKindOf(headerLine: string): CsvKind | undefined {
  const header = headerLine.replace(/^\uFEFF/, '').trim();
  if (header === COUNTS_CSV_HEADER) return 'counts';
  if (header === API_CALLS_CSV_HEADER) return 'api-calls';
  return undefined;
}

/** The kind of the CSV at `path` from its first line; CsvError (line 1) when it is neither. */
export async function readCsvKind(path: string): Promise<CsvKind> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', end: 64 * 1024 }) });
  let first = '';
  for await (const line of lines) {
    first = line;
    break;
  }
  lines.close();
  const kind = csvKindOf(first);
  if (kind) return kind;
  throw new CsvError(
    1,
    `the header must be exactly ${COUNTS_CSV_HEADER} (counts) or ${API_CALLS_CSV_HEADER} (API calls)`,
  );
}

/**
 * A formatter of minutes into CSV lines (with the newline): `minute` as `2026-12-04T18:04:00Z`, `api` in
 * double quotes when it holds a comma (or a quote, doubled). It remembers the last minute's text: rows come
 * sorted by minute, and formatting dates dominates otherwise.
 */
export function createApiCallsCsvFormatter(): (minute: ApiMinute) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return (row) => {
    if (row.minuteMs !== lastMs) {
      lastMs = row.minuteMs;
      lastText = `${new Date(row.minuteMs).toISOString().slice(0, 19)}Z`;
    }
    const counts = `${row.calls.join(',')},${row.silentFailures},${row.latency.join(',')}`;
    return `${lastText},${row.source},${row.environment},${csvField(row.api)},${counts}\n`;
  };
}

/**
 * Streams an API-calls CSV in constant memory, one minute at a time. Checks the header, the names, that
 * counts are non-negative integers (empty = 0), that silent failures ≤ 2xx and buckets ≤ calls with a response,
 * and that minutes never go backwards. A bad line throws CsvError with its 1-based line number.
 */
export async function* readApiCallsCsv(path: string): AsyncGenerator<ApiMinute> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const parseLine = createApiCallsCsvParser();
  let lineNumber = 0;
  let previous = Number.NEGATIVE_INFINITY;
  for await (const line of lines) {
    lineNumber++;
    if (lineNumber === 1) {
      if (csvKindOf(line) !== 'api-calls')
        throw new CsvError(1, `the header must be exactly ${API_CALLS_CSV_HEADER}`);
      continue;
    }
    if (line.length === 0) continue;
    const row = parseLine(line, lineNumber);
    if (row.minuteMs < previous)
      throw new CsvError(lineNumber, 'minutes go backwards: the file must be sorted by minute');
    previous = row.minuteMs;
    yield row;
  }
}

const MINUTE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A parser of data lines (not the header); it remembers the last minute's text, as counts-csv does. */
export function createApiCallsCsvParser(): (line: string, lineNumber: number) => ApiMinute {
  let lastText = '';
  let lastMs = Number.NaN;
  return (line, lineNumber) => {
    const cells = splitCsvLine(line);
    if (!cells)
      throw new CsvError(lineNumber, 'broken quoting: a quoted field must end with " before a comma');
    if (cells.length !== COLUMNS)
      throw new CsvError(lineNumber, `expected ${COLUMNS} columns, found ${cells.length}`);
    const [minuteText, source, environment, api] = cells as [string, string, string, string];
    if (minuteText !== lastText) {
      lastText = minuteText;
      lastMs = MINUTE_PATTERN.test(minuteText) ? Date.parse(minuteText) : Number.NaN;
    }
    if (Number.isNaN(lastMs) || lastMs % 60_000 !== 0)
      throw new CsvError(lineNumber, `minute "${minuteText}" is not an ISO-8601 UTC minute`);
    checkNames(source, environment, api, lineNumber);
    const counts = cells.slice(4).map((cell) => countOf(cell, lineNumber));
    return checkedMinute(
      {
        source,
        environment,
        api,
        minuteMs: lastMs,
        calls: counts.slice(0, CALL_CLASSES.length),
        silentFailures: counts[CALL_CLASSES.length] as number,
        latency: counts.slice(CALL_CLASSES.length + 1),
      },
      lineNumber,
    );
  };
}

function checkNames(source: string, environment: string, api: string, lineNumber: number): void {
  if (!isSourceName(source)) throw new CsvError(lineNumber, `source "${source}" is not a valid source name`);
  if (!isEnvironmentName(environment))
    throw new CsvError(lineNumber, `environment "${environment}" is not a valid environment name`);
  if (!isApiName(api)) throw new CsvError(lineNumber, `api "${api}" is not 1-200 printable characters`);
}

function countOf(cell: string, lineNumber: number): number {
  const value = cell === '' ? 0 : Number(cell);
  if (!Number.isSafeInteger(value) || value < 0 || !/^\d*$/.test(cell))
    throw new CsvError(lineNumber, `count "${cell}" is not a non-negative integer`);
  return value;
}

function checkedMinute(minute: ApiMinute, lineNumber: number): ApiMinute {
  if (minute.silentFailures > (minute.calls[0] as number))
    throw new CsvError(lineNumber, `silent_failures ${minute.silentFailures} exceed 2xx ${minute.calls[0]}`);
  if (histogramTotal(minute.latency) > callsWithResponse(minute.calls))
    throw new CsvError(
      lineNumber,
      `the latency buckets hold ${histogramTotal(minute.latency)} calls, more than the ${callsWithResponse(minute.calls)} with a response`,
    );
  return minute;
}
