import type { RowDataPacket } from 'mysql2';
import type { ApiMetric } from '../detection/api-finding.js';
import type { Metric } from '../detection/types.js';
import type { Pool } from './db.js';

export interface FindingStore {
  /**
   * For each series: hour start (epoch ms) → metrics of its payments the hourly run found then, over [from,
   * until). Ticks' findings are left out (the hours a baseline leaves out are the hourly run's, live and in the
   * backtest alike), and so are its APIs' findings (they are not the payments').
   */
  alertingHours(
    seriesIds: readonly number[],
    from: Date,
    until: Date,
  ): Promise<Map<number, Map<number, Set<Metric>>>>;
  /** The same for APIs: for each api series, hour start (epoch ms) → API metrics with a finding then. */
  apiAlertingHours(
    apiSeriesIds: readonly number[],
    from: Date,
    until: Date,
  ): Promise<Map<number, Map<number, Set<ApiMetric>>>>;
}

export function createFindingStore(pool: Pool): FindingStore {
  return {
    async alertingHours(seriesIds, from, until) {
      const result = new Map<number, Map<number, Set<Metric>>>();
      if (seriesIds.length === 0) return result;
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, hour_start, metric FROM findings
         WHERE series_id IN (?) AND api_series_id = 0 AND hour_start >= ? AND hour_start < ? AND tick_minute = 0`,
        [seriesIds, from, until],
      );
      for (const row of rows) {
        const bySeries = result.get(row.series_id) ?? new Map<number, Set<Metric>>();
        const hour = (row.hour_start as Date).getTime();
        const metrics = bySeries.get(hour) ?? new Set<Metric>();
        metrics.add(row.metric as Metric);
        bySeries.set(hour, metrics);
        result.set(row.series_id, bySeries);
      }
      return result;
    },

    async apiAlertingHours(apiSeriesIds, from, until) {
      const result = new Map<number, Map<number, Set<ApiMetric>>>();
      if (apiSeriesIds.length === 0) return result;
      // No key starts with api_series_id: the hour range (ix_findings_hour) narrows it, as for a batch of series.
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT api_series_id, hour_start, metric FROM findings
         WHERE hour_start >= ? AND hour_start < ? AND api_series_id IN (?) AND tick_minute = 0`,
        [from, until, apiSeriesIds],
      );
      for (const row of rows) {
        const byApi = result.get(row.api_series_id) ?? new Map<number, Set<ApiMetric>>();
        const hour = (row.hour_start as Date).getTime();
        const metrics = byApi.get(hour) ?? new Set<ApiMetric>();
        metrics.add(row.metric as ApiMetric);
        byApi.set(hour, metrics);
        result.set(row.api_series_id, byApi);
      }
      return result;
    },
  };
}
