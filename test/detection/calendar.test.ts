import { describe, expect, it } from 'vitest';
import { calendarPosition, createCalendar, isTimeZone, isWeekend } from '../../src/detection/calendar.js';

const at = (iso: string) => Date.parse(iso);

describe('calendarPosition', () => {
  // Weekdays: 2026-03-29 and 2026-11-01 are Sundays (0), 2026-01-16 a Friday (5), 2026-01-17 a Saturday (6).
  it.each([
    {
      case: 'Berlin before the spring change (00:30 UTC = 01:30 CET, UTC+1)',
      instant: '2026-03-29T00:30:00Z',
      zone: 'Europe/Berlin',
      position: { localHour: 1, weekday: 0 },
    },
    {
      case: 'Berlin after it (01:30 UTC = 03:30 CEST, UTC+2: local 02:00–03:00 never happens)',
      instant: '2026-03-29T01:30:00Z',
      zone: 'Europe/Berlin',
      position: { localHour: 3, weekday: 0 },
    },
    {
      case: 'New York before the autumn change (05:30 UTC = 01:30 EDT, UTC−4)',
      instant: '2026-11-01T05:30:00Z',
      zone: 'America/New_York',
      position: { localHour: 1, weekday: 0 },
    },
    {
      case: 'New York after it (06:30 UTC = 01:30 EST, UTC−5: the local hour 1 happens twice)',
      instant: '2026-11-01T06:30:00Z',
      zone: 'America/New_York',
      position: { localHour: 1, weekday: 0 },
    },
    {
      case: 'Kolkata, half an hour before local midnight (18:00 UTC = 23:30 IST Friday)',
      instant: '2026-01-16T18:00:00Z',
      zone: 'Asia/Kolkata',
      position: { localHour: 23, weekday: 5 },
    },
    {
      case: 'Kolkata at local midnight (18:30 UTC = 00:00 IST Saturday)',
      instant: '2026-01-16T18:30:00Z',
      zone: 'Asia/Kolkata',
      position: { localHour: 0, weekday: 6 },
    },
  ])('places $case', ({ instant, zone, position }) => {
    expect(calendarPosition(at(instant), zone)).toEqual({ ...position, holiday: false });
  });

  it('flags a holiday by the local date, not the UTC one', () => {
    // 23:30 UTC on 24 December is 00:30 on 25 December in Berlin.
    const christmas = new Set(['2026-12-25']);
    expect(calendarPosition(at('2026-12-24T23:30:00Z'), 'Europe/Berlin', christmas).holiday).toBe(true);
    expect(calendarPosition(at('2026-12-24T23:30:00Z'), 'UTC', christmas).holiday).toBe(false);
  });
});

describe('createCalendar', () => {
  it('gives the same position as calendarPosition, remembered per instant', () => {
    const calendar = createCalendar('Asia/Tokyo', ['2026-01-01']);
    const first = calendar.position(at('2026-01-01T03:00:00Z'));
    expect(first).toEqual({ localHour: 12, weekday: 4, holiday: true });
    expect(calendar.position(at('2026-01-01T03:00:00Z'))).toBe(first);
  });
});

describe('isWeekend', () => {
  it.each([
    [0, true],
    [6, true],
    [1, false],
    [5, false],
  ])('says weekday %d is a weekend day: %s', (weekday, expected) => {
    expect(isWeekend(weekday)).toBe(expected);
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and rejects made-up ones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});
