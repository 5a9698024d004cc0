import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Alert, AlertEvent, AlertEventKind, AlertFilter, AlertOrigin } from '../alerts/alert.js';
import {
  type AlertAction,
  alertKey,
  type Channel,
  decideTransition,
  higherSeverity,
  type TransitionVerdict,
} from '../alerts/alert-state.js';
import type { Severity } from '../detection/types.js';
import { inTransaction, type Pool } from './db.js';

/** What opens or merges into an alert: a finding of ours, or an external producer's alert. */
export interface Occurrence {
  readonly source: string;
  readonly environment: string;
  readonly metric: string;
  readonly severity: Severity;
  readonly origin: AlertOrigin;
  readonly title: string;
  readonly summary: string | null;
  readonly finding: Record<string, unknown> | null;
  /** Who raised it, for the audit trail ("ratewatch" for detection). */
  readonly actor: string;
  readonly channel: Channel;
  readonly at: Date;
  /** The evaluated hour, for detection findings (recovery counts hours after it). */
  readonly hourStart?: Date | undefined;
}

export type RaiseOutcome = 'created' | 'merged';

export interface RaiseResult {
  readonly alert: Alert;
  readonly outcome: RaiseOutcome;
  readonly severityRaised: boolean;
}

export type FindingResult =
  | (RaiseResult & { readonly recorded: true })
  | { readonly recorded: false; readonly alertId: number | null; readonly muted: boolean }
  | { readonly recorded: true; readonly muted: true };

export interface TransitionResult {
  readonly alert: Alert;
  readonly verdict: TransitionVerdict;
}

/** A line to append to an alert's audit trail; `dedupeKey` makes a retried side effect record once. */
export interface NewAlertEvent {
  readonly alertId: number;
  readonly kind: AlertEventKind;
  readonly actor: string;
  readonly channel: Channel;
  readonly detail?: Record<string, unknown> | null;
  readonly dedupeKey?: string;
}

export interface AlertStore {
  /**
   * Records a finding once per (series, metric, hour) and, unless muted, opens its alert or merges into the
   * open one — in one transaction, so a retried evaluation neither records nor alerts twice. A finding seen
   * before returns `recorded: false` with the alert it went to.
   */
  recordFinding(input: {
    seriesId: number;
    hourStart: Date;
    muted: boolean;
    occurrence: Occurrence;
  }): Promise<FindingResult>;
  /** Opens an alert, or merges into the open one with the same key (count and last-seen up, severity only rises). */
  raise(occurrence: Occurrence): Promise<RaiseResult>;
  /** Acknowledges or resolves, deciding under a row lock so that concurrent clicks end in one consistent state. */
  transition(input: {
    id: number;
    action: AlertAction;
    actor: string;
    channel: Channel;
    note?: string | undefined;
    at: Date;
  }): Promise<TransitionResult | undefined>;
  /**
   * Counts an hour in which the metrics of open alerts were normal again; after `recoveryHours` consecutive such
   * hours the alert is marked recovered (and resolved when `autoResolve`). Returns the alerts that changed.
   */
  recordNormal(input: {
    keys: readonly string[];
    hourStart: Date;
    recoveryHours: number;
    autoResolve: boolean;
    at: Date;
  }): Promise<Alert[]>;
  get(id: number): Promise<Alert | undefined>;
  findOpen(key: string): Promise<Alert | undefined>;
  list(
    filter: AlertFilter,
    page: { limit: number; offset: number },
  ): Promise<{ alerts: Alert[]; total: number }>;
  events(alertId: number): Promise<AlertEvent[]>;
  /** Appends to the audit trail; with a dedupe key, only once. Returns whether it was added. */
  addEvent(event: NewAlertEvent): Promise<boolean>;
  /** Alerts that findings of this evaluated hour opened or merged into. */
  alertIdsOfHour(hourStart: Date): Promise<number[]>;
  /** Alerts whose recovery this evaluated hour completed. */
  recoveredAtHour(hourStart: Date, recoveryHours: number): Promise<number[]>;
}

