import { describe, expect, it } from 'vitest';
import { aggregateCalls } from '../../src/api-calls/aggregate-calls.js';
import { parseCallLogsJson, parseCallLogsNdjson } from '../../src/ingest/parse-call-logs.js';

const context = { now: new Date('2026-12-04T18:05:30Z'), retentionDays: 35 };
// product.md's example record.
const record = {
  at: '2026-12-04T18:04:13.120Z',
  source: 'checkout-api',
  environment: 'production',
  api: 'POST /v1/payments',
  status: 200,
  response_ms: 132,
  payload_valid: true,
};
const call = (changes: Record<string, unknown>) => ({ ...record, ...changes });
const problemsOf = (records: unknown[]) => parseCallLogsJson(records, context).problems;

describe('parseCallLogsJson', () => {
  it('reads the example record', () => {
    expect(parseCallLogsJson([record], context)).toEqual({
      problems: [],
      records: [
        {
          atMs: Date.parse('2026-12-04T18:04:13.120Z'),
          source: 'checkout-api',
          environment: 'production',
          api: 'POST /v1/payments',
          status: 200,
          responseMs: 132,
          payloadValid: true,
        },
      ],
    });
  });

  it('takes "timeout": true instead of a status as a call without a response', () => {
    const [timeout] = parseCallLogsJson(
      [call({ status: undefined, timeout: true, response_ms: 30000 })],
      context,
    ).records;
    expect(timeout).toMatchObject({ status: null, responseMs: null });
  });

  it('defaults the environment to production and payload_valid to true', () => {
    const [read] = parseCallLogsJson(
      [call({ environment: undefined, payload_valid: undefined })],
      context,
    ).records;
    expect(read).toMatchObject({ environment: 'production', payloadValid: true });
  });

  it.each([
    [
      'no status and no timeout',
      { status: undefined },
      'status',
      'is required: the HTTP status, or "timeout": true for a call that got no answer',
    ],
    ['a status and a timeout', { timeout: true }, 'timeout', 'must not be true for a call with a status'],
    [
      'a status without response time',
      { response_ms: undefined },
      'response_ms',
      'is required for a call with a status: its response time in milliseconds',
    ],
    ['status 0', { status: 0 }, 'status', 'must be an HTTP status from 100 to 599'],
    ['status 600', { status: 600 }, 'status', 'must be an HTTP status from 100 to 599'],
    [
      'a negative response time',
      { response_ms: -1 },
      'response_ms',
      'must be a number of milliseconds from 0 to 86400000',
    ],
    ['payload_valid as text', { payload_valid: 'no' }, 'payload_valid', 'must be true or false'],
    ['payload_valid null', { payload_valid: null }, 'payload_valid', 'must be true or false'],
    ['environment null', { environment: null }, 'environment', 'must be a string such as "production"'],
    ['an unknown field', { trace_id: 'abc' }, 'trace_id', 'is not a known field'],
    [
      'an at without zone',
      { at: '2026-12-04T18:04:13' },
      'at',
      'must be an ISO-8601 time with a zone, such as "2026-11-21T18:04:00Z"',
    ],
    [
      'an at from the future',
      { at: '2026-12-04T18:09:00Z' },
      'at',
      'must not be more than 2 minutes in the future',
    ],
    ['an empty api', { api: '' }, 'api', 'must not be empty'],
  ])('refuses %s, by path', (_, changes, path, message) => {
    expect(problemsOf([record, call(changes)])).toContainEqual({ path: `[1].${path}`, message });
  });

  it('refuses a body that is no array, an empty one and one too long', () => {
    expect(parseCallLogsJson({ records: [] }, context).problems[0]?.path).toBe('body');
    expect(problemsOf([])).toEqual([{ path: 'body', message: 'must hold at least one call record' }]);
    expect(problemsOf(new Array(10_001).fill(record))).toEqual([
      { path: 'body', message: 'must hold at most 10000 call records (it has 10001)' },
    ]);
  });

  it('refuses a record that is no object', () => {
    expect(problemsOf([record, 'text'])).toEqual([
      { path: '[1]', message: 'must be a JSON object: one call record' },
    ]);
  });
});

describe('parseCallLogsNdjson', () => {
  it('reads one record per line and skips blank lines', () => {
    const text = `${JSON.stringify(record)}\n\n${JSON.stringify(call({ status: 503 }))}\r\n`;
    expect(parseCallLogsNdjson(text, context).records.map((r) => r.status)).toEqual([200, 503]);
  });

  it('reports bad records by line number', () => {
    const text = `${JSON.stringify(record)}\n{not json\n\n${JSON.stringify(call({ status: 'ok' }))}`;
    expect(parseCallLogsNdjson(text, context).problems).toEqual([
      { path: 'line 2', message: 'is not JSON: each line must be one call record' },
      { path: 'line 4.status', message: 'must be an HTTP status from 100 to 599' },
    ]);
  });
});

describe('aggregating call records', () => {
  it('sums them per source, environment, api and minute', () => {
    const { records } = parseCallLogsJson(
      [
        record,
        call({ at: '2026-12-04T18:04:59.999Z', status: 201, response_ms: 25, payload_valid: false }),
        call({ at: '2026-12-04T18:04:01Z', status: 101, response_ms: 3 }),
        call({ at: '2026-12-04T18:04:02Z', status: 302, response_ms: 40 }),
        call({ at: '2026-12-04T18:04:03Z', status: 404, response_ms: 12000, payload_valid: false }),
        call({ at: '2026-12-04T18:04:04Z', status: 500, response_ms: 2500 }),
        call({ at: '2026-12-04T18:04:05Z', status: undefined, timeout: true }),
        call({ at: '2026-12-04T18:05:00Z' }),
        call({ api: 'GET /v1/balance' }),
      ],
      context,
    );
    expect(aggregateCalls(records)).toEqual([
      {
        source: 'checkout-api',
        environment: 'production',
        api: 'GET /v1/balance',
        minuteMs: Date.parse('2026-12-04T18:04:00Z'),
        calls: [1, 0, 0, 0, 0],
        silentFailures: 0,
        latency: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      },
      {
        source: 'checkout-api',
        environment: 'production',
        api: 'POST /v1/payments',
        minuteMs: Date.parse('2026-12-04T18:04:00Z'),
        // 200, 201 and 101 (a protocol switch counts as 2xx); 302; 404; 500; the timeout
        calls: [3, 1, 1, 1, 1],
        // only the 2xx with an invalid payload: a 404 with one is a failure already
        silentFailures: 1,
        // 3 and 25 ms; 40 ms; 132 ms; 2500 ms; 12 s; the timeout has no response time
        latency: [2, 1, 0, 1, 0, 0, 1, 0, 0, 1],
      },
      {
        source: 'checkout-api',
        environment: 'production',
        api: 'POST /v1/payments',
        minuteMs: Date.parse('2026-12-04T18:05:00Z'),
        calls: [1, 0, 0, 0, 0],
        silentFailures: 0,
        latency: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      },
    ]);
  });
});
