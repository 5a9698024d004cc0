/**
 * The synthetic traffic of bench/evaluate.ts, hour by hour (history) and minute by minute (the evaluated hour),
 * built on the simulator's source profiles and expected-value model (src/simulate): volumes log-uniform from a
 * few transactions an hour to thousands a minute, nine time zones, diurnal and weekly cycles, overdispersed
 * rates. On top: sources that joined during the four weeks, a few that went silent, past alerting episodes
 * (they become findings and alerts) and incidents inside the evaluated hour. Deterministic for a seed.
 */
import type { Metric } from '../src/detection/types.js';
import { splitByStatus } from '../src/simulate/generate-counts.js';
import { createRandom, type Random } from '../src/simulate/random.js';
import { samplePoisson } from '../src/simulate/sampling.js';
import { createSeriesModel, type SeriesModel } from '../src/simulate/series-model.js';
import { createSeriesProfiles } from '../src/simulate/source-profiles.js';
import { OTHER_STATUSES } from '../src/simulate/types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const RATE_METRICS = ['failed', 'denied', 'reversed'] as const;
/** Where each watched status sits among OTHER_STATUSES (the shares); slot = index + 1 (slot 0 is approved). */
const SHARE_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  OTHER_STATUSES.map((status, i) => [status, i]),
);

export interface BenchWindow {
  readonly seed: number;
  readonly sources: number;
  /** First hour of history written (epoch ms). */
  readonly historyFromMs: number;
  /** The evaluated hour (epoch ms); history ends where it starts. */
  readonly hourStartMs: number;
  /** Percent of busy sources (≥ 1 transaction a minute at peak) with an incident in the evaluated hour. */
  readonly incidentPercent: number;
}

/** A past stretch of hours in which one metric misbehaved: it was alerted on, so it has findings. */
export interface Episode {
  readonly metric: Metric;
  readonly fromMs: number;
  readonly hours: number;
  /** Multiplier of the metric's share (rates) or of volume (traffic). */
  readonly factor: number;
}

/** Something going wrong inside the evaluated hour, from `startMinute` on. */
export interface Incident {
  readonly metric: Metric;
  readonly startMinute: number;
  readonly factor: number;
}

export interface BenchSeries {
  readonly name: string;
  readonly model: SeriesModel;
  /** First hour the source reported (new sources joined during the window). */
  readonly firstHourMs: number;
  /** Reporting stops here (exclusive): the hour after the evaluated one, or earlier for a silent source. */
  readonly endMs: number;
  readonly episodes: readonly Episode[];
  readonly incident: Incident | undefined;
}

/** One hourly rollup row: counts by slot (catalog order, 7 statuses) and minutes reported. */
export interface HourCounts {
  readonly hourMs: number;
  readonly slots: readonly number[];
  readonly minutes: number;
  /** The episode the hour belongs to, if any. */
  readonly episode: Episode | undefined;
}

/** Plans every source: its profile, when it reported, its past episodes and its incident, if any. */
export function planSeries(window: BenchWindow): BenchSeries[] {
  const profiles = createSeriesProfiles(window.seed, window.sources).filter(
    (p) => p.environment === 'production',
  );
  const days = Math.ceil((window.hourStartMs - window.historyFromMs) / DAY_MS) + 2;
  const options = { seed: window.seed, days, sources: window.sources, startMs: window.historyFromMs };
  return profiles.map((profile, index) => {
    const random = createRandom(window.seed, 'bench-plan', index);
    const model = createSeriesModel(profile, options);
    const firstHourMs = random.chance(0.03)
      ? floorHour(random.uniform(window.historyFromMs, window.hourStartMs - 2 * DAY_MS))
      : window.historyFromMs;
    const endMs = random.chance(0.003)
      ? window.hourStartMs - random.int(2, 48) * HOUR_MS
      : window.hourStartMs + HOUR_MS;
    const busy = profile.peakPerMinute >= 1;
    return {
      name: profile.source,
      model,
      firstHourMs,
      endMs,
      episodes: planEpisodes(random, window, Math.max(firstHourMs, window.historyFromMs), busy),
      incident: busy && random.chance(window.incidentPercent / 100) ? planIncident(random) : undefined,
    };
  });
}

