import { describe, expect, it } from 'vitest';
import {
  comparableRateHours,
  comparableTrafficHours,
  withoutAlerting,
} from '../../src/detection/comparable-hours.js';
import type { HistoryHour, Metric } from '../../src/detection/types.js';

let next = 0;
const hour = (localHour: number, weekday: number, total = 100, alerting: Metric[] = []): HistoryHour => ({
  hourStart: next++ * 3_600_000,
  minutes: 60,
  total,
  failed: 1,
  denied: 2,
  reversed: 0,
  localHour,
  weekday,
  holiday: false,
  alerting: new Set(alerting),
});

describe('comparableRateHours', () => {
  const history = [hour(22, 1), hour(23, 1), hour(0, 2), hour(1, 2), hour(2, 2), hour(23, 3, 0), hour(0, 6)];

  it('takes local hours within ±1 of the evaluated one, across midnight, on any day', () => {
    // At 00: 23 (Mon), 00 (Tue), 01 (Tue), 00 (Sat); not 22 or 02, not the empty 23 (Wed).
    const chosen = comparableRateHours(history, { localHour: 0, weekday: 4, holiday: false }, 'failed');
    expect(chosen.map((h) => [h.localHour, h.weekday])).toEqual([
      [23, 1],
      [0, 2],
      [1, 2],
      [0, 6],
    ]);
  });
});

describe('comparableTrafficHours', () => {
  const history = [hour(9, 1), hour(9, 2), hour(9, 1, 0), hour(10, 1), hour(9, 1, 300, ['traffic'])];

  it('takes the same hour of the week, hours without reports included', () => {
    const chosen = comparableTrafficHours(history, { localHour: 9, weekday: 1, holiday: false }, 'week');
    expect(chosen.map((h) => h.total)).toEqual([100, 0]);
  });

  it('takes the same hour of any day while the week is not known', () => {
    const chosen = comparableTrafficHours(history, { localHour: 9, weekday: 5, holiday: false }, 'day');
    expect(chosen.map((h) => [h.weekday, h.total])).toEqual([
      [1, 100],
      [2, 100],
      [1, 0],
    ]);
  });
});

describe('withoutAlerting', () => {
  it('leaves out hours that alerted on the metric', () => {
    const hours = [hour(1, 1), hour(1, 2, 100, ['failed']), hour(1, 3, 100, ['denied'])];
    expect(withoutAlerting(hours, 'failed')).toHaveLength(2);
  });

  it('keeps them all when more than half alerted: a lasting change becomes the new normal', () => {
    const hours = [hour(1, 1), hour(1, 2, 100, ['failed']), hour(1, 3, 100, ['failed'])];
    expect(withoutAlerting(hours, 'failed')).toHaveLength(3);
  });
});
