import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXAMPLE_MINUTE,
  postLog,
  postSummaries,
  readApiCalls,
  storedApiCalls,
} from '../helpers/api-calls.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';

const NOW = new Date('2026-12-04T18:05:30Z');
const DAY = 'from=2026-12-04T00:00:00Z&to=2026-12-05T00:00:00Z';
let app: TestApp;
let db: mysql.Pool;

beforeAll(async () => {
  app = await startTestApp(
    'api_calls_ingest',
    { INGEST_MAX_BODY_BYTES: String(256 * 1024) },
    { now: () => NOW },
  );
  db = mysql.createPool({ uri: app.database.url, timezone: 'Z' });
});
afterAll(async () => {
  await db?.end();
  await app?.stop();
});

const minuteOf = (source: string, changes: Record<string, unknown> = {}) => ({
  ...EXAMPLE_MINUTE,
  source,
  ...changes,
});
const record = (source: string, changes: Record<string, unknown> = {}) => ({
  at: '2026-12-04T18:04:13.120Z',
  source,
  environment: 'production',
  api: 'POST /v1/payments',
  status: 200,
  response_ms: 132,
  payload_valid: true,
  ...changes,
});

/** The one hour of one API a source has (18:00 on the test day). */
async function theHour(source: string, query = DAY) {
  const { apis } = await readApiCalls(app, source, query);
  expect(apis).toHaveLength(1);
  expect(apis[0]?.hours).toHaveLength(1);
  return apis[0]?.hours[0] as NonNullable<(typeof apis)[0]>['hours'][0];
}

async function addSource(name: string): Promise<string> {
  const added = await cli(['sources', 'add', name], { MYSQL_URL: app.database.url, LOG_LEVEL: 'silent' });
  expect(added.code).toBe(0);
  return added.stdout.trim();
}

