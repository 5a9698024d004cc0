import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** A mute: findings of the source (one environment / metric, or all) are recorded but raise no alert until it ends. */
export interface Mute {
  readonly id: number;
  readonly source: string;
  readonly environment: string | null;
  readonly metric: string | null;
  /** One api of the source (alerts of API calls), or null: all of it. */
  readonly api: string | null;
  readonly until: Date;
  readonly createdBy: string;
}

export interface MuteStore {
  add(mute: Omit<Mute, 'id'>): Promise<Mute>;
  /** Ends the active mutes of a source (and metric, if given) now; returns how many ended. */
  end(input: { source: string; metric?: string | undefined; at: Date }): Promise<number>;
  /** Mutes active at `at`, for all sources. */
  active(at: Date): Promise<Mute[]>;
}

export function createMuteStore(pool: Pool): MuteStore {
  return {
    async add(mute) {
      const [result] = await pool.query<ResultSetHeader>(
        'INSERT INTO mutes (source, environment, metric, api, until_at, created_by) VALUES (?, ?, ?, ?, ?, ?)',
        [mute.source, mute.environment, mute.metric, mute.api, mute.until, mute.createdBy],
      );
      return { ...mute, id: result.insertId };
    },

    async end({ source, metric, at }) {
      const [result] = await pool.query<ResultSetHeader>(
        `UPDATE mutes SET ended_at = ?, until_at = LEAST(until_at, ?)
         WHERE source = ? AND ended_at IS NULL AND until_at > ? ${metric ? 'AND (metric = ? OR metric IS NULL)' : ''}`,
        metric ? [at, at, source, at, metric] : [at, at, source, at],
      );
      return result.affectedRows;
    },

    async active(at) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT * FROM mutes WHERE ended_at IS NULL AND until_at > ? ORDER BY id',
        [at],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        source: row.source,
        environment: row.environment,
        metric: row.metric,
        api: row.api ?? null,
        until: row.until_at,
        createdBy: row.created_by,
      }));
    },
  };
}

/** Whether one of `mutes` covers this source, environment, metric and api (null: a payment finding). */
export function isMuted(
  mutes: readonly Mute[],
  source: string,
  environment: string,
  metric: string,
  api: string | null = null,
): boolean {
  return mutes.some(
    (m) =>
      m.source === source &&
      (m.environment === null || m.environment === environment) &&
      (m.metric === null || m.metric === metric) &&
      (m.api === null || m.api === api),
  );
}
