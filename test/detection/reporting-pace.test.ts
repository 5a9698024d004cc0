import { describe, expect, it } from 'vitest';
import { reportingPace, reportsEveryMinute, withLostPostsOut } from '../../src/detection/reporting-pace.js';
import type { HistoryHour } from '../../src/detection/types.js';

const hourOf = (total: number, minutes: number): HistoryHour => ({
  hourStart: 0,
  minutes,
  total,
  failed: 0,
  denied: 0,
  reversed: 0,
  localHour: 0,
  weekday: 1,
  holiday: false,
  alerting: new Set(),
});

describe('reportsEveryMinute', () => {
  // 60 transactions an hour leave 60·e^−1 = 22.1 minutes empty when spread evenly: a quiet hour.
  it('is true for a source that reports its empty minutes', () => {
    expect(reportsEveryMinute(Array.from({ length: 24 }, () => hourOf(60, 60)))).toBe(true);
  });

  it('is false for a source that posts only minutes with transactions', () => {
    expect(reportsEveryMinute(Array.from({ length: 24 }, () => hourOf(60, 38)))).toBe(false);
  });

  it('falls back to the median hour for a source too busy to have empty minutes', () => {
    // 6,000 an hour: e^−100 empty minutes expected, so only the reported minutes can tell.
    expect(reportsEveryMinute(Array.from({ length: 24 }, () => hourOf(6_000, 58)))).toBe(true);
    expect(reportsEveryMinute(Array.from({ length: 24 }, () => hourOf(6_000, 30)))).toBe(false);
    expect(reportsEveryMinute([])).toBe(false);
  });

  it('still says a busy source posts every minute after a silence that left a stray row', () => {
    // 600 an hour all week, then an hour silent but for 2 rows holding 20: ≈ 43 empty minutes expected, 58 missing.
    const busy = Array.from({ length: 167 }, () => hourOf(600, 60));
    expect(reportsEveryMinute([...busy, hourOf(20, 2)])).toBe(true);
    expect(reportsEveryMinute([...busy, hourOf(20, 2), hourOf(15, 1)])).toBe(true);
  });

  it('lets each quiet hour vote, so one silence cannot outweigh a week of posting every quiet minute', () => {
    // Summed by minutes, the two silences' 117 missing of 90 expected outweighed three nights' 3 of 66.
    const nights = Array.from({ length: 3 }, () => hourOf(60, 59));
    expect(reportsEveryMinute([...nights, hourOf(20, 2), hourOf(15, 1)])).toBe(true);
    const busyMinutesOnly = Array.from({ length: 10 }, () => hourOf(60, 38));
    expect(reportsEveryMinute([...busyMinutesOnly, hourOf(60, 59)])).toBe(false);
  });
});

describe('reportingPace', () => {
  const week = (total: number, minutes: number) => Array.from({ length: 168 }, () => hourOf(total, minutes));

  it('is bulk for a series exported as hourly (or quarter-hourly) totals', () => {
    expect(reportingPace(week(2_400, 1))).toBe('bulk');
    expect(reportingPace(week(2_400, 4))).toBe('bulk');
    // 12 an hour would fill ≈ 11 minutes; one row an hour is under a third of that.
    expect(reportingPace(week(12, 1))).toBe('bulk');
  });

  it('is the rows an hour of a series that posts every 5 or 10 minutes', () => {
    expect(reportingPace(week(2_400, 12))).toBe(12);
    expect(reportingPace(week(2_400, 6))).toBe(6);
  });

  it('is 60 for an every-minute reporter, and none for a quiet source posting only its busy minutes', () => {
    expect(reportingPace(week(2_400, 60))).toBe(60);
    expect(reportingPace(week(60, 60))).toBe(60);
    expect(reportingPace(week(3, 3))).toBeUndefined();
    expect(reportingPace(week(30, 18))).toBeUndefined();
  });

  it('needs enough volume to tell a coarser clock: a few transactions an hour in one row is not evidence', () => {
    expect(reportingPace(Array.from({ length: 24 }, () => hourOf(2, 1)))).toBeUndefined();
    expect(reportingPace([])).toBeUndefined();
  });
});

describe('withLostPostsOut', () => {
  it('leaves the silent hours of an hourly poster out of its traffic baseline, and others’ history as it is', () => {
    const hourly = [...Array.from({ length: 167 }, () => hourOf(2_400, 1)), hourOf(0, 0)];
    const out = withLostPostsOut(hourly);
    expect(out.at(-1)?.alerting.has('traffic')).toBe(true);
    expect(out.at(0)?.alerting.has('traffic')).toBe(false);
    const everyMinute = [...Array.from({ length: 167 }, () => hourOf(2_400, 60)), hourOf(0, 0)];
    expect(withLostPostsOut(everyMinute)).toBe(everyMinute);
  });

  it('leaves out an every-minute poster’s hour with rows in under half its minutes, not a nearly full one', () => {
    // 120 an hour in 60 rows: it posts its idle minutes. A silence that began at :01 (one row of 2) and a
    // 20-minute reporting gap: the first is not the hour's traffic; the second is most of it.
    const steady = Array.from({ length: 166 }, () => hourOf(120, 60));
    const out = withLostPostsOut([...steady, hourOf(2, 1), hourOf(80, 40)]);
    expect(out.map((h) => h.alerting.has('traffic')).slice(-3)).toEqual([false, true, false]);
  });
});
