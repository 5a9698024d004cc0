import { createLocalClock, type LocalClock, type LocalMinute } from './local-clock.js';
import { createRandom } from './random.js';
import type { SeriesProfile } from './source-profiles.js';
import { DAY_MS, OTHER_STATUSES, type OtherStatus, type SimulationOptions } from './types.js';

/** A series' expected behaviour minute by minute, before hourly noise and injected events. */
export interface SeriesModel {
  readonly profile: SeriesProfile;
  readonly clock: LocalClock;
  /** Expected transactions in the minute that starts at minuteMs (epoch ms). */
  expectedVolume(minuteMs: number): number;
  /** Expected share (fraction of all transactions) of the status in that minute. */
  expectedShare(status: OtherStatus, minuteMs: number): number;
  /**
   * Both at once for the generator's hot loop: writes the shares of OTHER_STATUSES into `shares` (in that
   * order) and returns the expected volume of the minute.
   */
  expectedMinute(minuteMs: number, shares: Float64Array): number;
}

const DAY_LEVEL_PERSISTENCE = 0.5;
const WEEKDAY_FACTORS = [Number.NaN, 0.96, 1, 1, 1.01, 1.06, Number.NaN]; // Sunday…Saturday; weekends per source

/**
 * Builds the expected-value model of one series: diurnal curve in local time (DST-aware), weekly cycle,
 * growth trend, day-to-day level noise (drawn from the seed), and shares drifting by local hour.
 */
export function createSeriesModel(profile: SeriesProfile, options: SimulationOptions): SeriesModel {
  const clock = createLocalClock(profile.timeZone);
  const diurnal = diurnalTable(profile);
  const shares = shareTables(profile);
  const dayLevel = dayLevels(profile, options);
  const volumeAt = (minuteMs: number, local: LocalMinute) => {
    const weekday = WEEKDAY_FACTORS[local.weekday] ?? 1;
    const week = Number.isNaN(weekday) ? profile.weekendFactor : weekday;
    const trend = (1 + profile.growthPer30Days) ** ((minuteMs - options.startMs) / (30 * DAY_MS));
    return profile.peakPerMinute * (diurnal[local.minuteOfDay] ?? 0) * week * trend * dayLevel(local.day);
  };
  const shareAt = (status: OtherStatus, local: LocalMinute) =>
    profile.baseRates[status] * (shares[status]?.[local.minuteOfDay] ?? 1);
  return {
    profile,
    clock,
    expectedVolume: (minuteMs) => volumeAt(minuteMs, clock.local(minuteMs)),
    expectedShare: (status, minuteMs) => shareAt(status, clock.local(minuteMs)),
    expectedMinute(minuteMs, out) {
      const local = clock.local(minuteMs);
      OTHER_STATUSES.forEach((status, i) => {
        out[i] = shareAt(status, local);
      });
      return volumeAt(minuteMs, local);
    },
  };
}

/** Volume by local minute of day, scaled so the busiest minute is 1. */
function diurnalTable(profile: SeriesProfile): Float64Array {
  const { floor, mainPeakHour, eveningPeakHour, eveningWeight, sharpness } = profile.diurnal;
  const bump = (hour: number, peak: number) =>
    Math.exp(sharpness * (Math.cos((2 * Math.PI * (hour - peak)) / 24) - 1));
  const table = new Float64Array(1440);
  for (let m = 0; m < 1440; m += 1) {
    const hour = m / 60;
    table[m] = floor + (1 - floor) * (bump(hour, mainPeakHour) + eveningWeight * bump(hour, eveningPeakHour));
  }
  const max = Math.max(...table);
  return table.map((value) => value / max);
}

/** Share multipliers by local minute of day for the bad statuses (drift, and the night denied pattern). */
function shareTables(profile: SeriesProfile): Partial<Record<OtherStatus, Float64Array>> {
  const tables: Partial<Record<OtherStatus, Float64Array>> = {};
  for (const metric of ['denied', 'failed', 'reversed'] as const) {
    const { amplitude, peakHour } = profile.rateDrift[metric];
    const table = new Float64Array(1440);
    for (let m = 0; m < 1440; m += 1) {
      const hour = m / 60;
      const night = metric === 'denied' ? nightFactor(profile, hour) : 1;
      table[m] = Math.exp(amplitude * Math.cos((2 * Math.PI * (hour - peakHour)) / 24)) * night;
    }
    tables[metric] = table;
  }
  return tables;
}

/** The nightly denied multiplier, with 20-minute ramps at both ends. */
function nightFactor(profile: SeriesProfile, hour: number): number {
  const night = profile.nightDenied;
  if (!night) return 1;
  const ramp = 1 / 3;
  const inside = Math.min(
    1,
    Math.max(0, (hour - night.startHour) / ramp),
    Math.max(0, (night.endHour - hour) / ramp),
  );
  return 1 + (night.factor - 1) * inside;
}

/** Lognormal AR(1) level per local day, mean-corrected so the level averages about 1. */
function dayLevels(profile: SeriesProfile, options: SimulationOptions): (day: number) => number {
  const random = createRandom(options.seed, 'day-level', profile.source, profile.environment);
  const firstDay = Math.floor(options.startMs / DAY_MS) - 1;
  const levels: number[] = [];
  let log = 0;
  const sigma = profile.dayLevelSigma;
  const innovation = sigma * Math.sqrt(1 - DAY_LEVEL_PERSISTENCE ** 2);
  for (let i = 0; i < options.days + 3; i += 1) {
    log = DAY_LEVEL_PERSISTENCE * log + innovation * random.normal();
    levels.push(Math.exp(log - (sigma * sigma) / 2));
  }
  return (day) => levels[Math.min(levels.length - 1, Math.max(0, day - firstDay))] ?? 1;
}
