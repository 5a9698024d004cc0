import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../src/detection/calendar.js';
import { findingToJson } from '../../src/detection/finding-json.js';
import { denseHistory, type HourRecord } from '../../src/detection/history.js';
import { modelCutoff } from '../../src/detection/schedule.js';
import type { Finding } from '../../src/detection/types.js';

const H = 3_600_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const record = (hour: number, total: number): HourRecord => ({
  hourStart: T0 + hour * H,
  minutes: 60,
  total,
  failed: 1,
  denied: 0,
  reversed: 0,
});

describe('denseHistory', () => {
  const calendar = createCalendar('Europe/Berlin');

  it('has one entry per hour from the first record, hours without one as zero traffic', () => {
    const history = denseHistory([record(1, 10), record(3, 30)], { from: T0, until: T0 + 5 * H }, calendar);
    expect(history.map((h) => [(h.hourStart - T0) / H, h.total, h.minutes])).toEqual([
      [1, 10, 60],
      [2, 0, 0],
      [3, 30, 60],
      [4, 0, 0],
    ]);
  });

  it('places each hour in the source’s calendar and marks the metrics that alerted', () => {
    const alerting = new Map([[T0 + 2 * H, new Set(['failed'] as const)]]);
    const history = denseHistory([record(2, 5)], { from: T0, until: T0 + 3 * H }, calendar, alerting);
    // 02:00 UTC on Monday 5 January is 03:00 in Berlin (UTC+1).
    expect(history[0]).toMatchObject({ localHour: 3, weekday: 1, holiday: false });
    expect([...(history[0]?.alerting ?? [])]).toEqual(['failed']);
  });

  it('is empty when no record falls in the range', () => {
    expect(denseHistory([record(9, 1)], { from: T0, until: T0 + 5 * H }, calendar)).toEqual([]);
  });
});

describe('modelCutoff', () => {
  it.each([
    ['2026-01-05T17:00:00Z', 24, '2026-01-05T00:00:00Z'],
    ['2026-01-05T00:00:00Z', 24, '2026-01-05T00:00:00Z'],
    ['2026-01-05T17:00:00Z', 6, '2026-01-05T12:00:00Z'],
  ])('judges the hour %s with trees retrained every %d hours at %s', (hour, every, cutoff) => {
    expect(modelCutoff(Date.parse(hour), every)).toBe(Date.parse(cutoff));
  });
});

describe('findingToJson', () => {
  it('writes the findings-file line: snake_case keys, ISO UTC times, rates to 6 significant digits', () => {
    const finding: Finding = {
      source: 'card-eu',
      environment: 'production',
      metric: 'failed',
      windowStart: new Date('2026-01-05T17:00:00Z'),
      windowEnd: new Date('2026-01-05T18:02:00Z'),
      direction: 'up',
      models: ['zscore', 'tree'],
      observedRate: 0.0300000001,
      expectedRate: 1 / 97,
      score: 7.25,
      severity: 'medium',
      counts: { observed: 60, expected: 20.6, excess: 39, total: 2_000 },
      scores: { zscore: 7.25, tree: 6.1 },
    };
    expect(JSON.parse(findingToJson(finding))).toEqual({
      source: 'card-eu',
      environment: 'production',
      metric: 'failed',
      window_start: '2026-01-05T17:00:00.000Z',
      window_end: '2026-01-05T18:02:00.000Z',
      direction: 'up',
      models: ['zscore', 'tree'],
      observed_rate: 0.03,
      expected_rate: 0.0103093,
      score: 7.25,
      severity: 'medium',
      counts: { observed: 60, expected: 20.6, excess: 39, total: 2_000 },
      scores: { zscore: 7.25, tree: 6.1 },
    });
  });
});