const MAX_RACE_RETRIES = 3;

export function createAlertStore(pool: Pool): AlertStore {
  const store: AlertStore = {
    async recordFinding({ seriesId, hourStart, muted, occurrence }) {
      return withRaceRetry(() =>
        inTransaction(pool, async (tx): Promise<FindingResult> => {
          const f = occurrence.finding ?? {};
          const [inserted] = await tx.query<ResultSetHeader>(
            `INSERT IGNORE INTO findings (series_id, metric, hour_start, window_start, window_end, severity, score, detail, muted)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              seriesId,
              occurrence.metric,
              hourStart,
              new Date(String(f.window_start)),
              new Date(String(f.window_end)),
              occurrence.severity,
              Number(f.score ?? 0),
              JSON.stringify(f),
              muted ? 1 : 0,
            ],
          );
          if (inserted.affectedRows === 0) {
            const [rows] = await tx.query<RowDataPacket[]>(
              'SELECT alert_id, muted FROM findings WHERE series_id = ? AND metric = ? AND hour_start = ?',
              [seriesId, occurrence.metric, hourStart],
            );
            return { recorded: false, alertId: rows[0]?.alert_id ?? null, muted: rows[0]?.muted === 1 };
          }
          if (muted) return { recorded: true, muted: true };
          const result = await raiseIn(tx, occurrence);
          await tx.query('UPDATE findings SET alert_id = ? WHERE id = ?', [
            result.alert.id,
            inserted.insertId,
          ]);
          return { ...result, recorded: true };
        }),
      );
    },

    raise(occurrence) {
      return withRaceRetry(() => inTransaction(pool, (tx) => raiseIn(tx, occurrence)));
    },

    async transition({ id, action, actor, channel, note, at }) {
      return inTransaction(pool, async (tx) => {
        const alert = await lockAlert(tx, 'id = ?', [id]);
        if (!alert) return undefined;
        const verdict = decideTransition(alert, action);
        if (!verdict.ok) return { alert, verdict };
        if (verdict.status === 'acknowledged') {
          await tx.query(
            `UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, revision = revision + 1
             WHERE id = ?`,
            [at, actor, id],
          );
        } else {
          await tx.query(
            `UPDATE alerts SET status = 'resolved', open_key = NULL, resolved_at = ?, resolved_by = ?,
               resolution_note = ?, revision = revision + 1 WHERE id = ?`,
            [at, actor, note ?? null, id],
          );
        }
        const kind = verdict.status === 'acknowledged' ? 'acknowledged' : 'resolved';
        await insertEvent(tx, { alertId: id, kind, actor, channel, detail: note ? { note } : null });
        return { alert: (await selectAlert(tx, 'id = ?', [id])) as Alert, verdict };
      });
    },

    async recordNormal({ keys, hourStart, recoveryHours, autoResolve, at }) {
      if (keys.length === 0) return [];
      const [open] = await pool.query<RowDataPacket[]>('SELECT id FROM alerts WHERE open_key IN (?)', [keys]);
      const changed: Alert[] = [];
      for (const { id } of open) {
        const alert = await inTransaction(pool, (tx) =>
          countNormalHour(tx, id, hourStart, recoveryHours, autoResolve, at),
        );
        if (alert) changed.push(alert);
      }
      return changed;
    },

    async get(id) {
      return selectAlert(pool, 'id = ?', [id]);
    },

    async findOpen(key) {
      return selectAlert(pool, 'open_key = ?', [key]);
    },

    async list(filter, { limit, offset }) {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [column, value] of [
        ['status', filter.status],
        ['severity', filter.severity],
        ['source', filter.source],
        ['environment', filter.environment],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const [[counted]] = await pool.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS total FROM alerts ${clause}`,
        params,
      );
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT * FROM alerts ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
        [...params, limit, offset],
      );
      return { alerts: rows.map(toAlert), total: Number(counted?.total ?? 0) };
    },

    async events(alertId) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT * FROM alert_events WHERE alert_id = ? ORDER BY id',
        [alertId],
      );
      return rows.map(toEvent);
    },

    async addEvent(event) {
      return insertEvent(pool, event);
    },

    async recoveredAtHour(hourStart, recoveryHours) {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT id FROM alerts WHERE last_evaluated_hour = ? AND recovered_at IS NOT NULL AND normal_hours = ?
         ORDER BY id`,
        [hourStart, recoveryHours],
      );
      return rows.map((row) => Number(row.id));
    },

    async alertIdsOfHour(hourStart) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT DISTINCT alert_id FROM findings WHERE hour_start = ? AND alert_id IS NOT NULL ORDER BY alert_id',
        [hourStart],
      );
      return rows.map((row) => Number(row.alert_id));
    },
  };
  return store;
}

type Queryable = Pool | PoolConnection;

async function raiseIn(tx: PoolConnection, o: Occurrence): Promise<RaiseResult> {
  const key = alertKey(o.source, o.environment, o.metric);
  const open = await lockAlert(tx, 'open_key = ?', [key]);
  if (!open) {
    const [result] = await tx.query<ResultSetHeader>(
      `INSERT INTO alerts (source, environment, metric, open_key, status, severity, origin, title, summary,
         first_seen_at, last_seen_at, last_finding, last_evaluated_hour)
       VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        o.source,
        o.environment,
        o.metric,
        key,
        o.severity,
        o.origin,
        o.title,
        o.summary,
        o.at,
        o.at,
        o.finding ? JSON.stringify(o.finding) : null,
        o.hourStart ?? null,
      ],
    );
    const id = result.insertId;
    await insertEvent(tx, {
      alertId: id,
      kind: 'created',
      actor: o.actor,
      channel: o.channel,
      detail: { severity: o.severity, title: o.title },
    });
    return {
      alert: (await selectAlert(tx, 'id = ?', [id])) as Alert,
      outcome: 'created',
      severityRaised: false,
    };
  }
  const severity = higherSeverity(open.severity, o.severity);
  const severityRaised = severity !== open.severity;
  await tx.query(
    `UPDATE alerts SET occurrences = occurrences + 1, last_seen_at = GREATEST(last_seen_at, ?), severity = ?,
       title = ?, summary = ?, last_finding = COALESCE(?, last_finding), normal_hours = 0, recovered_at = NULL,
       last_evaluated_hour = COALESCE(GREATEST(last_evaluated_hour, ?), ?, last_evaluated_hour),
       revision = revision + 1
     WHERE id = ?`,
    [
      o.at,
      severity,
      o.title,
      o.summary,
      o.finding ? JSON.stringify(o.finding) : null,
      o.hourStart ?? null,
      o.hourStart ?? null,
      open.id,
    ],
  );
  await insertEvent(tx, {
    alertId: open.id,
    kind: 'merged',
    actor: o.actor,
    channel: o.channel,
    detail: { severity: o.severity, title: o.title },
  });
  if (severityRaised) {
    await insertEvent(tx, {
      alertId: open.id,
      kind: 'severity_raised',
      actor: o.actor,
      channel: o.channel,
      detail: { from: open.severity, to: severity },
    });
  }
  return { alert: (await selectAlert(tx, 'id = ?', [open.id])) as Alert, outcome: 'merged', severityRaised };
}

