import { describe, expect, it } from 'vitest';
import type { CsvMinute } from '../../src/backtest/counts-csv.js';
import { replay } from '../../src/backtest/replay.js';
import { findingToJson } from '../../src/detection/finding-json.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import type { Finding } from '../../src/detection/types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const DAYS = 9;
/** card-eu fails four times as often from day 7, 10:20, for three hours. */
const INCIDENT = {
  from: T0 + (6 * 24 + 10) * HOUR + 20 * MINUTE,
  to: T0 + (6 * 24 + 13) * HOUR + 20 * MINUTE,
};

/** Deterministic minutes of two sources (xorshift noise), sorted by minute: what a counts CSV holds. */
function minutes(until = T0 + DAYS * 24 * HOUR): CsvMinute[] {
  let state = 2_463_534_242;
  const noise = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  const rows: CsvMinute[] = [];
  for (let minute = T0; minute < until; minute += MINUTE) {
    const hour = new Date(minute).getUTCHours();
    for (const source of ['card-eu', 'wallet-us']) {
      const total = Math.round((hour >= 7 && hour < 22 ? 40 : 8) * (0.8 + 0.4 * noise()));
      const rate = source === 'card-eu' && minute >= INCIDENT.from && minute < INCIDENT.to ? 0.08 : 0.02;
      const failed = Math.round(total * rate * (0.5 + noise()));
      const counts = { minutes: 1, total, failed, denied: Math.round(total * 0.05), reversed: 0 };
      rows.push({ minute, source, environment: 'production', counts });
    }
  }
  return rows;
}

/** The rows summed per source and hour, stamped at the hour's first minute, as an hourly export holds them. */
function hourlyTotals(rows: readonly CsvMinute[]): CsvMinute[] {
  const byKey = new Map<string, CsvMinute>();
  for (const row of rows) {
    const minute = Math.floor(row.minute / HOUR) * HOUR;
    const key = `${minute} ${row.source}`;
    const sum = byKey.get(key);
    if (!sum) {
      byKey.set(key, { ...row, minute, counts: { ...row.counts, minutes: 1 } });
      continue;
    }
    const c = sum.counts;
    const add = row.counts;
    byKey.set(key, {
      ...sum,
      counts: {
        minutes: 1,
        total: c.total + add.total,
        failed: c.failed + add.failed,
        denied: c.denied + add.denied,
        reversed: c.reversed + add.reversed,
      },
    });
  }
  return [...byKey.values()];
}

async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function findingsOf(
  rows: readonly CsvMinute[],
  tickMinutes?: number,
  settings = DEFAULT_DETECTION,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  await replay(stream(rows), {
    retrainHours: 24,
    graceMinutes: 2,
    tickMinutes,
    profileOf: () => ({ settings, timeZone: 'UTC', holidays: [] }),
    onFinding: (finding) => findings.push(finding),
  });
  return findings;
}

