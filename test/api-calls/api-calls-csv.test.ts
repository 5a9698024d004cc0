import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  API_CALLS_CSV_HEADER,
  createApiCallsCsvFormatter,
  csvKindOf,
  readApiCallsCsv,
  readCsvKind,
} from '../../src/api-calls/api-calls-csv.js';
import type { ApiMinute } from '../../src/api-calls/api-minute.js';
import { COUNTS_CSV_HEADER, CsvError } from '../../src/backtest/counts-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'ratewatch-api-csv-'));
let files = 0;
function file(...lines: string[]): string {
  const path = join(dir, `api-calls-${files++}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
async function readAll(path: string): Promise<ApiMinute[]> {
  const rows: ApiMinute[] = [];
  for await (const row of readApiCallsCsv(path)) rows.push(row);
  return rows;
}
async function errorOf(path: string): Promise<CsvError> {
  try {
    await readAll(path);
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

const minute = (changes: Partial<ApiMinute>): ApiMinute => ({
  source: 'checkout-api',
  environment: 'production',
  api: 'POST /v1/payments',
  minuteMs: Date.parse('2026-12-04T18:04:00Z'),
  calls: [1180, 0, 31, 4, 1],
  silentFailures: 2,
  latency: [300, 610, 250, 40, 10, 3, 1, 0, 0, 1],
  ...changes,
});
const GOOD =
  '2026-12-04T18:04:00Z,checkout-api,production,POST /v1/payments,1180,0,31,4,1,2,300,610,250,40,10,3,1,0,0,1';

describe('the API-calls CSV', () => {
  it('has the header of the contract, exactly', () => {
    expect(API_CALLS_CSV_HEADER).toBe(
      'minute,source,environment,api,2xx,3xx,4xx,5xx,timeout,silent_failures,le_25,le_50,le_100,le_250,le_500,le_1000,le_2500,le_5000,le_10000,le_inf',
    );
  });

  it('writes a minute as a line, the api in double quotes when it holds a comma', () => {
    const format = createApiCallsCsvFormatter();
    expect(format(minute({}))).toBe(`${GOOD}\n`);
    expect(format(minute({ api: 'GET /v1/reports?fields=id,total' }))).toContain(
      ',"GET /v1/reports?fields=id,total",',
    );
  });

  it('reads back what it wrote', async () => {
    const rows = [
      minute({}),
      // Posted without latency: the histogram holds zeros.
      minute({ api: 'GET /v1/reports?fields=id,total', silentFailures: 0, latency: new Array(10).fill(0) }),
      minute({ minuteMs: Date.parse('2026-12-04T18:05:00Z') }),
    ];
    const format = createApiCallsCsvFormatter();
    const path = join(dir, 'round-trip.csv');
    writeFileSync(path, `${API_CALLS_CSV_HEADER}\n${rows.map(format).join('')}`);
    expect(await readAll(path)).toEqual(rows);
  });

  it('reads empty counts as 0', async () => {
    const [row] = await readAll(
      file(API_CALLS_CSV_HEADER, '2026-12-04T18:04:00Z,a,production,GET /x,3,,,,,,,,,,,,,,,'),
    );
    expect(row?.calls).toEqual([3, 0, 0, 0, 0]);
  });

  it.each([
    ['a wrong header', [COUNTS_CSV_HEADER, GOOD], 1, `the header must be exactly ${API_CALLS_CSV_HEADER}`],
    ['a missing column', [API_CALLS_CSV_HEADER, GOOD, GOOD.slice(0, -2)], 3, 'expected 20 columns, found 19'],
    [
      'a minute off the minute',
      [API_CALLS_CSV_HEADER, GOOD.replace(':04:00Z', ':04:30Z')],
      2,
      'minute "2026-12-04T18:04:30Z" is not an ISO-8601 UTC minute',
    ],
    [
      'a minute without zone',
      [API_CALLS_CSV_HEADER, GOOD.replace(':04:00Z', ':04:00')],
      2,
      'minute "2026-12-04T18:04:00" is not an ISO-8601 UTC minute',
    ],
    [
      'a negative count',
      [API_CALLS_CSV_HEADER, GOOD.replace(',31,', ',-31,')],
      2,
      'count "-31" is not a non-negative integer',
    ],
    [
      'a fractional count',
      [API_CALLS_CSV_HEADER, GOOD.replace(',31,', ',3.5,')],
      2,
      'count "3.5" is not a non-negative integer',
    ],
    [
      'a bad source',
      [API_CALLS_CSV_HEADER, GOOD.replace('checkout-api', 'checkout api')],
      2,
      'source "checkout api" is not a valid source name',
    ],
    [
      'broken quoting',
      [API_CALLS_CSV_HEADER, GOOD.replace('POST /v1/payments', '"POST /v1/payments')],
      2,
      'broken quoting: a quoted field must end with " before a comma',
    ],
    [
      'more silent failures than 2xx',
      [API_CALLS_CSV_HEADER, GOOD.replace(',1,2,300', ',1,1181,300')],
      2,
      'silent_failures 1181 exceed 2xx 1180',
    ],
    [
      'more latencies than responses',
      [API_CALLS_CSV_HEADER, GOOD.replace(',300,610', ',301,610')],
      2,
      'the latency buckets hold 1216 calls, more than the 1215 with a response',
    ],
    [
      'minutes going backwards',
      [API_CALLS_CSV_HEADER, GOOD, GOOD.replace('18:04', '18:03')],
      3,
      'minutes go backwards: the file must be sorted by minute',
    ],
  ])('refuses %s with its line number', async (_, lines, line, message) => {
    const error = await errorOf(file(...lines));
    expect([error.line, error.message]).toEqual([line, `line ${line}: ${message}`]);
  });
});

describe('telling the two CSV kinds apart', () => {
  it.each([
    [COUNTS_CSV_HEADER, 'counts'],
    [API_CALLS_CSV_HEADER, 'api-calls'],
    [`\uFEFF${API_CALLS_CSV_HEADER}\r`, 'api-calls'],
    ['minute,source', undefined],
  ])('reads %s as %s', (header, kind) => {
    expect(csvKindOf(header)).toBe(kind);
  });

  it('reads the kind of a file from its first line', async () => {
    expect(await readCsvKind(file(API_CALLS_CSV_HEADER, GOOD))).toBe('api-calls');
    expect(await readCsvKind(file(COUNTS_CSV_HEADER))).toBe('counts');
    await expect(readCsvKind(file('timestamp,method'))).rejects.toThrow(
      /^line 1: the header must be exactly/,
    );
  });
});
