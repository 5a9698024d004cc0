import type { Simulation } from './simulation.js';
import type { CountRow, SimEvent } from './types.js';

/** Header of labels.csv and benign.csv. */
export const EVENTS_HEADER = 'source,environment,metric,kind,start,end,magnitude';

/** `2026-01-05T13:07:00Z`: ISO-8601 UTC to the second, no milliseconds (epoch ms in). */
export function formatIsoMinute(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/**
 * A formatter of count rows into CSV lines (with the trailing newline). It remembers the last minute's
 * text, since rows come sorted by minute and formatting dates dominates otherwise.
 */
export function createCountRowFormatter(): (row: CountRow) => string {
  let lastMs = Number.NaN;
  let lastText = '';
  return (row) => {
    if (row.minuteMs !== lastMs) {
      lastMs = row.minuteMs;
      lastText = formatIsoMinute(row.minuteMs);
    }
    return `${lastText},${row.source},${row.environment},${row.counts.join(',')}\n`;
  };
}

/** One labels.csv / benign.csv line (with the trailing newline). */
export function formatEventLine(event: SimEvent): string {
  const fields = [event.source, event.environment, event.metric, event.kind];
  return `${[...fields, formatIsoMinute(event.startMs), formatIsoMinute(event.endMs), event.magnitude].join(',')}\n`;
}

/** The sources.json document: the options, and one entry per series with what shapes its traffic. */
export function describeSimulation(simulation: Simulation): object {
  const { options } = simulation;
  return {
    seed: options.seed,
    start: formatIsoMinute(options.startMs),
    days: options.days,
    sources: simulation.series.map((p) => ({
      name: p.source,
      environment: p.environment,
      time_zone: p.timeZone,
      peak_per_minute: round(p.peakPerMinute, 4),
      posts_when_idle: p.postsWhenIdle,
      base_rates: Object.fromEntries(Object.entries(p.baseRates).map(([k, v]) => [k, round(v, 5)])),
      weekend_factor: round(p.weekendFactor, 3),
      growth_per_30_days: round(p.growthPer30Days, 3),
      rate_sigma: round(p.rateSigma, 3),
      hour_volume_sigma: round(p.hourVolumeSigma, 3),
      day_level_sigma: round(p.dayLevelSigma, 3),
      night_denied: p.nightDenied && {
        factor: round(p.nightDenied.factor, 2),
        start_hour: round(p.nightDenied.startHour, 2),
        end_hour: round(p.nightDenied.endHour, 2),
      },
      diurnal: Object.fromEntries(Object.entries(p.diurnal).map(([k, v]) => [k, round(v, 3)])),
    })),
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
