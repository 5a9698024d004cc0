import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_MINUTE, postLog, postSummaries, readApiCalls } from '../helpers/api-calls.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';

const NOW = new Date('2026-12-04T18:05:30Z');
const DAY = 'from=2026-12-04T00:00:00Z&to=2026-12-05T00:00:00Z';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp('api_calls_read', {}, { now: () => NOW });
});
afterAll(() => app?.stop());

const minute = (source: string, at: string, changes: Record<string, unknown>) => ({
  source,
  api: 'GET /v1/orders',
  minute: at,
  ...changes,
});

async function post(body: unknown): Promise<void> {
  const response = await postSummaries(app, body);
  if (response.status !== 202) throw new Error(`${response.status} ${await response.text()}`);
}

describe('GET /v1/sources/{source}/api-calls', () => {
  describe('for the contract example', () => {
    it('gives the calls by class, error rate, silent failures and p50/p95/p99 interpolated within the bucket', async () => {
      await post(EXAMPLE_MINUTE);
      const answer = await readApiCalls(app, 'checkout-api', DAY);
      expect(answer.latency_note).toContain('interpolated linearly within the bucket');
      expect(answer.apis).toEqual([
        {
          api: 'POST /v1/payments',
          hours: [
            expect.objectContaining({
              hour_start: '2026-12-04T18:00:00.000Z',
              total: 1216,
              silent_failures: 2,
              // (5xx 4 + timeouts 1) of 1,216 calls; 2 silent failures of 1,216.
              error_rate: 5 / 1216,
              silent_failure_rate: 2 / 1216,
              // rank 607.5 in (25, 50] holding 610 after 300: 25 + 25 × 307.5 / 610 = 37.60;
              // rank 1,154.25 in (50, 100] holding 250 after 910: 98.85; rank 1,202.85 in (250, 500]: 321.25.
              latency_ms: {
                p50: 37.6,
                p95: 98.85,
                p99: 321.25,
                calls: 1215,
                interpolated: true,
                above_range: [],
              },
            }),
          ],
        },
      ]);
    });
  });

  describe('for an hour of several minutes', () => {
    it('adds their histograms up before reading the percentiles', async () => {
      await post({
        items: [
          minute('merge-svc', '2026-12-04T17:10:00Z', {
            calls: { '2xx': 100 },
            latency_ms: { '25': 50, '50': 50 },
          }),
          minute('merge-svc', '2026-12-04T17:20:00Z', { calls: { '2xx': 100 }, latency_ms: { '100': 100 } }),
        ],
      });
      const [hour] = (await readApiCalls(app, 'merge-svc', DAY)).apis[0]?.hours ?? [];
      // 200 calls: 50 ≤ 25 ms, 50 in (25, 50], 100 in (50, 100]. p50: rank 100 → 25 + 25 × 50/50 = 50;
      // p95: rank 190 → 50 + 50 × 90/100 = 95; p99: rank 198 → 99.
      expect(hour?.latency_ms).toMatchObject({ p50: 50, p95: 95, p99: 99, calls: 200 });
      expect(hour?.minutes_reported).toBe(2);
    });

    it('says so when a percentile falls among the calls slower than 10 s', async () => {
      await post(
        minute('slow-svc', '2026-12-04T17:00:00Z', {
          calls: { '2xx': 100 },
          latency_ms: { '25': 98, inf: 2 },
        }),
      );
      const [hour] = (await readApiCalls(app, 'slow-svc', DAY)).apis[0]?.hours ?? [];
      // p50: 25 × 50/98 = 12.755…; p95: 25 × 95/98 = 24.234…; p99: rank 99 is past the 98 timed ≤ 25 ms.
      expect(hour?.latency_ms).toMatchObject({ p50: 12.76, p95: 24.23, p99: 10000, above_range: ['p99'] });
    });

    it('has no percentiles when no call was timed, and no rates when there were no calls', async () => {
      await post({
        items: [
          minute('untimed-svc', '2026-12-04T16:00:00Z', { calls: { timeout: 3 } }),
          minute('untimed-svc', '2026-12-04T17:00:00Z', { calls: {} }),
        ],
      });
      const hours = (await readApiCalls(app, 'untimed-svc', DAY)).apis[0]?.hours ?? [];
      expect(hours.map((h) => [h.error_rate, h.silent_failure_rate, h.latency_ms])).toEqual([
        [1, 0, null],
        [null, null, null],
      ]);
    });
  });

  describe('when minutes arrive late, are posted again, or logs add to them', () => {
    it('keeps the hourly rollup exact', async () => {
      const at = (m: string, ok: number) =>
        minute('late-svc', m, { calls: { '2xx': ok }, latency_ms: { '25': ok } });
      await post({ items: [at('2026-12-04T17:10:00Z', 10), at('2026-12-04T17:50:00Z', 20)] });
      const first = await readApiCalls(app, 'late-svc', DAY);
      expect(first.apis[0]?.hours.map((h) => [h.total, h.minutes_reported])).toEqual([[30, 2]]);
      await post({ items: [at('2026-12-04T17:05:00Z', 5), at('2026-12-04T18:02:00Z', 7)] });
      await post(at('2026-12-04T17:50:00Z', 1));
      const call = { source: 'late-svc', api: 'GET /v1/orders', status: 500, response_ms: 30 };
      const logged = await postLog(app, {
        records: [
          { ...call, at: '2026-12-04T17:10:30Z' },
          { ...call, at: '2026-12-04T17:33:00Z' },
        ],
      });
      expect(logged.status).toBe(202);
      const hours = (await readApiCalls(app, 'late-svc', DAY)).apis[0]?.hours ?? [];
      expect(
        hours.map((h) => [
          h.hour_start,
          h.total,
          h.calls['5xx'],
          h.minutes_reported,
          h.latency_buckets['50'],
        ]),
      ).toEqual([
        ['2026-12-04T17:00:00.000Z', 18, 2, 4, 2],
        ['2026-12-04T18:00:00.000Z', 7, 0, 1, 0],
      ]);
    });
  });

  describe('filters and ranges', () => {
    it('lists every API of the source by name, or only the one asked for', async () => {
      await post({
        items: ['GET /v1/b', 'GET /v1/a', 'POST /v1/a, with a comma'].map((api) => ({
          source: 'many-apis',
          api,
          minute: '2026-12-04T15:00:00Z',
          calls: { '2xx': 1 },
        })),
      });
      const all = await readApiCalls(app, 'many-apis', DAY);
      expect(all.apis.map((a) => a.api)).toEqual(['GET /v1/a', 'GET /v1/b', 'POST /v1/a, with a comma']);
      const one = await readApiCalls(
        app,
        'many-apis',
        `api=${encodeURIComponent('POST /v1/a, with a comma')}&${DAY}`,
      );
      expect(one.apis.map((a) => a.api)).toEqual(['POST /v1/a, with a comma']);
      const none = await readApiCalls(app, 'many-apis', `api=${encodeURIComponent('GET /v1/c')}&${DAY}`);
      expect(none.apis).toEqual([]);
    });

    it('reads the hours of [from, to), by default the 24 hours up to the end of this hour', async () => {
      const narrow = await readApiCalls(app, 'late-svc', 'from=2026-12-04T18:00:00Z&to=2026-12-04T19:00:00Z');
      expect(narrow.apis[0]?.hours.map((h) => h.hour_start)).toEqual(['2026-12-04T18:00:00.000Z']);
      const byDefault = await readApiCalls(app, 'late-svc', '');
      expect([byDefault.from, byDefault.apis[0]?.hours.length]).toEqual(['2026-12-03T19:00:00.000Z', 2]);
    });

    it('answers 400 for a bad api, environment or range, and 404 for an unknown source', async () => {
      const status = async (path: string) => (await app.request(path, { token: API_TOKEN })).status;
      expect(await status(`/v1/sources/many-apis/api-calls?api=${'x'.repeat(201)}`)).toBe(400);
      expect(await status('/v1/sources/many-apis/api-calls?environment=no%20spaces')).toBe(400);
      expect(await status('/v1/sources/many-apis/api-calls?from=yesterday')).toBe(400);
      expect(await status('/v1/sources/nobody/api-calls')).toBe(404);
    });

    it('names every problem of a read at once, a misspelt parameter too', async () => {
      const response = await app.request(
        '/v1/sources/many-apis/api-calls?enviroment=staging&environment=no%20spaces&from=yesterday',
        { token: API_TOKEN },
      );
      expect(response.status).toBe(400);
      const { problems } = (await response.json()) as { problems: { path: string }[] };
      expect(problems.map((p) => p.path)).toEqual(['enviroment', 'environment', 'from']);
    });
  });

  describe('tokens', () => {
    it("lets a source token read its own API calls and no other source's", async () => {
      const added = await cli(['sources', 'add', 'reader-svc'], {
        MYSQL_URL: app.database.url,
        LOG_LEVEL: 'silent',
      });
      const token = added.stdout.trim();
      expect(
        (
          await postSummaries(
            app,
            minute('reader-svc', '2026-12-04T18:00:00Z', { calls: { '2xx': 1 } }),
            token,
          )
        ).status,
      ).toBe(202);
      expect((await readApiCalls(app, 'reader-svc', DAY, token)).apis).toHaveLength(1);
      expect((await app.request('/v1/sources/checkout-api/api-calls', { token })).status).toBe(403);
      expect((await app.request('/v1/sources/reader-svc/api-calls', { token: null })).status).toBe(401);
    });
  });
});