describe('POST /v1/api-calls', () => {
  describe('when a service posts one minute of one API', () => {
    it('answers 202 with one accepted and stores every class, the silent failures and the histogram', async () => {
      const response = await postSummaries(app, EXAMPLE_MINUTE);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 1 });
      const hour = await theHour('checkout-api');
      expect(hour).toMatchObject({
        hour_start: '2026-12-04T18:00:00.000Z',
        minutes_reported: 1,
        calls: { '2xx': 1180, '3xx': 0, '4xx': 31, '5xx': 4, timeout: 1 },
        total: 1216,
        silent_failures: 2,
        latency_buckets: EXAMPLE_MINUTE.latency_ms,
      });
    });

    it('onboards a new source that posts with the shared ingest token', async () => {
      const [rows] = await db.query<RowDataPacket[]>(
        "SELECT onboarded_via FROM sources WHERE name = 'checkout-api'",
      );
      expect(rows.map((r) => r.onboarded_via)).toEqual(['ingest_token']);
    });

    it("fills the defaults: the source's default environment, the previous minute, missing classes 0", async () => {
      const token = await addSource('defaults-svc');
      await db.query("UPDATE sources SET default_environment = 'eu-prod' WHERE name = 'defaults-svc'");
      const response = await postSummaries(
        app,
        { source: 'defaults-svc', api: 'GET /v1/balance', calls: { '2xx': 7 } },
        token,
      );
      expect(response.status).toBe(202);
      const { environment, apis } = await readApiCalls(app, 'defaults-svc', DAY, token);
      expect(environment).toBe('eu-prod');
      expect(apis[0]?.hours[0]).toMatchObject({
        calls: { '2xx': 7, '3xx': 0, '4xx': 0, '5xx': 0, timeout: 0 },
        latency_ms: null,
      });
      const [minutes] = await db.query<RowDataPacket[]>(
        `SELECT m.minute FROM api_call_minutes m JOIN api_series a ON a.id = m.api_series_id WHERE a.api = 'GET /v1/balance'`,
      );
      expect(minutes.map((m) => m.minute)).toEqual([new Date('2026-12-04T18:04:00Z')]);
    });
  });

  describe('when a batch arrives', () => {
    it('stores every minute of several APIs and environments, all at once', async () => {
      const items = Array.from({ length: 60 }, (_, i) => ({
        source: 'batch-svc',
        environment: i % 2 === 0 ? 'production' : 'staging',
        api: i % 4 < 2 ? 'GET /v1/a' : 'POST /v1/b',
        minute: new Date(Date.parse('2026-12-04T16:00:00Z') + Math.floor(i / 4) * 60_000).toISOString(),
        calls: { '2xx': 10, '5xx': 1 },
        latency_ms: { '50': 11 },
      }));
      const response = await postSummaries(app, { items });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 60 });
      const staging = await readApiCalls(app, 'batch-svc', `environment=staging&${DAY}`);
      expect(staging.apis.map((a) => [a.api, a.hours.map((h) => [h.minutes_reported, h.total])])).toEqual([
        ['GET /v1/a', [[15, 165]]],
        ['POST /v1/b', [[15, 165]]],
      ]);
    });
  });

  describe('when a minute is posted again', () => {
    it('replaces it, also what logs had added to it', async () => {
      const minute = minuteOf('repost-svc', { calls: { '2xx': 100, '5xx': 5 }, silent_failures: 0 });
      const noLatency = { ...minute, latency_ms: undefined };
      expect((await postSummaries(app, noLatency)).status).toBe(202);
      expect((await postLog(app, { records: [record('repost-svc'), record('repost-svc')] })).status).toBe(
        202,
      );
      expect((await theHour('repost-svc')).total).toBe(107);
      expect((await postSummaries(app, { ...noLatency, calls: { '2xx': 90 } })).status).toBe(202);
      const hour = await theHour('repost-svc');
      expect([hour.total, hour.calls['2xx'], hour.calls['5xx'], hour.latency_ms]).toEqual([90, 90, 0, null]);
    });
  });

  describe('when the input is bad, it answers 4xx naming the problem and stores nothing', () => {
    const ok = minuteOf('bad-input-svc');
    const cases: [string, unknown, number, string][] = [
      [
        'classes that the buckets do not add up to',
        { ...ok, calls: { '2xx': 2000 } },
        400,
        'latency_ms: buckets add up to 1,215 but the calls with a response are 2,000',
      ],
      [
        'more silent failures than 2xx',
        { ...ok, silent_failures: 1181 },
        400,
        'silent_failures: must be at most calls.2xx (1,180)',
      ],
      [
        'an unknown bucket bound',
        { ...ok, latency_ms: { ...ok.latency_ms, '75': 1 } },
        400,
        'latency_ms.75: unknown bucket bound',
      ],
      [
        'an unknown class',
        { ...ok, calls: { ...ok.calls, '1xx': 1 } },
        400,
        'calls.1xx: unknown class "1xx"',
      ],
      ['an empty api', { ...ok, api: '' }, 400, 'api: must not be empty'],
      [
        'an api over 200 characters',
        { ...ok, api: `GET /${'x'.repeat(200)}` },
        400,
        'api: must be at most 200 characters',
      ],
      [
        'a negative count',
        { ...ok, calls: { ...ok.calls, '5xx': -1 } },
        400,
        'calls.5xx: must be a non-negative integer',
      ],
      [
        'a minute off the boundary',
        { ...ok, minute: '2026-12-04T18:04:10Z' },
        400,
        'minute: must be on a whole minute',
      ],
      [
        'a minute in the future',
        { ...ok, minute: '2026-12-04T18:10:00Z' },
        400,
        'more than 2 minutes in the future',
      ],
      [
        'a minute past retention',
        { ...ok, minute: '2026-10-01T00:00:00Z' },
        400,
        'older than the 35-day retention',
      ],
      ['an unknown field', { ...ok, region: 'eu' }, 400, 'region: is not a known field'],
      ['the same minute twice in a batch', { items: [ok, ok] }, 400, 'items[1]: repeats items[0]'],
      [
        'a batch with one bad item',
        { items: [ok, { ...ok, minute: '2026-12-04T18:03:00Z', calls: { '2xx': -3 } }] },
        400,
        'items[1].calls.2xx: must be a non-negative integer',
      ],
      ['a body that is no object', [ok], 400, 'body: must be a JSON object'],
      [
        'a body over the limit',
        { items: Array.from({ length: 1000 }, () => ok) },
        413,
        'larger than the server accepts',
      ],
    ];

    it.each(cases)('%s', async (_name, body, status, message) => {
      const before = await storedApiCalls(db);
      const response = await postSummaries(app, body);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toContain(message);
      expect(await storedApiCalls(db)).toEqual(before);
    });

    it.each([
      ['no token', null, 401, 'Authorization: Bearer'],
      ['a wrong token', 'not-a-token-at-all', 401, 'matches no source'],
    ] as const)('%s', async (_name, token, status, message) => {
      const before = await storedApiCalls(db);
      const response = await postSummaries(app, ok, token);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toContain(message);
      expect(await storedApiCalls(db)).toEqual(before);
    });

    it('refuses a form body with 415', async () => {
      const response = await app.request('/v1/api-calls', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      });
      expect(response.status).toBe(415);
    });

    it("refuses with 403 a source token's post for another source", async () => {
      const token = await addSource('own-api-svc');
      const mine = minuteOf('own-api-svc');
      const before = await storedApiCalls(db);
      const theirs = await postSummaries(app, { items: [mine, { ...mine, source: 'checkout-api' }] }, token);
      expect(theirs.status).toBe(403);
      expect(((await theirs.json()) as { message: string }).message).toContain(
        'cannot post for another source (items[1].source "checkout-api")',
      );
      expect(await storedApiCalls(db)).toEqual(before);
      expect((await postSummaries(app, mine, token)).status).toBe(202);
    });

    it('lists every problem of a batch by path at once', async () => {
      const response = await postSummaries(app, {
        items: [ok, { ...ok, api: '' }, { ...ok, minute: 'yesterday' }, { ...ok, latency_ms: { '7': 1 } }],
      });
      const body = (await response.json()) as { problems: { path: string }[] };
      // Item 3 is also the same API and minute as item 0, which is one more thing to name.
      expect(body.problems.map((p) => p.path)).toEqual([
        'items[1].api',
        'items[2].minute',
        'items[3].latency_ms.7',
        'items[3]',
      ]);
    });
  });
});

