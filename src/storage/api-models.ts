import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { ApiTreeModel } from '../api-detection/api-trees.js';
import type { Pool } from './db.js';

/** The trees of APIs per training cut-off (api_models): what the hourly run of API series loads or trains. */
export interface ApiModelStore {
  /** Trees of these APIs trained at exactly `trainedUntil`, by api series id (absent: never trained then). */
  load(apiSeriesIds: readonly number[], trainedUntil: Date): Promise<Map<number, ApiTreeModel[]>>;
  /** Stores each API's trees of a cut-off (first write wins: the same cut-off trains the same trees). */
  save(
    rows: readonly { apiSeriesId: number; trainedUntil: Date; trees: readonly ApiTreeModel[] }[],
  ): Promise<void>;
  /** Deletes trees trained before `before`. */
  deleteOlderThan(before: Date): Promise<number>;
}

export function createApiModelStore(pool: Pool): ApiModelStore {
  return {
    async load(apiSeriesIds, trainedUntil) {
      const byApi = new Map<number, ApiTreeModel[]>();
      if (apiSeriesIds.length === 0) return byApi;
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT api_series_id, trees FROM api_models WHERE api_series_id IN (?) AND trained_until = ?',
        [apiSeriesIds, trainedUntil],
      );
      for (const row of rows) byApi.set(row.api_series_id, JSON.parse(String(row.trees)) as ApiTreeModel[]);
      return byApi;
    },

    async save(rows) {
      if (rows.length === 0) return;
      await pool.query('INSERT IGNORE INTO api_models (api_series_id, trained_until, trees) VALUES ?', [
        rows.map((r) => [r.apiSeriesId, r.trainedUntil, JSON.stringify(r.trees)]),
      ]);
    },

    async deleteOlderThan(before) {
      const [result] = await pool.query<ResultSetHeader>('DELETE FROM api_models WHERE trained_until < ?', [
        before,
      ]);
      return result.affectedRows;
    },
  };
}
