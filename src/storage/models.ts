import type { RowDataPacket } from 'mysql2';
import type { TreeModel } from '../detection/decision-tree.js';
import type { Metric } from '../detection/types.js';
import type { Pool } from './db.js';

/** A stored model: a tree, or `null` when the series had too little history at that cut-off. */
export interface StoredModel {
  readonly seriesId: number;
  readonly metric: Metric;
  readonly model: TreeModel | null;
}

export interface ModelStore {
  /** Models of these series trained at exactly `trainedUntil`. */
  load(seriesIds: readonly number[], trainedUntil: Date): Promise<StoredModel[]>;
  /** Stores models (first write wins: the same cut-off always trains the same tree). */
  save(
    models: readonly { seriesId: number; metric: Metric; trainedUntil: Date; model: TreeModel | null }[],
  ): Promise<void>;
  /** Deletes models trained before `before` (keeps storage to the models still in use). */
  deleteOlderThan(before: Date): Promise<number>;
}

export function createModelStore(pool: Pool): ModelStore {
  return {
    async load(seriesIds, trainedUntil) {
      if (seriesIds.length === 0) return [];
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT series_id, metric, trained_from, trained_until, samples, training_rows, spread, training_error,
           floor_rate, tree FROM models WHERE series_id IN (?) AND trained_until = ?`,
        [seriesIds, trainedUntil],
      );
      return rows.map((row) => ({
        seriesId: row.series_id,
        metric: row.metric,
        model:
          row.tree === null
            ? null
            : {
                metric: row.metric,
                trainedFrom: (row.trained_from as Date).getTime(),
                trainedUntil: (row.trained_until as Date).getTime(),
                samples: row.samples,
                rows: row.training_rows,
                spread: row.spread,
                error: row.training_error,
                floorRate: row.floor_rate,
                json: typeof row.tree === 'string' ? JSON.parse(row.tree) : row.tree,
              },
      }));
    },

    async save(models) {
      if (models.length === 0) return;
      const values = models.map(({ seriesId, metric, trainedUntil, model }) => [
        seriesId,
        metric,
        trainedUntil,
        model ? new Date(model.trainedFrom) : trainedUntil,
        model?.samples ?? 0,
        model?.rows ?? 0,
        model?.spread ?? 0,
        model?.error ?? 0,
        model?.floorRate ?? 0,
        model ? JSON.stringify(compactTree(model.json)) : null,
      ]);
      await pool.query(
        `INSERT IGNORE INTO models (series_id, metric, trained_until, trained_from, samples, training_rows, spread,
           training_error, floor_rate, tree) VALUES ?`,
        [values],
      );
    },

    async deleteOlderThan(before) {
      const [result] = await pool.query<import('mysql2').ResultSetHeader>(
        'DELETE FROM models WHERE trained_until < ?',
        [before],
      );
      return result.affectedRows;
    },
  };
}

/**
 * A tree as stored: ml-cart's toJSON() without what its load() never reads. toJSON() repeats the options and the
 * sample count in every node, making a depth-5 tree ≈ 7.5 KB, and the trees a third of what an hourly run reads
 * (bench:evaluate). load() takes its name and options from the top and, per node, a leaf's distribution or the
 * split (column, value, gain) and both children: those are kept as they are, so the loaded tree predicts the same.
 */
export function compactTree(json: Record<string, unknown>): Record<string, unknown> {
  return { ...json, root: compactNode(json.root) };
}

function compactNode(node: unknown): unknown {
  if (node === null || typeof node !== 'object') return node;
  const { distribution, splitValue, splitColumn, gain, left, right } = node as Record<string, unknown>;
  if (distribution !== undefined) return { distribution };
  return { splitValue, splitColumn, gain, left: compactNode(left), right: compactNode(right) };
}