describe('replay', () => {
  const all = minutes();

  /** wallet-us's first silence finding (silence_minutes: 15) when it posts nothing for `minutes` from `from`. */
  async function firstSilence(from: number, minutes: number, tickMinutes = 10) {
    const silent = all.filter(
      (r) => !(r.source === 'wallet-us' && r.minute >= from && r.minute < from + minutes * MINUTE),
    );
    const findings = await findingsOf(silent, tickMinutes, { ...DEFAULT_DETECTION, silenceMinutes: 15 });
    return findings.find((f) => f.source === 'wallet-us' && f.silentMinutes !== undefined);
  }

  it('finds the injected incident', async () => {
    const findings = await findingsOf(all);
    const failed = findings.filter((f) => f.source === 'card-eu' && f.metric === 'failed');
    expect(
      failed.some((f) => f.windowStart.getTime() < INCIDENT.to && f.windowEnd.getTime() > INCIDENT.from),
    ).toBe(true);
  });

  describe('without look-ahead', () => {
    it.each([
      ['the hour the incident starts', INCIDENT.from - 20 * MINUTE],
      ['the middle of the incident', INCIDENT.from + 100 * MINUTE],
      ['a quiet evening after it', T0 + (7 * 24 + 20) * HOUR],
    ])('gives the findings up to %s whether or not later rows exist', async (_, hourStart) => {
      const end = hourStart + HOUR;
      const upTo = (findings: Finding[]) =>
        findings.filter((f) => f.windowEnd.getTime() <= end + 2 * MINUTE).map(findingToJson);
      const truncated = upTo(await findingsOf(all.filter((row) => row.minute < end)));
      expect(truncated).toEqual(upTo(await findingsOf(all)));
      expect(truncated.length).toBeGreaterThan(0);
    });
  });

  describe('for a series exported as hourly totals (one row at :00 holding the whole hour)', () => {
    // wallet-us' rows of day 9 at 14:00 and 15:00 are missing (an outage), and its 18:00 row alone (a lost post).
    const day9 = (hour: number) => T0 + (8 * 24 + hour) * HOUR;
    const missing = new Set([day9(14), day9(15), day9(18)]);
    const hourly = hourlyTotals(all).filter((r) => !(r.source === 'wallet-us' && missing.has(r.minute)));

    it('alerts on the incident and the second silent hour, not on a lost post or every hour’s empty minutes', async () => {
      const findings = await findingsOf(hourly);
      const keys = new Set(findings.map((f) => `${f.source} ${f.metric}`));
      expect([...keys].sort()).toEqual(['card-eu failed', 'wallet-us traffic']);
      const traffic = findings.filter((f) => f.metric === 'traffic');
      expect(traffic.map((f) => f.windowStart.getTime())).toEqual([day9(15)]);
    });
  });

  it('does not evaluate an hour the rows end inside', async () => {
    const rows = all.filter((row) => row.minute < T0 + 30 * MINUTE);
    const summary = await replay(stream(rows), {
      retrainHours: 24,
      graceMinutes: 2,
      profileOf: () => ({ settings: DEFAULT_DETECTION, timeZone: 'UTC', holidays: [] }),
      onFinding: () => {},
    });
    expect(summary).toMatchObject({ rows: 60, series: 2, hoursEvaluated: 0, incompleteLastHour: T0 });
  });

  describe('at the live cadence (a tick every 10 minutes)', () => {
    const isTick = (f: Finding) => f.windowEnd.getTime() % (10 * MINUTE) === 0;
    const hourlyOnly = (findings: Finding[]) => findings.filter((f) => !isTick(f)).map(findingToJson);

    it('pages the incident at a tick, before the hourly run would, with window_end = the tick', async () => {
      const ticked = await findingsOf(all, 10);
      const failed = (findings: Finding[]) =>
        findings
          .filter(
            (f) => f.source === 'card-eu' && f.metric === 'failed' && f.windowEnd.getTime() > INCIDENT.from,
          )
          .map((f) => f.windowEnd.getTime());
      const first = Math.min(...failed(ticked));
      expect(first % (10 * MINUTE)).toBe(0);
      expect(first % HOUR).not.toBe(0);
      expect(first).toBeLessThan(Math.min(...failed(await findingsOf(all))));
    });

    it('leaves the hourly findings as they are', async () => {
      const hourly = (await findingsOf(all)).map(findingToJson);
      expect(hourlyOnly(await findingsOf(all, 10))).toEqual(hourly);
      expect((await findingsOf(all, 60)).map(findingToJson)).toEqual(hourly);
    });

    it('gives the findings up to a tick whether or not later rows exist', async () => {
      const at = INCIDENT.from + 40 * MINUTE;
      const upTo = (findings: Finding[]) =>
        findings.filter((f) => f.windowEnd.getTime() <= at).map(findingToJson);
      const truncated = upTo(
        await findingsOf(
          all.filter((row) => row.minute < at + 2 * MINUTE),
          10,
        ),
      );
      expect(truncated).toEqual(upTo(await findingsOf(all, 10)));
    });

    it('pages a busy source that stops posting, saying for how many minutes (silence_minutes: 15)', async () => {
      // wallet-us (≈ 2,400 transactions an hour by day) posts nothing from day 9, 14:05 to 14:45.
      const from = T0 + (8 * 24 + 14) * HOUR + 5 * MINUTE;
      const finding = await firstSilence(from, 40);
      expect(finding).toMatchObject({ metric: 'traffic', direction: 'down', silentMinutes: 15 });
      expect(finding?.windowStart.getTime()).toBe(from);
      expect(finding?.windowEnd.getTime()).toBe(from + 15 * MINUTE);
    });

    it("pages a silence that passes the bound after :50 at the hour's closing tick, not at the next hour's :10", async () => {
      // wallet-us posts nothing from day 9, 14:40 to 15:30: 10 silent minutes at 14:50, 20 at 15:00.
      const from = T0 + (8 * 24 + 14) * HOUR + 40 * MINUTE;
      const finding = await firstSilence(from, 50);
      expect(finding).toMatchObject({ metric: 'traffic', direction: 'down', silentMinutes: 20 });
      expect(finding?.windowEnd.getTime()).toBe(from + 20 * MINUTE);
    });
  });

  describe('every 5 minutes (ticks between block boundaries)', () => {
    it('gives the findings up to a tick whether or not later rows exist, seeing no minute after the tick', async () => {
      // 35 minutes into the incident: the tick's last block has only its first five minutes elapsed.
      const at = INCIDENT.from + 35 * MINUTE;
      const upTo = (findings: Finding[]) =>
        findings.filter((f) => f.windowEnd.getTime() <= at).map(findingToJson);
      const full = upTo(await findingsOf(all, 5));
      expect(full.some((line) => line.includes(`"window_end":"${new Date(at).toISOString()}"`))).toBe(true);
      expect(
        upTo(
          await findingsOf(
            all.filter((row) => row.minute < at),
            5,
          ),
        ),
      ).toEqual(full);
    });

    it('pages the incident at a tick on the 5-minute grid, no later than every 10 minutes would', async () => {
      const first = async (tickMinutes: number) =>
        Math.min(
          ...(await findingsOf(all, tickMinutes))
            .filter(
              (f) => f.source === 'card-eu' && f.metric === 'failed' && f.windowEnd.getTime() > INCIDENT.from,
            )
            .map((f) => f.windowEnd.getTime()),
        );
      const every5 = await first(5);
      expect(every5 % (5 * MINUTE)).toBe(0);
      expect(every5).toBeLessThanOrEqual(await first(10));
    });

    it('pages a busy silence five minutes sooner than the 10-minute ticks', async () => {
      // wallet-us posts nothing from day 9, 14:07 to 14:47: 15 silent minutes at 14:22.
      const from = T0 + (8 * 24 + 14) * HOUR + 7 * MINUTE;
      const every10 = await firstSilence(from, 40, 10);
      const every5 = await firstSilence(from, 40, 5);
      expect(every10?.windowEnd.getTime()).toBe(from + 23 * MINUTE);
      expect(every5).toMatchObject({ metric: 'traffic', direction: 'down', silentMinutes: 18 });
      expect(every5?.windowEnd.getTime()).toBe(from + 18 * MINUTE);
    });
  });
});
