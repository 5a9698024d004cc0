import type { RowDataPacket } from 'mysql2';
import type { Metric } from '../detection/types.js';
import type { Pool } from './db.js';

export interface FindingStore {
  /**
   * For each series: hour start (epoch ms) → metrics the hourly run found then, over [from, until). Ticks'
   * findings are left out: the hours a baseline leaves out are the hourly run's, live and in the backtest alike.
   */
  alertingHours(
    seriesIds: readonly number[],
    from: Date,
    until: Date,
  ): Promise<Map<number, Map<number, Set<Metric>>>>;
}

export function createFindingStore(pool: Pool): FindingStore {
  return {
    async alertingHours(seriesIds, from, until) {
      const result = new Map<number, Map<number, Set<Metric>>>();
      if (seriesIds.length === 0) return result;
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, hour_start, metric FROM findings
         WHERE series_id IN (?) AND hour_start >= ? AND hour_start < ? AND tick_minute = 0`,
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
  };
}
