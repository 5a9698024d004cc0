import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** What started a run: the hourly schedule, the start-up catch-up, the outbox sweep (a lost run), the CLI. */
export type RunTrigger = 'schedule' | 'catch-up' | 'sweep' | 'cli';

export interface EvaluationRunStore {
  /** Records that the hour's evaluation started (again); returns false if it had already finished. */
  start(hourStart: Date, trigger: RunTrigger, at: Date): Promise<boolean>;
  /** Records the run as done; returns how long it took and what triggered it. */
  finish(
    hourStart: Date,
    stats: { seriesTotal: number; findings: number },
    at: Date,
  ): Promise<{ durationMs: number; trigger: RunTrigger }>;
  /** The latest hour whose evaluation finished, if any. */
  latestFinished(): Promise<Date | undefined>;
  isFinished(hourStart: Date): Promise<boolean>;
  /** The first hour ever evaluated (hours before it were never due), if any. */
  earliest(): Promise<Date | undefined>;
  /** Hours in [from, to] whose evaluation finished. */
  finishedBetween(from: Date, to: Date): Promise<Date[]>;
  /** When the latest run finished (any hour), if any. */
  lastFinishedAt(): Promise<Date | undefined>;
}

export function createEvaluationRunStore(pool: Pool): EvaluationRunStore {
  return {
    async start(hourStart, trigger, at) {
      const [result] = await pool.query<ResultSetHeader>(
        `INSERT INTO evaluation_runs (hour_start, status, trigger_kind, started_at) VALUES (?, 'running', ?, ?)
         ON DUPLICATE KEY UPDATE started_at = IF(status = 'done', started_at, VALUES(started_at))`,
        [hourStart, trigger, at],
      );
      if (result.affectedRows > 0) return true;
      return !(await this.isFinished(hourStart));
    },

    async finish(hourStart, { seriesTotal, findings }, at) {
      await pool.query(
        `UPDATE evaluation_runs SET status = 'done', series_total = ?, findings = ?, finished_at = ?,
           duration_ms = GREATEST(0, TIMESTAMPDIFF(MICROSECOND, started_at, ?) DIV 1000) WHERE hour_start = ?`,
        [seriesTotal, findings, at, at, hourStart],
      );
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT duration_ms, trigger_kind FROM evaluation_runs WHERE hour_start = ?',
        [hourStart],
      );
      return {
        durationMs: Number(rows[0]?.duration_ms ?? 0),
        trigger: (rows[0]?.trigger_kind ?? 'schedule') as RunTrigger,
      };
    },

    async latestFinished() {
      const [rows] = await pool.query<RowDataPacket[]>(
        "SELECT MAX(hour_start) AS latest FROM evaluation_runs WHERE status = 'done'",
      );
      return rows[0]?.latest ?? undefined;
    },

    async earliest() {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT MIN(hour_start) AS first FROM evaluation_runs',
      );
      return rows[0]?.first ?? undefined;
    },

    async finishedBetween(from, to) {
      const [rows] = await pool.query<RowDataPacket[]>(
        "SELECT hour_start FROM evaluation_runs WHERE status = 'done' AND hour_start BETWEEN ? AND ? ORDER BY hour_start",
        [from, to],
      );
      return rows.map((row) => row.hour_start as Date);
    },

    async lastFinishedAt() {
      const [rows] = await pool.query<RowDataPacket[]>(
        "SELECT MAX(finished_at) AS last FROM evaluation_runs WHERE status = 'done'",
      );
      return rows[0]?.last ?? undefined;
    },

    async isFinished(hourStart) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT status FROM evaluation_runs WHERE hour_start = ?',
        [hourStart],
      );
      return rows[0]?.status === 'done';
    },
  };
}