function planEpisodes(random: Random, window: BenchWindow, fromMs: number, busy: boolean): Episode[] {
  const episodes: Episode[] = [];
  const count = samplePoisson(random, busy ? 1 : 0.4);
  const earliest = fromMs + 3 * DAY_MS;
  for (let i = 0; i < count && earliest < window.hourStartMs; i++) {
    const start = floorHour(random.uniform(earliest, window.hourStartMs));
    const hours = Math.min(random.int(1, 3), (window.hourStartMs - start) / HOUR_MS);
    const metric = random.pick<Metric>([...RATE_METRICS, 'traffic']);
    episodes.push({ metric, fromMs: start, hours, factor: effectFactor(random, metric) });
  }
  return episodes;
}

function planIncident(random: Random): Incident {
  const metric = random.pick<Metric>([...RATE_METRICS, 'traffic']);
  return { metric, startMinute: random.int(0, 40), factor: effectFactor(random, metric) };
}

function effectFactor(random: Random, metric: Metric): number {
  return metric === 'traffic' ? random.uniform(0.05, 0.3) : random.uniform(3, 8);
}

/** Every hourly rollup of the series before the evaluated hour, oldest first (idle unreported hours skipped). */
export function historyHours(
  series: BenchSeries,
  window: BenchWindow,
  emit: (row: HourCounts) => void,
): void {
  const random = createRandom(window.seed, 'bench-hours', series.name);
  const shares = new Float64Array(OTHER_STATUSES.length);
  const until = Math.min(series.endMs, window.hourStartMs);
  for (let hourMs = series.firstHourMs; hourMs < until; hourMs += HOUR_MS) {
    const episode = series.episodes.find((e) => hourMs >= e.fromMs && hourMs < e.fromMs + e.hours * HOUR_MS);
    let volume = series.model.expectedMinute(hourMs + 30 * MINUTE_MS, shares) * 60;
    volume *= random.lognormal(series.model.profile.hourVolumeSigma);
    noisyShares(random, series, shares);
    if (episode) volume *= applyEffect(shares, episode.metric, episode.factor);
    const total = samplePoisson(random, volume);
    const idle = !series.model.profile.postsWhenIdle;
    if (total === 0 && idle) continue;
    // A source that posts only busy minutes reports about as many minutes as had a transaction.
    const minutes = idle ? Math.max(1, Math.min(total, Math.round(60 * (1 - Math.exp(-total / 60))))) : 60;
    emit({ hourMs, slots: splitByStatus(random, total, shares), minutes, episode });
  }
}

/** The evaluated hour's minutes (minute epoch ms → counts by slot); idle minutes of idle-silent sources skipped. */
export function evaluatedMinutes(
  series: BenchSeries,
  window: BenchWindow,
  emit: (minuteMs: number, slots: readonly number[]) => void,
): void {
  if (series.endMs <= window.hourStartMs) return;
  const random = createRandom(window.seed, 'bench-minutes', series.name);
  const shares = new Float64Array(OTHER_STATUSES.length);
  const volumeNoise = random.lognormal(series.model.profile.hourVolumeSigma);
  const shareNoise = OTHER_STATUSES.map(() => random.lognormal(series.model.profile.rateSigma));
  const { incident } = series;
  for (let minute = 0; minute < 60; minute++) {
    const minuteMs = window.hourStartMs + minute * MINUTE_MS;
    let volume = series.model.expectedMinute(minuteMs, shares) * volumeNoise;
    for (let i = 0; i < shares.length; i++) shares[i] = (shares[i] ?? 0) * (shareNoise[i] ?? 1);
    if (incident && minute >= incident.startMinute)
      volume *= applyEffect(shares, incident.metric, incident.factor);
    const total = samplePoisson(random, volume);
    if (total === 0 && !series.model.profile.postsWhenIdle) continue;
    emit(minuteMs, splitByStatus(random, total, shares));
  }
}

function noisyShares(random: Random, series: BenchSeries, shares: Float64Array): void {
  for (let i = 0; i < shares.length; i++)
    shares[i] = (shares[i] ?? 0) * random.lognormal(series.model.profile.rateSigma);
}

/** Applies an effect to the shares in place; returns the volume multiplier. */
function applyEffect(shares: Float64Array, metric: Metric, factor: number): number {
  if (metric === 'traffic') return factor;
  const i = SHARE_INDEX[metric] as number;
  shares[i] = (shares[i] ?? 0) * factor;
  return 1;
}

function floorHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