async function countNormalHour(
  tx: PoolConnection,
  id: number,
  hourStart: Date,
  recoveryHours: number,
  autoResolve: boolean,
  at: Date,
): Promise<Alert | undefined> {
  const [rows] = await tx.query<RowDataPacket[]>(
    'SELECT last_evaluated_hour, normal_hours, recovered_at, open_key FROM alerts WHERE id = ? FOR UPDATE',
    [id],
  );
  const row = rows[0];
  if (!row || row.open_key === null) return undefined;
  const last: Date | null = row.last_evaluated_hour;
  if (last && last.getTime() >= hourStart.getTime()) return undefined; // this hour was already counted
  const consecutive = last !== null && last.getTime() === hourStart.getTime() - 3_600_000;
  const normalHours = consecutive ? Number(row.normal_hours) + 1 : 1;
  const recovers = normalHours >= recoveryHours && row.recovered_at === null;
  await tx.query(
    `UPDATE alerts SET last_evaluated_hour = ?, normal_hours = ?, recovered_at = IF(?, ?, recovered_at),
       revision = revision + IF(?, 1, 0) WHERE id = ?`,
    [hourStart, normalHours, recovers, at, recovers, id],
  );
  if (!recovers) return undefined;
  await insertEvent(tx, {
    alertId: id,
    kind: 'recovered',
    actor: 'ratewatch',
    channel: 'auto',
    detail: { normal_hours: normalHours },
  });
  if (autoResolve) {
    await tx.query(
      `UPDATE alerts SET status = 'resolved', open_key = NULL, resolved_at = ?, resolved_by = 'ratewatch',
         resolution_note = 'recovered', revision = revision + 1 WHERE id = ?`,
      [at, id],
    );
    await insertEvent(tx, {
      alertId: id,
      kind: 'resolved',
      actor: 'ratewatch',
      channel: 'auto',
      detail: { note: 'recovered' },
    });
  }
  return selectAlert(tx, 'id = ?', [id]);
}

