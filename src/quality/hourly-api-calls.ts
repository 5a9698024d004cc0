import { type ApiMinute, CLASS_INDEX } from '../api-calls/api-minute.js';
import { mergeHistograms } from '../api-calls/latency.js';
import { HOUR_MS } from '../simulate/types.js';

/** One API's calls in one UTC hour. */
export interface ApiHour {
  calls: number;
  /** 5xx + timeouts. */
  errors: number;
  silentFailures: number;
  latency: number[];
}

/** Hourly summaries of one (source, environment, api), keyed by the hour's start (epoch ms). */
export interface HourlyApiSeries {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  readonly hours: Map<number, ApiHour>;
}

/** Sums minutes into hours per API; feed it minutes in any order. */
export interface HourlyApiCalls {
  add(minute: ApiMinute): void;
  /** The series, sorted by source, environment, then api. */
  series(): HourlyApiSeries[];
  /** The last hour start seen (epoch ms); NaN before any minute. */
  readonly lastHourMs: number;
}

export function createHourlyApiCalls(): HourlyApiCalls {
  const bySeries = new Map<string, HourlyApiSeries>();
  let lastHourMs = Number.NaN;
  return {
    add(minute) {
      const hourMs = Math.floor(minute.minuteMs / HOUR_MS) * HOUR_MS;
      if (!(hourMs <= lastHourMs)) lastHourMs = hourMs;
      const key = `${minute.source}\u0000${minute.environment}\u0000${minute.api}`;
      let series = bySeries.get(key);
      if (!series) {
        const { source, environment, api } = minute;
        series = { source, environment, api, hours: new Map() };
        bySeries.set(key, series);
      }
      const hour = series.hours.get(hourMs) ?? {
        calls: 0,
        errors: 0,
        silentFailures: 0,
        latency: mergeHistograms([]),
      };
      series.hours.set(hourMs, hour);
      for (const count of minute.calls) hour.calls += count;
      hour.errors += (minute.calls[CLASS_INDEX['5xx']] ?? 0) + (minute.calls[CLASS_INDEX.timeout] ?? 0);
      hour.silentFailures += minute.silentFailures;
      for (let i = 0; i < hour.latency.length; i++)
        hour.latency[i] = (hour.latency[i] ?? 0) + (minute.latency[i] ?? 0);
    },
    series: () => [...bySeries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s),
    get lastHourMs() {
      return lastHourMs;
    },
  };
}
