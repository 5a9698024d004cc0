import { describe, expect, it } from 'vitest';
import { createLocalClock } from '../../src/simulate/local-clock.js';

const at = (iso: string) => Date.parse(iso);

describe('createLocalClock', () => {
  describe('when daylight saving time starts in Berlin', () => {
    it('moves the offset from +60 to +120 minutes at 01:00 UTC', () => {
      const berlin = createLocalClock('Europe/Berlin');
      expect(berlin.offsetMinutes(at('2026-03-29T00:59:00Z'))).toBe(60);
      expect(berlin.offsetMinutes(at('2026-03-29T01:00:00Z'))).toBe(120);
      expect(berlin.local(at('2026-03-29T01:30:00Z')).minuteOfDay).toBe(3 * 60 + 30);
    });
  });

  describe('in the southern hemisphere', () => {
    it('keeps Sydney on summer time in January and standard time in July', () => {
      const sydney = createLocalClock('Australia/Sydney');
      expect(sydney.offsetMinutes(at('2026-01-10T00:00:00Z'))).toBe(660);
      expect(sydney.offsetMinutes(at('2026-07-10T00:00:00Z'))).toBe(600);
    });
  });

  it('handles half-hour offsets and the local date and weekday', () => {
    const kolkata = createLocalClock('Asia/Kolkata');
    // Sunday 2026-01-04 20:00 UTC is Monday 01:30 in Kolkata.
    const local = kolkata.local(at('2026-01-04T20:00:00Z'));
    expect(local).toMatchObject({ minuteOfDay: 90, weekday: 1 });
    expect(local.day).toBe(at('2026-01-05T00:00:00Z') / 86_400_000);
  });

  it('reads New York in winter as UTC − 5 hours', () => {
    const local = createLocalClock('America/New_York').local(at('2026-01-05T03:00:00Z'));
    expect(local).toMatchObject({ minuteOfDay: 22 * 60, weekday: 0 });
  });
});
