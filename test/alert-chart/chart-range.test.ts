import { describe, expect, it } from 'vitest';
import { chartRange } from '../../src/alert-chart/alert-chart-data.js';
import { anAlert } from '../helpers/alerts.js';

const at = (iso: string) => Date.parse(iso);
const window = { start: new Date('2026-11-21T17:40:00Z'), end: new Date('2026-11-21T19:00:00Z') };

describe('chartRange', () => {
  it.each([
    [
      'an ongoing alert ends now, on a whole 10 minutes',
      '2026-11-21T19:47:00Z',
      '2026-11-21T19:40:00Z',
      false,
    ],
    [
      'an alert looked at days later ends 6 hours after its last data',
      '2026-11-24T08:00:00Z',
      '2026-11-22T01:00:00Z',
      true,
    ],
    [
      'an alert 6 hours after its last data ends there, settled',
      '2026-11-22T01:00:00Z',
      '2026-11-22T01:00:00Z',
      true,
    ],
  ])('%s', (_what, now, to, settled) => {
    const range = chartRange(anAlert({ dataWindow: window }), at(now));
    expect(range.to).toBe(at(to));
    expect(range.settled).toBe(settled);
    expect(range.to - range.hoursFrom).toBeGreaterThanOrEqual(48 * 3_600_000);
  });

  it('starts the 10-minute blocks 3 hours before the end, or at the hour the alert began when that is earlier', () => {
    expect(chartRange(anAlert({ dataWindow: window }), at('2026-11-21T19:47:00Z')).fineFrom).toBe(
      at('2026-11-21T16:00:00Z'),
    );
    const long = { start: new Date('2026-11-21T09:10:00Z'), end: window.end };
    expect(chartRange(anAlert({ dataWindow: long }), at('2026-11-21T19:47:00Z')).fineFrom).toBe(
      at('2026-11-21T09:00:00Z'),
    );
    const longer = { start: new Date('2026-11-20T09:10:00Z'), end: window.end };
    expect(chartRange(anAlert({ dataWindow: longer }), at('2026-11-21T19:47:00Z')).fineFrom).toBe(
      at('2026-11-21T07:00:00Z'),
    );
  });

  it('spans an external alert from first to last seen', () => {
    const external = anAlert({
      dataWindow: null,
      lastFinding: null,
      firstSeenAt: new Date('2026-11-21T18:00:00Z'),
      lastSeenAt: new Date('2026-11-21T18:30:00Z'),
    });
    expect(chartRange(external, at('2026-11-21T19:00:00Z')).window).toEqual({
      start: at('2026-11-21T18:00:00Z'),
      end: at('2026-11-21T18:30:00Z'),
    });
  });
});
