import { describe, expect, it } from 'vitest';
import { bandOf } from '../../src/detection/band.js';
import { evaluateTick } from '../../src/detection/evaluate-tick.js';
import { DEFAULT_DETECTION } from '../../src/detection/settings.js';
import { silence, silentShare } from '../../src/detection/silence.js';
import type { HistoryHour, WindowCounts } from '../../src/detection/types.js';
import { buildHistory, historyUntilLocalHour, nextHour, type Shape } from './helpers/history.js';

/** A source whose poster never has reporting gaps: its silences page after 15 minutes (silence_minutes: 15). */
const settings = { ...DEFAULT_DETECTION, silenceMinutes: 15 };
const MINUTE_MS = 60_000;
// 12,000 transactions an hour by day, 30 at night.
const busy: Shape = { volume: (h) => (h >= 7 && h < 22 ? 12_000 : 30), failed: () => 0.01 };

/** The band of the next 14:00 (or `localHour`) of a series whose history is `shape`, reshaped by `rows`. */
function bandFor(rows: (h: HistoryHour) => number, localHour = 14) {
  const history = buildHistory(busy, 28).map((h) => ({ ...h, minutes: h.total > 0 ? rows(h) : 0 }));
  const past = historyUntilLocalHour(history, localHour);
  const hour = nextHour(past, { minutes: 0, total: 0, failed: 0, denied: 0, reversed: 0 });
  return bandOf(hour.hourStart, hour.position, past, {}, settings);
}

const everyMinute = bandFor(() => 60);
const busyMinutesOnly = bandFor((h) => Math.round(60 * (1 - Math.exp(-h.total / 60))));
const everyFiveMinutes = bandFor(() => 12);
const atNight = bandFor(() => 60, 3);

const block = (total: number): WindowCounts => ({ minutes: 10, total, failed: 0, denied: 0, reversed: 0 });
const nothing: WindowCounts = { minutes: 0, total: 0, failed: 0, denied: 0, reversed: 0 };

/** A tick `minutesPast` the hour of `band`, the series' last row `silentFor` minutes before it. */
function quietTick(band: typeof everyMinute, minutesPast: number, silentFor: number) {
  const at = band.hourStart + minutesPast * MINUTE_MS;
  // Each block holds the minutes reported before the silence: 200 transactions a minute.
  const blocks = Array.from({ length: minutesPast / 10 }, (_, i) => {
    const reported = Math.min(10, Math.max(0, minutesPast - silentFor - i * 10));
    return reported === 0 ? nothing : { ...block(200 * reported), minutes: reported };
  });
  return {
    source: 'card-eu',
    environment: 'production',
    at,
    hourStart: band.hourStart,
    blocks,
    lastReportedMinute: at - (silentFor + 1) * MINUTE_MS,
  };
}