describe('POST /v1/api-calls/log', () => {
  it('adds a JSON array of call records into their minutes: classes, silent failures and buckets', async () => {
    const records = [
      record('log-svc', { status: 200, response_ms: 20 }),
      record('log-svc', { status: 200, response_ms: 30, payload_valid: false }),
      record('log-svc', { status: 404, response_ms: 5 }),
      record('log-svc', { status: 503, response_ms: 700 }),
      record('log-svc', { status: undefined, timeout: true, response_ms: undefined }),
      record('log-svc', { at: '2026-12-04T17:59:59.999Z', status: 302, response_ms: 12_000 }),
    ];
    const response = await postLog(app, { records });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 6, minutes: 2 });
    const { apis } = await readApiCalls(app, 'log-svc', DAY);
    expect(
      apis[0]?.hours.map((h) => [h.hour_start, h.calls, h.silent_failures, h.latency_ms?.calls]),
    ).toEqual([
      ['2026-12-04T17:00:00.000Z', { '2xx': 0, '3xx': 1, '4xx': 0, '5xx': 0, timeout: 0 }, 0, 1],
      ['2026-12-04T18:00:00.000Z', { '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 1, timeout: 1 }, 1, 4],
    ]);
    expect(apis[0]?.hours[1]?.latency_buckets).toMatchObject({ '25': 2, '50': 1, '1000': 1 });
  });

  it('takes NDJSON sent as application/x-ndjson, blank lines skipped', async () => {
    const ndjson = `${JSON.stringify(record('ndjson-svc'))}\n\n${JSON.stringify(record('ndjson-svc', { status: 500 }))}\n`;
    const response = await postLog(app, { ndjson });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, minutes: 1 });
    expect((await theHour('ndjson-svc')).calls).toMatchObject({ '2xx': 1, '5xx': 1 });
  });

  it('adds to what a posted minute holds', async () => {
    const posted = minuteOf('adds-svc', {
      calls: { '2xx': 10 },
      silent_failures: 0,
      latency_ms: { '25': 10 },
    });
    expect((await postSummaries(app, posted)).status).toBe(202);
    expect(
      (await postLog(app, { records: [record('adds-svc', { status: 502, response_ms: 40 })] })).status,
    ).toBe(202);
    const hour = await theHour('adds-svc');
    expect([
      hour.total,
      hour.calls['2xx'],
      hour.calls['5xx'],
      hour.latency_buckets['25'],
      hour.latency_buckets['50'],
    ]).toEqual([11, 10, 1, 10, 1]);
  });

  it('without an Idempotency-Key, adds each request, repeats included', async () => {
    const records = [record('no-key-svc')];
    expect((await postLog(app, { records })).status).toBe(202);
    expect((await postLog(app, { records })).status).toBe(202);
    expect((await theHour('no-key-svc')).total).toBe(2);
  });

  describe('with an Idempotency-Key', () => {
    it('counts a repeated request once, answering 200 with nothing accepted the second time', async () => {
      const records = [record('idem-svc'), record('idem-svc', { status: 500 })];
      const first = await postLog(app, { records }, { key: 'batch-0001' });
      expect(first.status).toBe(202);
      const again = await postLog(app, { records: [...records].reverse() }, { key: 'batch-0001' });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ accepted: 0, minutes: 0, repeated: true });
      const ndjsonAgain = await postLog(
        app,
        { ndjson: records.map((r) => JSON.stringify(r)).join('\n') },
        { key: 'batch-0001' },
      );
      expect(ndjsonAgain.status).toBe(200);
      expect((await theHour('idem-svc')).total).toBe(2);
    });

    it('counts concurrent repeats once', async () => {
      const records = [record('idem-race-svc')];
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => postLog(app, { records }, { key: 'race-key' })),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
      expect((await theHour('idem-race-svc')).total).toBe(1);
    });

    it('answers 409 and stores nothing when the key comes back with other records', async () => {
      expect((await postLog(app, { records: [record('idem-other-svc')] }, { key: 'k-2' })).status).toBe(202);
      const before = await storedApiCalls(db);
      const other = await postLog(
        app,
        { records: [record('idem-other-svc', { status: 500 })] },
        { key: 'k-2' },
      );
      expect(other.status).toBe(409);
      expect(((await other.json()) as { message: string }).message).toContain(
        'already used for other call records',
      );
      expect(await storedApiCalls(db)).toEqual(before);
    });

    it('keeps the keys of different sources apart', async () => {
      expect((await postLog(app, { records: [record('idem-a-svc')] }, { key: 'shared-key' })).status).toBe(
        202,
      );
      expect((await postLog(app, { records: [record('idem-b-svc')] }, { key: 'shared-key' })).status).toBe(
        202,
      );
      expect((await theHour('idem-b-svc')).total).toBe(1);
    });
  });

  describe('when the input is bad, it answers 4xx naming the problem and stores nothing', () => {
    const ok = record('bad-log-svc');
    const cases: [string, () => Promise<Response>, number, string][] = [
      [
        'a record without status or timeout',
        () => postLog(app, { records: [ok, { ...ok, status: undefined }] }),
        400,
        '[1].status: is required',
      ],
      [
        'a status out of range',
        () => postLog(app, { records: [{ ...ok, status: 99 }] }),
        400,
        '[0].status: must be an HTTP status from 100 to 599',
      ],
      [
        'a call with a status and no response time',
        () => postLog(app, { records: [{ ...ok, response_ms: undefined }] }),
        400,
        '[0].response_ms: is required',
      ],
      [
        'an unreadable time',
        () => postLog(app, { records: [{ ...ok, at: 'noon' }] }),
        400,
        '[0].at: must be an ISO-8601 time',
      ],
      [
        'a call in the future',
        () => postLog(app, { records: [{ ...ok, at: '2026-12-04T18:30:00Z' }] }),
        400,
        'more than 2 minutes in the future',
      ],
      [
        'an empty api',
        () => postLog(app, { records: [{ ...ok, api: '' }] }),
        400,
        '[0].api: must not be empty',
      ],
      [
        'a JSON object instead of an array',
        () => postLog(app, { records: ok }),
        400,
        'body: must be a JSON array of call records',
      ],
      [
        'an empty array',
        () => postLog(app, { records: [] }),
        400,
        'body: must hold at least one call record',
      ],
      [
        'a broken NDJSON line',
        () => postLog(app, { ndjson: `${JSON.stringify(ok)}\n{"at":` }),
        400,
        'line 2: is not JSON',
      ],
      [
        'an empty NDJSON body',
        () => postLog(app, { ndjson: '' }),
        400,
        'body: must hold at least one call record',
      ],
      [
        'a bad Idempotency-Key',
        () => postLog(app, { records: [ok] }, { key: 'k'.repeat(256) }),
        400,
        'Idempotency-Key: must be 1-255 printable ASCII characters',
      ],
      [
        'a body over the limit',
        () => postLog(app, { records: Array.from({ length: 2000 }, () => ok) }),
        413,
        'larger than the server accepts',
      ],
      ['no token', () => postLog(app, { records: [ok] }, { token: null }), 401, 'Authorization: Bearer'],
      [
        'plain text',
        () =>
          app.request('/v1/api-calls/log', {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify(ok),
          }),
        415,
        'application/json (an array of call records) or application/x-ndjson',
      ],
    ];

    it.each(cases)('%s', async (_name, send, status, message) => {
      const before = await storedApiCalls(db);
      const response = await send();
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toContain(message);
      expect(await storedApiCalls(db)).toEqual(before);
    });

    it("refuses with 403 a source token's records for another source", async () => {
      const token = await addSource('own-log-svc');
      const before = await storedApiCalls(db);
      const response = await postLog(
        app,
        { records: [record('own-log-svc'), record('checkout-api')] },
        { token },
      );
      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toContain('(source "checkout-api")');
      expect(await storedApiCalls(db)).toEqual(before);
    });
  });
});

describe('the ingest metrics', () => {
  it('count API-call posts by endpoint and outcome, and the minutes and records stored', async () => {
    const text = await (await app.request('/metrics')).text();
    expect(text).toMatch(
      /ratewatch_api_call_posts_total\{endpoint="summaries",outcome="accepted",reason=""\} \d+/,
    );
    expect(text).toMatch(/ratewatch_api_call_posts_total\{endpoint="log",outcome="repeated",reason=""\} \d+/);
    expect(text).toMatch(
      /ratewatch_api_call_posts_total\{endpoint="log",outcome="rejected",reason="invalid_request"\} \d+/,
    );
    expect(text).toMatch(/ratewatch_api_call_records_total \d+/);
    expect(text).toMatch(/ratewatch_api_call_rows_stored_total\{endpoint="log"\} \d+/);
  });
});
