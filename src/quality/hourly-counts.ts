import { HOUR_MS } from '../simulate/types.js';

/** One series' counts for one UTC hour: all transactions, and the three bad statuses. */
export interface HourCounts {
  total: number;
  failed: number;
  denied: number;
  reversed: number;
}

/** Hourly counts of one source+environment, keyed by the hour's start (epoch ms). */
export interface HourlySeries {
  readonly source: string;
  readonly environment: string;
  readonly hours: Map<number, HourCounts>;
}

/** Accumulates minute rows into hourly counts per series; feed it rows in any order. */
export interface HourlyCounts {
  /** Adds one minute: its start (epoch ms) and its counts (`total` is all statuses together). */
  add(minuteMs: number, source: string, environment: string, counts: HourCounts): void;
  /** The series, sorted by source then environment. */
  series(): HourlySeries[];
  /** First and last hour start seen (epoch ms); NaN before any row. */
  readonly range: { readonly firstHourMs: number; readonly lastHourMs: number };
}

export function createHourlyCounts(): HourlyCounts {
  const bySeries = new Map<string, HourlySeries>();
  const range = { firstHourMs: Number.NaN, lastHourMs: Number.NaN };
  return {
    range,
    add(minuteMs, source, environment, counts) {
      const hourMs = Math.floor(minuteMs / HOUR_MS) * HOUR_MS;
      if (!(hourMs >= range.firstHourMs)) range.firstHourMs = hourMs;
      if (!(hourMs <= range.lastHourMs)) range.lastHourMs = hourMs;
      const key = `${source}\u0000${environment}`;
      let series = bySeries.get(key);
      if (!series) {
        series = { source, environment, hours: new Map() };
        bySeries.set(key, series);
      }
      const hour = series.hours.get(hourMs);
      if (!hour) series.hours.set(hourMs, { ...counts });
      else {
        hour.total += counts.total;
        hour.failed += counts.failed;
        hour.denied += counts.denied;
        hour.reversed += counts.reversed;
      }
    },
    series: () =>
      [...bySeries.values()].sort((a, b) =>
        a.source === b.source ? (a.environment < b.environment ? -1 : 1) : a.source < b.source ? -1 : 1,
      ),
  };
}