async function lockAlert(tx: PoolConnection, where: string, params: unknown[]): Promise<Alert | undefined> {
  const [rows] = await tx.query<RowDataPacket[]>(`SELECT * FROM alerts WHERE ${where} FOR UPDATE`, params);
  return rows[0] ? toAlert(rows[0]) : undefined;
}

async function selectAlert(db: Queryable, where: string, params: unknown[]): Promise<Alert | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT * FROM alerts WHERE ${where}`, params);
  return rows[0] ? toAlert(rows[0]) : undefined;
}

async function insertEvent(db: Queryable, event: NewAlertEvent): Promise<boolean> {
  const [result] = await db.query<ResultSetHeader>(
    'INSERT IGNORE INTO alert_events (alert_id, kind, actor, channel, detail, dedupe_key) VALUES (?, ?, ?, ?, ?, ?)',
    [
      event.alertId,
      event.kind,
      event.actor,
      event.channel,
      event.detail ? JSON.stringify(event.detail) : null,
      event.dedupeKey ?? null,
    ],
  );
  return result.affectedRows === 1;
}

/** Two producers opening the same key at once: one INSERT loses on the unique open_key; running again merges. */
async function withRaceRetry<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const duplicateOpenKey =
        (error as { code?: string }).code === 'ER_DUP_ENTRY' && /open_key/.test((error as Error).message);
      if (!duplicateOpenKey || attempt >= MAX_RACE_RETRIES) throw error;
    }
  }
}

function toAlert(row: RowDataPacket): Alert {
  return {
    id: Number(row.id),
    source: row.source,
    environment: row.environment,
    metric: row.metric,
    status: row.status,
    severity: row.severity,
    origin: row.origin,
    title: row.title,
    summary: row.summary,
    occurrences: Number(row.occurrences),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    lastFinding: parseJson(row.last_finding),
    recoveredAt: row.recovered_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
    revision: Number(row.revision),
  };
}

function toEvent(row: RowDataPacket): AlertEvent {
  return {
    id: Number(row.id),
    alertId: Number(row.alert_id),
    kind: row.kind,
    actor: row.actor,
    channel: row.channel,
    detail: parseJson(row.detail),
    createdAt: row.created_at,
  };
}

/** JSON columns come back as text on MariaDB (JSON is an alias of LONGTEXT there) and parsed on MySQL 8. */
function parseJson(value: unknown): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string'
    ? (JSON.parse(value) as Record<string, unknown>)
    : (value as Record<string, unknown>);
}
