import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';

const NOW = new Date('2026-11-21T18:05:30Z');
let app: TestApp;
let db: mysql.Pool;

beforeAll(async () => {
  app = await startTestApp('counts_api', { INGEST_MAX_BODY_BYTES: String(256 * 1024) }, { now: () => NOW });
  db = mysql.createPool({ uri: app.database.url, timezone: 'Z' });
});
afterAll(async () => {
  await db?.end();
  await app?.stop();
});

const post = (json: unknown, init: { token?: string | null; query?: string } = {}) =>
  app.request(`/v1/counts${init.query ?? ''}`, { method: 'POST', json, token: init.token });

async function rates(source: string, query = 'from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z') {
  const response = await app.request(`/v1/sources/${source}/rates?${query}`, { token: API_TOKEN });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    environment: string;
    hours: { hour_start: string; total: number; minutes_reported: number; counts: Record<string, number> }[];
  };
}

async function storedRows(): Promise<{ minutes: number; sources: number }> {
  const [[minutes]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM minute_counts');
  const [[sources]] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM sources');
  return { minutes: Number(minutes?.n), sources: Number(sources?.n) };
}

async function addSource(name: string): Promise<string> {
  const { runCli } = await import('../../src/cli/index.js');
  let token = '';
  const stdout = {
    write: (chunk: string) => {
      token += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  const stderr = { write: () => true } as unknown as NodeJS.WritableStream;
  const code = await runCli(['sources', 'add', name], {
    env: { MYSQL_URL: app.database.url },
    stdout,
    stderr,
  });
  expect(code).toBe(0);
  return token.trim();
}

describe('POST /v1/counts', () => {
  describe('when a payment system posts one minute', () => {
    it('answers 202 with one accepted and shows the counts in the hourly rates', async () => {
      const response = await post({
        source: 'card-eu',
        minute: '2026-11-21T18:04:00Z',
        counts: { approved: 1203, denied: 88, failed: 12 },
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 1 });
      const { environment, hours } = await rates('card-eu');
      expect(environment).toBe('production');
      expect(hours).toEqual([
        expect.objectContaining({
          hour_start: '2026-11-21T18:00:00.000Z',
          total: 1303,
          minutes_reported: 1,
          counts: expect.objectContaining({ approved: 1203, denied: 88, failed: 12, reversed: 0 }),
        }),
      ]);
    });

    it('replaces that minute when it is posted again, never adding to it', async () => {
      const minute = {
        source: 'card-repost',
        minute: '2026-11-21T18:01:00Z',
        counts: { approved: 100, failed: 5 },
      };
      expect((await post(minute)).status).toBe(202);
      expect((await post({ ...minute, counts: { approved: 100, failed: 5 } })).status).toBe(202);
      expect((await post({ ...minute, counts: { approved: 90 } })).status).toBe(202);
      const { hours } = await rates('card-repost');
      expect(hours.map((h) => [h.total, h.counts.approved, h.counts.failed])).toEqual([[90, 90, 0]]);
    });
  });

  describe('when a batch arrives', () => {
    it('stores every minute of several sources and environments', async () => {
      const items = Array.from({ length: 120 }, (_, i) => ({
        source: i % 2 === 0 ? 'batch-a' : 'batch-b',
        environment: i % 4 < 2 ? 'production' : 'staging',
        minute: new Date(Date.parse('2026-11-21T16:00:00Z') + Math.floor(i / 4) * 60_000).toISOString(),
        counts: { approved: 10, denied: 1 },
      }));
      const response = await post({ items });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: 120 });
      const staging = await rates(
        'batch-a',
        'environment=staging&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z',
      );
      expect(staging.hours.map((h) => [h.hour_start, h.minutes_reported, h.total])).toEqual([
        ['2026-11-21T16:00:00.000Z', 30, 330],
      ]);
    });

    it('refuses one minute posted twice when one item leaves out the environment the other names', async () => {
      const before = await storedRows();
      const at = { source: 'dup-env', minute: '2026-11-21T17:30:00Z' };
      const response = await post({
        items: [
          { ...at, counts: { approved: 10 } },
          { ...at, environment: 'production', counts: { approved: 20 } },
        ],
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { problems: unknown[] }).problems).toEqual([
        { path: 'items[1]', message: 'repeats items[0] (same source, environment and minute)' },
      ]);
      expect(await storedRows()).toEqual(before);
    });

    it('keeps the hourly rollup exact when minutes arrive late and out of order', async () => {
      const at = (minute: string, approved: number) => ({ source: 'late-one', minute, counts: { approved } });
      await post({ items: [at('2026-11-21T17:10:00Z', 10), at('2026-11-21T17:50:00Z', 20)] });
      expect((await rates('late-one')).hours.map((h) => h.total)).toEqual([30]);
      await post({ items: [at('2026-11-21T17:05:00Z', 5), at('2026-11-21T18:02:00Z', 7)] });
      await post(at('2026-11-21T17:50:00Z', 1));
      expect((await rates('late-one')).hours.map((h) => [h.hour_start, h.total, h.minutes_reported])).toEqual(
        [
          ['2026-11-21T17:00:00.000Z', 16, 3],
          ['2026-11-21T18:00:00.000Z', 7, 1],
        ],
      );
    });
  });

  describe('when an older monitoring script posts the legacy array', () => {
    const legacy = [
      { status: 'approved', count: 255 },
      { status: 'failed', count: 3 },
    ];

    it('stamps it at the previous whole minute for the source in ?source=', async () => {
      expect((await post(legacy, { query: '?source=legacy-script' })).status).toBe(202);
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT m.minute FROM minute_counts m JOIN series s ON s.id = m.series_id
         JOIN sources o ON o.id = s.source_id WHERE o.name = 'legacy-script'`,
      );
      expect(rows.map((r) => r.minute)).toEqual([new Date('2026-11-21T18:04:00Z')]);
    });

    it('takes the source from a source token', async () => {
      const token = await addSource('legacy-own');
      expect((await post(legacy, { token })).status).toBe(202);
      expect((await rates('legacy-own')).hours.map((h) => h.counts.failed)).toEqual([3]);
    });
  });

  describe('with tokens', () => {
    it('onboards a new source that posts with the shared ingest token', async () => {
      await post({ source: 'brand-new', minute: '2026-11-21T18:00:00Z', counts: { approved: 1 } });
      const [rows] = await db.query<RowDataPacket[]>(
        "SELECT onboarded_via FROM sources WHERE name = 'brand-new'",
      );
      expect(rows.map((r) => r.onboarded_via)).toEqual(['ingest_token']);
    });

    it('lets a source token post for its own source only', async () => {
      const token = await addSource('own-token');
      const mine = { source: 'own-token', minute: '2026-11-21T18:00:00Z', counts: { approved: 1 } };
      expect((await post(mine, { token })).status).toBe(202);
      const before = await storedRows();
      const theirs = await post({ items: [mine, { ...mine, source: 'card-eu' }] }, { token });
      expect(theirs.status).toBe(403);
      expect(((await theirs.json()) as { message: string }).message).toContain(
        'cannot post for another source (items[1].source "card-eu")',
      );
      expect(await storedRows()).toEqual(before);
    });
  });

  describe('when the input is bad, it answers 4xx naming the problem and stores nothing', () => {
    const ok = { source: 'bad-input', minute: '2026-11-21T18:04:00Z', counts: { approved: 1 } };
    const cases: [string, () => Promise<Response>, number, string][] = [
      [
        'an unknown status',
        () => post({ ...ok, counts: { lost: 1 } }),
        400,
        'counts.lost: unknown status "lost"',
      ],
      [
        'a negative count',
        () => post({ ...ok, counts: { failed: -1 } }),
        400,
        'counts.failed: must be a non-negative integer',
      ],
      [
        'a fractional count',
        () => post({ ...ok, counts: { failed: 2.5 } }),
        400,
        'counts.failed: must be a non-negative integer',
      ],
      [
        'a huge count',
        () => post({ ...ok, counts: { failed: 5e9 } }),
        400,
        'counts.failed: must be at most 1000000000',
      ],
      [
        'a minute off the boundary',
        () => post({ ...ok, minute: '2026-11-21T18:04:10Z' }),
        400,
        'minute: must be on a whole minute',
      ],
      [
        'a minute in the future',
        () => post({ ...ok, minute: '2026-11-21T18:10:00Z' }),
        400,
        'more than 2 minutes in the future',
      ],
      [
        'a minute past retention',
        () => post({ ...ok, minute: '2026-10-01T00:00:00Z' }),
        400,
        'older than the 35-day retention',
      ],
      [
        'a batch with one bad item',
        () =>
          post({ items: [ok, { ...ok, minute: '2026-11-21T18:03:00Z' }, { ...ok, counts: { failed: -3 } }] }),
        400,
        'items[2].counts.failed: must be a non-negative integer',
      ],
      [
        'an empty body',
        () => app.request('/v1/counts', { method: 'POST', headers: { 'content-type': 'application/json' } }),
        400,
        'body: must not be empty',
      ],
      [
        'broken JSON',
        () =>
          app.request('/v1/counts', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"source":',
          }),
        400,
        'body: is not valid JSON',
      ],
      [
        'a "__proto__" key',
        () =>
          app.request('/v1/counts', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"source":"card-eu","counts":{"approved":1},"__proto__":{"x":1}}',
          }),
        400,
        'body: is not valid JSON, or holds a "__proto__" or "constructor.prototype" key',
      ],
      [
        'a form body',
        () =>
          app.request('/v1/counts', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'a=1',
          }),
        415,
        'Content-Type must be application/json',
      ],
      [
        'a body over the limit',
        () => post({ items: Array.from({ length: 4000 }, () => ok) }),
        413,
        'larger than the server accepts',
      ],
      ['no token', () => post(ok, { token: null }), 401, 'Authorization: Bearer'],
      ['a wrong token', () => post(ok, { token: 'not-a-token-at-all' }), 401, 'matches no source'],
    ];

    it.each(cases)('%s', async (_name, send, status, message) => {
      const before = await storedRows();
      const response = await send();
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toContain(message);
      expect(await storedRows()).toEqual(before);
    });

    it('lists every problem of a batch by path at once', async () => {
      const response = await post({
        items: [ok, { ...ok, counts: { failed: -1 } }, { ...ok, minute: 'yesterday' }, { ...ok, source: '' }],
      });
      const body = (await response.json()) as { problems: { path: string }[] };
      // Item 1 is also the same source and minute as item 0, which is one more thing to name.
      expect(body.problems.map((p) => p.path)).toEqual([
        'items[1].counts.failed',
        'items[1]',
        'items[2].minute',
        'items[3].source',
      ]);
    });
  });

  describe('when its rates are read with a bad query', () => {
    it('answers 400 naming a misspelt parameter, a bad environment and a bad range at once', async () => {
      const response = await app.request('/v1/sources/card-eu/rates?environment=x%20y&bogus=1&to=later', {
        token: API_TOKEN,
      });
      expect(response.status).toBe(400);
      const { problems } = (await response.json()) as { problems: { path: string }[] };
      expect(problems.map((p) => p.path)).toEqual(['bogus', 'environment', 'to']);
    });
  });

  describe('when the same minute is posted by many connections at once', () => {
    it('ends with one row holding one of the posts, and a rollup that matches it', async () => {
      const posts = Array.from({ length: 24 }, (_, i) =>
        post({ source: 'racy', minute: '2026-11-21T18:03:00Z', counts: { approved: 100 + i, failed: i } }),
      );
      expect((await Promise.all(posts)).map((r) => r.status)).toEqual(posts.map(() => 202));
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT m.n0 AS approved, m.n3 AS failed FROM minute_counts m JOIN series s ON s.id = m.series_id
         JOIN sources o ON o.id = s.source_id WHERE o.name = 'racy'`,
      );
      expect(rows).toHaveLength(1);
      const row = rows[0] as { approved: number; failed: number };
      expect(row.approved - row.failed).toBe(100);
      const { hours } = await rates('racy');
      expect(hours.map((h) => [h.counts.approved, h.counts.failed])).toEqual([[row.approved, row.failed]]);
    });
  });
});
