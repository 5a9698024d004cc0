import { describe, expect, it } from 'vitest';
import {
  localTimeLabel,
  tickStepHours,
  timeTicks,
  utcOffsetLabel,
  zoneLabel,
} from '../../src/charts/time-axis.js';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('timeTicks', () => {
  describe('when the range crosses the end of summer time in Berlin (25 Oct 2026, 03:00 CEST → 02:00 CET)', () => {
    const ticks = timeTicks(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'), 'Europe/Berlin');

    it('ticks every 6 local hours, naming the day at midnight', () => {
      expect(ticks.map((t) => t.label)).toEqual(['Sun 25', '06:00', '12:00', '18:00', 'Mon 26']);
    });

    it('puts each tick at the instant that local time happened (7 real hours from midnight to 06:00)', () => {
      expect(ticks.map((t) => new Date(t.at).toISOString())).toEqual([
        '2026-10-24T22:00:00.000Z', // 00:00 CEST (UTC+2)
        '2026-10-25T05:00:00.000Z', // 06:00 CET (UTC+1)
        '2026-10-25T11:00:00.000Z',
        '2026-10-25T17:00:00.000Z',
        '2026-10-25T23:00:00.000Z',
      ]);
    });
  });

  describe('in a zone half an hour off UTC (Kolkata, UTC+5:30)', () => {
    it('ticks at whole local hours, which are half past in UTC', () => {
      const ticks = timeTicks(at('2026-01-16T18:00:00Z'), at('2026-01-17T06:00:00Z'), 'Asia/Kolkata', 4);
      expect(ticks.map((t) => [new Date(t.at).toISOString().slice(11, 16), t.label])).toEqual([
        ['18:30', 'Sat 17'],
        ['21:30', '03:00'],
        ['00:30', '06:00'],
        ['03:30', '09:00'],
      ]);
    });
  });

  it('marks local midnights as day starts', () => {
    const ticks = timeTicks(at('2026-11-20T00:00:00Z'), at('2026-11-21T00:00:00Z'), 'America/New_York');
    expect(ticks.filter((t) => t.dayStart).map((t) => new Date(t.at).toISOString())).toEqual([
      '2026-11-20T05:00:00.000Z',
    ]);
  });
});

describe('tickStepHours', () => {
  it.each([
    { hours: 48, maxTicks: 8, step: 6 },
    { hours: 48, maxTicks: 6, step: 12 },
    { hours: 6, maxTicks: 4, step: 2 },
    { hours: 12, maxTicks: 4, step: 3 },
    { hours: 2, maxTicks: 8, step: 1 },
    { hours: 400, maxTicks: 8, step: 24 },
  ])('$hours hours with at most $maxTicks ticks: every $step h', ({ hours, maxTicks, step }) => {
    expect(tickStepHours(hours * HOUR, maxTicks)).toBe(step);
  });
});

describe('utcOffsetLabel', () => {
  it.each([
    { zone: 'Europe/Berlin', instant: '2026-01-15T12:00:00Z', label: 'UTC+1' },
    { zone: 'Europe/Berlin', instant: '2026-07-15T12:00:00Z', label: 'UTC+2' },
    { zone: 'America/New_York', instant: '2026-01-15T12:00:00Z', label: 'UTC-5' },
    { zone: 'Asia/Kolkata', instant: '2026-01-15T12:00:00Z', label: 'UTC+5:30' },
    { zone: 'Asia/Kathmandu', instant: '2026-01-15T12:00:00Z', label: 'UTC+5:45' },
    { zone: 'UTC', instant: '2026-01-15T12:00:00Z', label: 'UTC' },
  ])('$zone at $instant is $label', ({ zone, instant, label }) => {
    expect(utcOffsetLabel(at(instant), zone)).toBe(label);
  });
});

describe('zoneLabel', () => {
  it('names the zone and its offset', () => {
    expect(zoneLabel(at('2026-11-19T18:41:00Z'), at('2026-11-21T18:41:00Z'), 'Europe/Berlin')).toBe(
      'Europe/Berlin (UTC+1)',
    );
  });

  it('names both offsets when the range crosses a DST change', () => {
    expect(zoneLabel(at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'), 'Europe/Berlin')).toBe(
      'Europe/Berlin (UTC+2, then UTC+1)',
    );
  });

  it('says plain UTC for UTC', () => {
    expect(zoneLabel(at('2026-10-24T12:00:00Z'), at('2026-10-26T12:00:00Z'), 'UTC')).toBe('UTC');
  });
});

describe('localTimeLabel', () => {
  const now = at('2026-11-21T18:41:00Z'); // Saturday 19:41 in Berlin

  it('gives the local time alone on the same local day', () => {
    expect(localTimeLabel(at('2026-11-21T17:40:00Z'), now, 'Europe/Berlin')).toBe('18:40');
  });

  it('adds the weekday on an earlier day', () => {
    expect(localTimeLabel(at('2026-11-19T06:41:00Z'), now, 'Europe/Berlin')).toBe('Thu 07:41');
  });

  it('goes by the local day, not the UTC one (23:30 UTC Friday is already Saturday in Berlin)', () => {
    expect(localTimeLabel(at('2026-11-20T23:30:00Z'), now, 'Europe/Berlin')).toBe('00:30');
  });
});
