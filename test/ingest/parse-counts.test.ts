import { describe, expect, it } from 'vitest';
import { type ParseContext, parseCountsBody, previousMinute } from '../../src/ingest/parse-counts.js';

const payments = {
  catalogName: 'payments',
  statuses: new Set([
    'approved',
    'denied',
    'reversed',
    'failed',
    'processing',
    'backend_reversed',
    'refunded',
  ]),
};
const now = new Date('2026-11-21T18:05:30Z');
const context = { now, retentionDays: 35, statusesFor: () => payments };
const parse = (body: unknown, extra: Partial<ParseContext> = {}) =>
  parseCountsBody(body, { ...context, ...extra });
const minute = (counts: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  source: 'card-eu',
  minute: '2026-11-21T18:04:00Z',
  counts,
  ...rest,
});

describe('parseCountsBody', () => {
  describe('with one minute', () => {
    it('reads source, environment, minute and counts', () => {
      const parsed = parse(minute({ approved: 1203, denied: 88, failed: 12 }, { environment: 'staging' }));
      expect(parsed.problems).toEqual([]);
      expect(parsed.shape).toBe('single');
      expect(parsed.minutes).toEqual([
        {
          path: '',
          source: 'card-eu',
          environment: 'staging',
          minute: new Date('2026-11-21T18:04:00Z'),
          counts: { approved: 1203, denied: 88, failed: 12 },
        },
      ]);
    });

    it('stamps a minute-less post at the previous whole minute, UTC', () => {
      const parsed = parse({ source: 'card-eu', counts: { approved: 1 } });
      expect(parsed.minutes[0]?.minute).toEqual(new Date('2026-11-21T18:04:00Z'));
      expect(previousMinute(new Date('2026-11-21T18:05:00.000Z'))).toEqual(new Date('2026-11-21T18:04:00Z'));
    });

    it('accepts a minute given with an offset', () => {
      expect(
        parse(minute({ approved: 1 }, { minute: '2026-11-21T19:04:00+01:00' })).minutes[0]?.minute,
      ).toEqual(new Date('2026-11-21T18:04:00Z'));
    });
  });

  describe('when a count is wrong', () => {
    it.each([
      [-1, 'must be a non-negative integer'],
      [1.5, 'must be a non-negative integer'],
      ['12', 'must be a non-negative integer'],
      [null, 'must be a non-negative integer'],
      [1e12, 'must be at most 1000000000 per minute'],
    ])('refuses %s: %s', (value, message) => {
      expect(parse(minute({ failed: value })).problems).toEqual([{ path: 'counts.failed', message }]);
    });
  });

  describe('when the minute is wrong', () => {
    it.each([
      ['2026-11-21T18:04:30Z', 'must be on a whole minute (seconds and milliseconds 0)'],
      ['2026-11-21T18:04:00.500Z', 'must be on a whole minute (seconds and milliseconds 0)'],
      ['2026-11-21 18:04', 'must be an ISO-8601 time with a zone, such as "2026-11-21T18:04:00Z"'],
      ['2026-11-21T18:04:00', 'must be an ISO-8601 time with a zone, such as "2026-11-21T18:04:00Z"'],
      ['2026-11-21T18:08:00Z', 'must not be more than 2 minutes in the future'],
      ['2026-10-17T18:04:00Z', 'must not be older than the 35-day retention'],
    ])('refuses %s', (value, message) => {
      expect(parse(minute({ approved: 1 }, { minute: value })).problems).toEqual([
        { path: 'minute', message },
      ]);
    });

    it('accepts a minute exactly 2 minutes ahead (clock skew)', () => {
      expect(parse(minute({ approved: 1 }, { minute: '2026-11-21T18:07:00Z' })).problems).toEqual([]);
    });
  });

  describe('with a batch', () => {
    it('lists every problem of every item by path', () => {
      const parsed = parse({
        items: [
          minute({ approved: 1 }),
          minute({ approved: -1, bogus: 3 }, { minute: '2026-11-21T18:03:00Z' }),
          { source: 'card eu!', counts: {}, sorce: 'x' },
          minute({ failed: 0.5 }, { minute: '2026-11-21T18:02:00Z' }),
        ],
      });
      expect(parsed.problems).toEqual([
        {
          path: 'items[1].counts.bogus',
          message:
            'unknown status "bogus"; the payments statuses are approved, denied, reversed, failed, processing, backend_reversed, refunded',
        },
        { path: 'items[1].counts.approved', message: 'must be a non-negative integer' },
        {
          path: 'items[2].source',
          message: 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
        },
        { path: 'items[2].sorce', message: 'is not a known field' },
        { path: 'items[3].counts.failed', message: 'must be a non-negative integer' },
      ]);
    });

    it('names a bad minute and bad counts of the same item, and a huge count once', () => {
      const parsed = parse({
        items: [
          minute({ approved: -1 }, { minute: '2026-11-21T18:03:30Z' }),
          minute({ approved: 1e20 }, { minute: '2099-01-01T00:00:00Z' }),
        ],
      });
      expect(parsed.problems.map((p) => p.path)).toEqual([
        'items[0].counts.approved',
        'items[0].minute',
        'items[1].counts.approved',
        'items[1].minute',
      ]);
      expect(parsed.problems[2]?.message).toBe('must be at most 1000000000 per minute');
    });

    it('refuses the same source, environment and minute twice', () => {
      const parsed = parse({ items: [minute({ approved: 1 }), minute({ approved: 2 })] });
      expect(parsed.problems).toEqual([
        { path: 'items[1]', message: 'repeats items[0] (same source, environment and minute)' },
      ]);
    });

    it('names a repeat of an item that is refused for its counts too', () => {
      const parsed = parse({ items: [minute({ approved: 1 }), minute({ approved: -2 })] });
      expect(parsed.problems).toEqual([
        { path: 'items[1].counts.approved', message: 'must be a non-negative integer' },
        { path: 'items[1]', message: 'repeats items[0] (same source, environment and minute)' },
      ]);
    });

    // The source's default environment applies before the repeat check: leaving it out names it.
    it.each([
      ['production', undefined, 'production', true],
      ['production', 'production', undefined, true],
      ['staging', undefined, 'staging', true],
      ['staging', undefined, 'production', false],
      ['production', undefined, undefined, true],
      ['production', 'production', 'staging', false],
    ])(
      'with the default environment %s, items naming %s and %s are the same minute: %s',
      (defaultEnvironment, first, second, repeated) => {
        const item = (environment: string | undefined) => ({
          ...minute({ approved: 1 }),
          ...(environment === undefined ? {} : { environment }),
        });
        const parsed = parse(
          { items: [item(first), item(second)] },
          { defaultEnvironmentOf: () => defaultEnvironment },
        );
        expect(parsed.problems).toEqual(
          repeated
            ? [{ path: 'items[1]', message: 'repeats items[0] (same source, environment and minute)' }]
            : [],
        );
      },
    );

    it('refuses an empty batch and one over 10,000 minutes', () => {
      expect(parse({ items: [] }).problems).toEqual([
        { path: 'items', message: 'must hold at least one minute' },
      ]);
      const many = Array.from({ length: 10_001 }, () => minute({ approved: 1 }));
      expect(parse({ items: many }).problems).toEqual([
        { path: 'items', message: 'must hold at most 10000 minutes' },
      ]);
    });
  });

  describe('with the legacy array', () => {
    it('stamps the previous minute and the given source', () => {
      const parsed = parse(
        [
          { status: 'approved', count: 255 },
          { status: 'failed', count: 3 },
        ],
        { legacySource: 'card-eu' },
      );
      expect(parsed.shape).toBe('legacy');
      expect(parsed.minutes).toEqual([
        {
          path: '',
          source: 'card-eu',
          environment: undefined,
          minute: new Date('2026-11-21T18:04:00Z'),
          counts: { approved: 255, failed: 3 },
        },
      ]);
    });

    it('refuses unknown and repeated statuses and bad counts', () => {
      const parsed = parse(
        [
          { status: 'approved', count: 1 },
          { status: 'approved', count: 2 },
          { status: 'lost', count: 1 },
          { status: 'failed', count: -2 },
        ],
        { legacySource: 'card-eu' },
      );
      expect(parsed.problems.map((p) => p.path)).toEqual(['[1].status', '[2].status', '[3].count']);
      expect(parsed.minutes).toEqual([]);
    });

    it('names an unknown status beside a bad count of the same entry', () => {
      const parsed = parse([{ status: 'approvedx', count: -1 }], { legacySource: 'card-eu' });
      expect(parsed.problems.map((p) => p.path)).toEqual(['[0].count', '[0].status']);
      expect(parsed.problems[1]?.message).toMatch(/^unknown status "approvedx"/);
    });
  });

  it('refuses a body that is neither object nor array', () => {
    expect(parse('hello').problems).toEqual([
      { path: 'body', message: 'must be a JSON object (one minute or {"items": [...]}) or a legacy array' },
    ]);
  });
});