describe('silence', () => {
  it('knows how each series posts', () => {
    expect([everyMinute.pace, busyMinutesOnly.pace, everyFiveMinutes.pace]).toEqual([60, null, 12]);
  });

  it('pages a busy every-minute source silent for 20 minutes, saying how long and how much was expected', () => {
    const finding = silence(quietTick(everyMinute, 50, 20), everyMinute, settings);
    expect(finding).toMatchObject({
      metric: 'traffic',
      direction: 'down',
      observedRate: 0,
      silentMinutes: 20,
      counts: { observed: 0, total: 0 },
    });
    expect(finding?.windowStart.getTime()).toBe(everyMinute.hourStart + 30 * MINUTE_MS);
    expect(finding?.windowEnd.getTime()).toBe(everyMinute.hourStart + 50 * MINUTE_MS);
    // 20 minutes of 12,000 an hour: about 4,000 transactions.
    expect(finding?.counts.expected).toBeGreaterThan(3_000);
    expect(finding?.counts.expected).toBeLessThan(5_000);
  });

  it('still pages a busy source whose poster went down last week too, leaving a stray row', () => {
    // Busy around the clock, so its only quiet hour is last week's silence: 2 rows holding 20 transactions.
    const allDay: Shape = { volume: () => 3_000, failed: () => 0.01 };
    const history = buildHistory(allDay, 28).map((h) => ({ ...h, minutes: 60 }));
    const past = historyUntilLocalHour(history, 14);
    const downLastWeek = past.length - 100;
    const withSilence = past.map((h, i) => (i === downLastWeek ? { ...h, total: 20, minutes: 2 } : h));
    const hour = nextHour(withSilence, { minutes: 0, total: 0, failed: 0, denied: 0, reversed: 0 });
    const band = bandOf(hour.hourStart, hour.position, withSilence, {}, settings);
    expect(band.pace).toBe(60);
    expect(silence(quietTick(band, 50, 20), band, settings)).toMatchObject({ silentMinutes: 20 });
  });

  it('is the traffic finding of the tick', () => {
    const { findings } = evaluateTick(quietTick(everyMinute, 50, 20), everyMinute, settings);
    expect(findings.map((f) => [f.metric, f.silentMinutes])).toEqual([['traffic', 20]]);
  });

  it('counts a silence that began in the previous hour', () => {
    const finding = silence(quietTick(everyMinute, 10, 25), everyMinute, settings);
    expect(finding?.silentMinutes).toBe(25);
    expect(finding?.windowStart.getTime()).toBe(everyMinute.hourStart - 15 * MINUTE_MS);
  });

  it('is not ended by a stray post: a down poster that still posts a minute now and then is silent', () => {
    // Busy until :10; then one stray minute of 3 transactions in each of the next three blocks (and the last at :48).
    const stray = { minutes: 1, total: 3, failed: 0, denied: 0, reversed: 0 };
    const tick = {
      ...quietTick(everyMinute, 50, 1),
      blocks: [block(2_000), stray, stray, stray, stray],
    };
    const finding = silence(tick, everyMinute, settings);
    expect(finding).toMatchObject({ metric: 'traffic', direction: 'down', silentMinutes: 40 });
    expect(finding?.counts).toMatchObject({ observed: 12, total: 12 });
    expect(finding?.windowStart.getTime()).toBe(everyMinute.hourStart + 10 * MINUTE_MS);
  });

  it('is ended by a block that posts most of its minutes again', () => {
    const stray = { minutes: 1, total: 3, failed: 0, denied: 0, reversed: 0 };
    const tick = { ...quietTick(everyMinute, 50, 1), blocks: [stray, stray, stray, stray, block(2_000)] };
    expect(silence(tick, everyMinute, settings)).toBeUndefined();
  });

  it('waits for silenceMinutes: 10 quiet minutes are a reporting hiccup', () => {
    expect(silence(quietTick(everyMinute, 50, 10), everyMinute, settings)).toBeUndefined();
  });

  it('waits longer than a lost post or a poster restart (12 minutes) by default', () => {
    expect(silence(quietTick(everyMinute, 50, 11), everyMinute, DEFAULT_DETECTION)).toBeUndefined();
    expect(silence(quietTick(everyMinute, 50, 12), everyMinute, DEFAULT_DETECTION)?.silentMinutes).toBe(12);
  });

  it('does not page a source that posts only its busy minutes', () => {
    expect(silence(quietTick(busyMinutesOnly, 50, 20), busyMinutesOnly, settings)).toBeUndefined();
  });

  it('does not page a source that posts every five minutes (its own pace judges it)', () => {
    expect(silence(quietTick(everyFiveMinutes, 50, 20), everyFiveMinutes, settings)).toBeUndefined();
  });

  it('does not page a silence at night, when almost nothing was expected', () => {
    expect(silence(quietTick(atNight, 50, 20), atNight, settings)).toBeUndefined();
  });

  it('expects the block shares of the silent minutes, and an even pace before the hour', () => {
    const shares = [0.1, 0.1, 0.2, 0.2, 0.2, 0.2];
    const band = { ...everyMinute, blockShares: shares };
    const h = band.hourStart;
    expect(silentShare(h + 25 * MINUTE_MS, h + 50 * MINUTE_MS, band)).toBeCloseTo(0.1 + 0.2 + 0.2, 10);
    expect(silentShare(h - 30 * MINUTE_MS, h + 10 * MINUTE_MS, band)).toBeCloseTo(0.5 + 0.1, 10);
  });
});
