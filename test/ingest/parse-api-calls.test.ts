import { describe, expect, it } from 'vitest';
import { parseApiCallsBody } from '../../src/ingest/parse-api-calls.js';

const now = new Date('2026-12-04T18:05:30Z');
const context = { now, retentionDays: 35 };
const parse = (body: unknown) => parseApiCallsBody(body, context);
// product.md's example, word for word.
const example = {
  source: 'checkout-api',
  environment: 'production',
  api: 'POST /v1/payments',
  minute: '2026-12-04T18:04:00Z',
  calls: { '2xx': 1180, '3xx': 0, '4xx': 31, '5xx': 4, timeout: 1 },
  silent_failures: 2,
  latency_ms: {
    '25': 300,
    '50': 610,
    '100': 250,
    '250': 40,
    '500': 10,
    '1000': 3,
    '2500': 1,
    '5000': 0,
    '10000': 0,
    inf: 1,
  },
};
const item = (changes: Record<string, unknown>) => ({ ...example, ...changes });
const problemsOf = (body: unknown) => parse(body).problems;

describe('parseApiCallsBody', () => {
  describe('with one minute of one API', () => {
    it('reads the example of the contract into a summary ready to store', () => {
      expect(parse(example)).toEqual({
        shape: 'single',
        problems: [],
        minutes: [
          {
            path: '',
            source: 'checkout-api',
            environment: 'production',
            api: 'POST /v1/payments',
            minuteMs: Date.parse('2026-12-04T18:04:00Z'),
            calls: [1180, 0, 31, 4, 1],
            silentFailures: 2,
            latency: [300, 610, 250, 40, 10, 3, 1, 0, 0, 1],
          },
        ],
      });
    });

    it('fills the defaults: production, the previous whole minute, missing classes and buckets 0, no latency', () => {
      const [minute] = parse({ source: 'checkout-api', api: 'GET /v1/balance', calls: { '2xx': 5 } }).minutes;
      expect(minute).toMatchObject({
        environment: 'production',
        minuteMs: Date.parse('2026-12-04T18:04:00Z'),
        calls: [5, 0, 0, 0, 0],
        silentFailures: 0,
        latency: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      });
    });

    it("takes the source's default environment when the ingestor provides it", () => {
      const parsed = parseApiCallsBody(item({ environment: undefined }), {
        ...context,
        defaultEnvironment: () => 'eu-prod',
      });
      expect(parsed.minutes[0]?.environment).toBe('eu-prod');
    });

    it('accepts a minute with no calls at all: an idle API reported as such', () => {
      expect(parse(item({ calls: {}, silent_failures: 0, latency_ms: {} })).problems).toEqual([]);
    });

    it('accepts a latency histogram of only the buckets that hold calls', () => {
      expect(
        problemsOf(item({ calls: { '2xx': 3, timeout: 2 }, silent_failures: 0, latency_ms: { '250': 3 } })),
      ).toEqual([]);
    });
  });

  describe('with a batch', () => {
    it('reads every item, in order, with its path', () => {
      const parsed = parse({ items: [example, item({ api: 'GET /v1/balance' })] });
      expect(parsed.shape).toBe('batch');
      expect(parsed.minutes.map((m) => [m.path, m.api])).toEqual([
        ['items[0]', 'POST /v1/payments'],
        ['items[1]', 'GET /v1/balance'],
      ]);
    });

    it('refuses the same (source, environment, api, minute) twice, defaults applied first', () => {
      expect(problemsOf({ items: [item({ environment: undefined }), example] })).toEqual([
        { path: 'items[1]', message: 'repeats items[0] (same source, environment, api and minute)' },
      ]);
      expect(
        problemsOf({ items: [item({ minute: undefined }), item({ minute: '2026-12-04T18:04:00Z' })] }),
      ).toHaveLength(1);
    });

    it('lets the same minute of other APIs and environments through', () => {
      expect(
        problemsOf({ items: [example, item({ api: 'GET /x' }), item({ environment: 'staging' })] }),
      ).toEqual([]);
    });

    it.each([
      [{ items: [] }, 'items', 'must hold at least one minute'],
      [{ items: new Array(10_001).fill(example) }, 'items', 'must hold at most 10000 minutes'],
      [{ items: {} }, 'items', 'must be an array of minutes'],
      [{ items: [example], extra: 1 }, 'extra', 'is not a known field'],
    ])('refuses a wrong batch (%#)', (body, path, message) => {
      expect(problemsOf(body)).toEqual([{ path, message }]);
    });

    it('reports every bad item in one pass, by path', () => {
      const problems = problemsOf({
        items: [
          example,
          item({ silent_failures: 1200 }),
          item({ api: '' }),
          item({ latency_ms: { '750': 1 } }),
        ],
      });
      // Items 1 and 3 are also the same API and minute as item 0: a repeat is named beside what is wrong.
      expect(problems.map((p) => p.path)).toEqual([
        'items[1].silent_failures',
        'items[1]',
        'items[2].api',
        'items[3].latency_ms.750',
        'items[3]',
      ]);
    });
  });

  describe('when a count is wrong', () => {
    it.each([
      [-1, 'must be a non-negative integer'],
      [1.5, 'must be a non-negative integer'],
      ['12', 'must be a non-negative integer'],
      [null, 'must be a non-negative integer'],
      [1e12, 'must be at most 1000000000 per minute'],
    ])('refuses %j in a class, a bucket and silent_failures', (value, message) => {
      expect(
        problemsOf(item({ calls: { '2xx': 3, '5xx': value }, latency_ms: undefined, silent_failures: 0 })),
      ).toEqual([{ path: 'calls.5xx', message }]);
      expect(problemsOf(item({ latency_ms: { ...example.latency_ms, '25': value } }))).toContainEqual({
        path: 'latency_ms.25',
        message,
      });
      expect(problemsOf(item({ silent_failures: value }))).toEqual([{ path: 'silent_failures', message }]);
    });
  });

  describe('when the parts do not add up', () => {
    it('refuses more silent failures than 2xx', () => {
      expect(
        problemsOf(item({ calls: { '2xx': 12, '5xx': 1 }, silent_failures: 13, latency_ms: undefined })),
      ).toEqual([
        { path: 'silent_failures', message: 'must be at most calls.2xx (12): a silent failure is a 2xx' },
      ]);
    });

    it('refuses buckets that do not add up to the calls with a response (timeouts have none)', () => {
      expect(problemsOf(item({ calls: { '2xx': 1180, timeout: 20 }, latency_ms: { '25': 950 } }))).toEqual([
        { path: 'latency_ms', message: 'buckets add up to 950 but the calls with a response are 1,180' },
      ]);
      expect(
        problemsOf(item({ calls: { '2xx': 1, timeout: 1 }, silent_failures: 0, latency_ms: { '25': 2 } })),
      ).toEqual([{ path: 'latency_ms', message: 'buckets add up to 2 but the calls with a response are 1' }]);
    });
  });

  describe('when a name or field is wrong', () => {
    it.each([
      [
        'a 1xx class',
        { calls: { '1xx': 1, '2xx': 1179 } },
        'calls.1xx',
        'unknown class "1xx"; the classes are 2xx, 3xx, 4xx, 5xx, timeout',
      ],
      [
        'an unknown bucket bound',
        { latency_ms: { ...example.latency_ms, '750': 0 } },
        'latency_ms.750',
        'unknown bucket bound; the bounds are 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, inf',
      ],
      ['an empty api', { api: '' }, 'api', 'must not be empty'],
      [
        'an api over the limit',
        { api: 'x'.repeat(201) },
        'api',
        'must be at most 200 characters (it has 201)',
      ],
      ['no api', { api: undefined }, 'api', 'is required: the API, such as "POST /v1/payments"'],
      [
        'no source',
        { source: undefined },
        'source',
        'is required: the name of the source (the service that posts)',
      ],
      [
        'a 33-character environment',
        { environment: 'x'.repeat(33) },
        'environment',
        'must be 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit',
      ],
      [
        'no calls',
        { calls: undefined },
        'calls',
        'is required: calls by class, such as {"2xx": 1180, "5xx": 4, "timeout": 1}',
      ],
      [
        'latency as an array',
        { latency_ms: [1, 2] },
        'latency_ms',
        'must be an object of bucket bound: calls, such as {"25": 300}',
      ],
      ['an unknown field', { p99: 310 }, 'p99', 'is not a known field'],
    ])('refuses %s', (_, changes, path, message) => {
      expect(problemsOf(item(changes))).toContainEqual({ path, message });
    });

    it.each([
      ['2026-12-04T18:04:30Z', 'must be on a whole minute (seconds and milliseconds 0)'],
      ['2026-12-04 18:04', 'must be an ISO-8601 time with a zone, such as "2026-11-21T18:04:00Z"'],
      ['2026-12-04T18:08:00Z', 'must not be more than 2 minutes in the future'],
      ['2026-10-29T18:04:00Z', 'must not be older than the 35-day retention'],
    ])('refuses the minute %s as counts do', (minute, message) => {
      expect(problemsOf(item({ minute }))).toEqual([{ path: 'minute', message }]);
    });

    it('names a bad minute beside other problems', () => {
      expect(problemsOf(item({ minute: '2026-12-04T18:04:30Z', p99: 1 })).map((p) => p.path)).toEqual([
        'p99',
        'minute',
      ]);
    });

    it.each([[null], [[example]], ['text'], [3]])('refuses a body that is no object: %j', (body) => {
      expect(problemsOf(body)).toEqual([
        { path: 'body', message: 'must be a JSON object: one minute of one API, or {"items": [...]}' },
      ]);
    });
  });

  describe('its fast path', () => {
    it('gives the same summaries as the careful one for valid items in every shape', () => {
      // Keys in another order and every optional field left out take the same path as the example.
      const variants = [
        example,
        { calls: { timeout: 1, '2xx': 2 }, api: 'GET /z', source: 'checkout-api', latency_ms: { inf: 2 } },
        { source: 'checkout-api', api: 'GET /z', calls: { '2xx': 2 }, silent_failures: 2 },
      ];
      for (const variant of variants) expect(parse(variant).problems).toEqual([]);
    });
  });
});
