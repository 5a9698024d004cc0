import { describe, expect, it } from 'vitest';
import { decideNormalHour, decideNormalTick } from '../../src/alerts/alert-recovery.js';
import { HOUR, hourAfter, storedAlert } from './fixtures.js';

const KEEP_OPEN = { recoveryHours: 2, autoResolve: false };
const AT = new Date('2026-11-21T21:02:00Z');

describe('decideNormalHour', () => {
  it.each([
    // last counted hour, normal hours so far, the normal hour now, → normal hours, recovered
    ['the hour right after the finding', HOUR, 0, hourAfter(1), 1, false],
    ['the second consecutive normal hour', hourAfter(1), 1, hourAfter(2), 2, true],
    ['a third, once recovered', hourAfter(2), 2, hourAfter(3), 3, false],
    ['an hour after a gap: the run starts again', HOUR, 0, hourAfter(3), 1, false],
    ['an hour after a gap in a run', hourAfter(1), 1, hourAfter(4), 1, false],
  ])('counts %s', (_name, last, normalHours, hour, counted, recovered) => {
    const alert = storedAlert({
      lastEvaluatedHour: last,
      normalHours,
      recoveredAt: normalHours >= 2 ? last : null,
    });
    const write = decideNormalHour(alert, hour, KEEP_OPEN, AT);
    expect(write?.change).toMatchObject({ lastEvaluatedHour: hour, normalHours: counted });
    expect(write?.recovered).toBe(recovered);
  });

  it('counts an alert that was never evaluated (raised from outside) from 1', () => {
    const write = decideNormalHour(storedAlert({ lastEvaluatedHour: null }), hourAfter(1), KEEP_OPEN, AT);
    expect(write?.change).toEqual({ lastEvaluatedHour: hourAfter(1), normalHours: 1 });
  });

  it.each([
    ['the same hour again (a retried batch)', HOUR],
    ['an earlier hour (a backfill)', new Date(HOUR.getTime() - 3_600_000)],
  ])('writes nothing for %s', (_name, hour) => {
    expect(decideNormalHour(storedAlert(), hour, KEEP_OPEN, AT)).toBeUndefined();
  });

  it('writes nothing for a resolved alert', () => {
    expect(
      decideNormalHour(storedAlert({ status: 'resolved' }), hourAfter(1), KEEP_OPEN, AT),
    ).toBeUndefined();
  });

  it('marks the alert recovered once, with a new revision and an audit line, and leaves it open', () => {
    const alert = storedAlert({ lastEvaluatedHour: hourAfter(1), normalHours: 1, revision: 3 });
    expect(decideNormalHour(alert, hourAfter(2), KEEP_OPEN, AT)).toEqual({
      recovered: true,
      change: { lastEvaluatedHour: hourAfter(2), normalHours: 2, recoveredAt: AT, revision: 4 },
      events: [{ kind: 'recovered', actor: 'ratewatch', channel: 'auto', detail: { normal_hours: 2 } }],
    });
  });

  it('with auto-resolve, also resolves it as ratewatch ("recovered"), one revision each', () => {
    const alert = storedAlert({ lastEvaluatedHour: hourAfter(1), normalHours: 1, revision: 3 });
    const write = decideNormalHour(alert, hourAfter(2), { recoveryHours: 2, autoResolve: true }, AT);
    expect(write).toEqual({
      recovered: true,
      change: {
        lastEvaluatedHour: hourAfter(2),
        normalHours: 2,
        recoveredAt: AT,
        status: 'resolved',
        resolvedAt: AT,
        resolvedBy: 'ratewatch',
        resolutionNote: 'recovered',
        revision: 5,
      },
      events: [
        { kind: 'recovered', actor: 'ratewatch', channel: 'auto', detail: { normal_hours: 2 } },
        { kind: 'resolved', actor: 'ratewatch', channel: 'auto', detail: { note: 'recovered' } },
      ],
    });
  });

  it('recovers after one normal hour when RECOVERY_HOURS is 1', () => {
    const write = decideNormalHour(storedAlert(), hourAfter(1), { recoveryHours: 1, autoResolve: false }, AT);
    expect(write?.recovered).toBe(true);
  });
});

