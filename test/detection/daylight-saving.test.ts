import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import { clockOf, inferDaylightSavingZone, type TrafficHour } from '../../src/detection/daylight-saving.js';

const HOUR_MS = 3_600_000;

type Hour = TrafficHour & { readonly total: number };
const totalOf = (hour: Hour) => hour.total;
const DAY_MS = 24 * HOUR_MS;

/**
 * Five weeks of hourly traffic that follows `zone`'s local clock: quiet at night, a morning ramp, busy until the
 * evening, with a few per cent of deterministic noise (hour-to-hour wander), ending at `until`.
 */
function trafficIn(zone: string, until: string, peak = 6_000): Hour[] {
  const end = Date.parse(until);
  const hours: Hour[] = [];
  let seed = 12_345;
  for (let at = end - 35 * DAY_MS; at < end; at += HOUR_MS) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const wander = 1 + 0.06 * (seed / 2_147_483_648 - 0.5);
    const local = new TZDate(at, zone).getHours();
    const shape = 0.1 + 0.9 * Math.max(0, Math.sin(((local - 6) / 16) * Math.PI));
    hours.push({ hourStart: at, total: Math.round(peak * shape * wander) });
  }
  return hours;
}

describe('inferring the daylight-saving clock a source keeps from its traffic', () => {
  // 2026: the EU switches on 03-29 and back on 10-25 (01:00 UTC), the US on 03-08 and back on 11-01, Sydney back on 04-05.
  const cases: [string, string, string, string | undefined][] = [
    [
      'a Berlin source three days after the EU switch',
      'Europe/Berlin',
      '2026-04-01T00:00:00Z',
      'Europe/Berlin',
    ],
    ['a London source (same instants as the EU)', 'Europe/London', '2026-04-02T00:00:00Z', 'Europe/Berlin'],
    ['a New York source after the US switch', 'America/New_York', '2026-03-12T00:00:00Z', 'America/New_York'],
    [
      'a Los Angeles source (the US switch, three night hours later)',
      'America/Los_Angeles',
      '2026-03-12T00:00:00Z',
      'America/New_York',
    ],
    [
      'a London source after the EU and then the US switch back',
      'Europe/London',
      '2026-11-07T00:00:00Z',
      'Europe/Berlin',
    ],
    [
      'a New York source after the EU and then the US switch back',
      'America/New_York',
      '2026-11-07T00:00:00Z',
      'America/New_York',
    ],
    ['a Sydney source after its switch back', 'Australia/Sydney', '2026-04-08T00:00:00Z', 'Australia/Sydney'],
    [
      'a Santiago source after its switch back',
      'America/Santiago',
      '2026-04-09T00:00:00Z',
      'America/Santiago',
    ],
    ['a Santiago source after its switch', 'America/Santiago', '2026-09-10T00:00:00Z', 'America/Santiago'],
    ['an Auckland source after its switch', 'Pacific/Auckland', '2026-09-30T00:00:00Z', 'Pacific/Auckland'],
    ['a Sydney source after its switch', 'Australia/Sydney', '2026-10-08T00:00:00Z', 'Australia/Sydney'],
    [
      'a São Paulo source (no daylight saving) across the southern switches',
      'America/Sao_Paulo',
      '2026-04-09T00:00:00Z',
      undefined,
    ],
    [
      'a Kolkata source (half an hour off UTC, no daylight saving)',
      'Asia/Kolkata',
      '2026-03-12T00:00:00Z',
      undefined,
    ],
    [
      'a Tokyo source (no daylight saving) across the EU switch',
      'Asia/Tokyo',
      '2026-04-02T00:00:00Z',
      undefined,
    ],
    ['a UTC source across the US switch', 'UTC', '2026-03-14T00:00:00Z', undefined],
    ['a Berlin source before any switch in reach', 'Europe/Berlin', '2026-02-10T00:00:00Z', undefined],
  ];
  for (const [name, zone, cutoff, expected] of cases) {
    it(`${name}: ${expected ?? 'none (the fixed clock)'}`, () => {
      expect(inferDaylightSavingZone(trafficIn(zone, cutoff), totalOf, Date.parse(cutoff), 28)).toBe(
        expected,
      );
    });
  }

  it('infers nothing from flat traffic, or from a switch under a day old', () => {
    const flat = trafficIn('Europe/Berlin', '2026-04-02T00:00:00Z').map((h) => ({ ...h, total: 500 }));
    expect(inferDaylightSavingZone(flat, totalOf, Date.parse('2026-04-02T00:00:00Z'), 28)).toBeUndefined();
    const cutoff = Date.parse('2026-03-29T12:00:00Z');
    expect(
      inferDaylightSavingZone(trafficIn('Europe/Berlin', '2026-03-29T12:00:00Z'), totalOf, cutoff, 28),
    ).toBeUndefined();
  });

  it('leaves out silences and reporting gaps (thin hours), which are not traffic', () => {
    const cutoff = '2026-04-02T00:00:00Z';
    const silent = trafficIn('Europe/Berlin', cutoff).map((h) =>
      h.hourStart >= Date.parse('2026-03-31T08:00:00Z') && h.hourStart < Date.parse('2026-03-31T12:00:00Z')
        ? { ...h, total: 0, thin: true }
        : h,
    );
    expect(inferDaylightSavingZone(silent, totalOf, Date.parse(cutoff), 28)).toBe('Europe/Berlin');
  });

  it('never overrides a configured time zone; infers only where none was configured', () => {
    const hours = trafficIn('Europe/Berlin', '2026-04-02T00:00:00Z');
    const cutoff = Date.parse('2026-04-02T00:00:00Z');
    expect(clockOf({ timeZone: 'Asia/Tokyo' }, hours, totalOf, cutoff, 28)).toBe('Asia/Tokyo');
    expect(clockOf({ timeZone: 'UTC', clockFromTraffic: true }, hours, totalOf, cutoff, 28)).toBe(
      'Europe/Berlin',
    );
    const tokyo = trafficIn('Asia/Tokyo', '2026-04-02T00:00:00Z');
    expect(clockOf({ timeZone: 'UTC', clockFromTraffic: true }, tokyo, totalOf, cutoff, 28)).toBe('UTC');
  });
});