describe('decideNormalHour after the ticks marked the alert recovered', () => {
  const recoveredByTicks = storedAlert({ recoveredAt: AT, normalTicks: 3, revision: 4 });

  it('with auto-resolve, resolves it at the first normal hour (the hourly run confirms)', () => {
    const write = decideNormalHour(
      recoveredByTicks,
      hourAfter(1),
      { recoveryHours: 2, autoResolve: true },
      AT,
    );
    expect(write).toEqual({
      recovered: true,
      change: {
        lastEvaluatedHour: hourAfter(1),
        normalHours: 1,
        status: 'resolved',
        resolvedAt: AT,
        resolvedBy: 'ratewatch',
        resolutionNote: 'recovered',
        revision: 5,
      },
      events: [{ kind: 'resolved', actor: 'ratewatch', channel: 'auto', detail: { note: 'recovered' } }],
    });
  });

  it('without auto-resolve, only counts the hour', () => {
    const write = decideNormalHour(recoveredByTicks, hourAfter(1), KEEP_OPEN, AT);
    expect(write).toEqual({
      recovered: false,
      change: { lastEvaluatedHour: hourAfter(1), normalHours: 1 },
      events: [],
    });
  });
});

describe('decideNormalTick', () => {
  const tick = (minutes: number) => new Date(HOUR.getTime() + 3_600_000 + minutes * 60_000);
  const TICKS = { ...KEEP_OPEN, recoveryTicks: 3 };

  it.each([
    // last counted tick, normal ticks so far, the tick now → normal ticks, recovered
    ['the first normal tick after the finding', null, 0, tick(10), 1, false],
    ['the second', tick(10), 1, tick(20), 2, false],
    ['the third: recovered', tick(20), 2, tick(30), 3, true],
    ['a tick after a missed one still counts', tick(10), 1, tick(40), 2, false],
    ['ticks across the hour boundary count on', tick(50), 2, tick(70), 3, true],
  ])('counts %s', (_name, last, normalTicks, at, counted, recovered) => {
    const write = decideNormalTick(storedAlert({ lastTickAt: last, normalTicks }), at, TICKS, AT);
    expect(write?.change).toMatchObject({ lastTickAt: at, normalTicks: counted });
    expect(write?.recovered).toBe(recovered);
  });

  it.each([
    ['the same tick again (a retried batch, a second worker)', tick(20)],
    ['an earlier tick (a late job)', tick(10)],
  ])('writes nothing for %s', (_name, at) => {
    const alert = storedAlert({ lastTickAt: tick(20), normalTicks: 1 });
    expect(decideNormalTick(alert, at, TICKS, AT)).toBeUndefined();
  });

  it('writes nothing for a resolved alert', () => {
    expect(decideNormalTick(storedAlert({ status: 'resolved' }), tick(10), TICKS, AT)).toBeUndefined();
  });

  it('marks the alert recovered once, with a new revision and an audit line, and never resolves it', () => {
    const alert = storedAlert({ lastTickAt: tick(20), normalTicks: 2, revision: 3 });
    expect(decideNormalTick(alert, tick(30), { ...TICKS, autoResolve: true }, AT)).toEqual({
      recovered: true,
      change: { lastTickAt: tick(30), normalTicks: 3, recoveredAt: AT, revision: 4 },
      events: [{ kind: 'recovered', actor: 'ratewatch', channel: 'auto', detail: { normal_ticks: 3 } }],
    });
    const already = storedAlert({ lastTickAt: tick(30), normalTicks: 3, recoveredAt: AT, revision: 4 });
    expect(decideNormalTick(already, tick(40), TICKS, AT)).toEqual({
      recovered: false,
      change: { lastTickAt: tick(40), normalTicks: 4 },
      events: [],
    });
  });

  it('uses RECOVERY_TICKS (3) when the settings name no number', () => {
    const alert = storedAlert({ lastTickAt: tick(20), normalTicks: 2 });
    expect(decideNormalTick(alert, tick(30), KEEP_OPEN, AT)?.recovered).toBe(true);
  });
});
