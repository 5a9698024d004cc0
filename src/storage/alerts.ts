import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Alert, AlertEvent } from '../alerts/alert.js';
import { type AlertFinding, alertFindingFromRecord, alertFindingToJson } from '../alerts/alert-finding.js';
import { alertKey } from '../alerts/alert-state.js';
import type {
  AlertChange,
  AlertStore,
  AlertTransaction,
  FindingEntry,
  NewAlert,
  NewAlertEvent,
  StoredAlert,
} from '../alerts/alert-store.js';
import type { ChangeNotice, DeliveryChannel } from '../alerts/notifications.js';
import { inTransaction, type Pool } from './db.js';

const MAX_RACE_RETRIES = 3;

/**
 * An alert's columns and its data window from its findings (ix_findings_alert): the earliest window start, and
 * the end of the latest data judged — the evaluated hour's end, or the window's end when that came sooner.
 */
const ALERT_COLUMNS = `a.*,
  (SELECT MIN(f.window_start) FROM findings f WHERE f.alert_id = a.id) AS data_start,
  (SELECT MAX(LEAST(f.window_end, TIMESTAMPADD(HOUR, 1, f.hour_start))) FROM findings f WHERE f.alert_id = a.id)
    AS data_end`;

/**
 * The alert store in MySQL (the port is src/alerts/alert-store.ts): reads, row locks and writes, no lifecycle
 * decision. `open_key` (`alertKey`: "source/environment/metric[/api]" while open, NULL once resolved) is
 * unique, so at most one open alert exists per key.
 */
export function createAlertStore(pool: Pool): AlertStore {
  return {
    transaction: (work) => withRaceRetry(() => inTransaction(pool, (tx) => work(transactionOn(tx)))),

    async openIdsOf(keys) {
      if (keys.length === 0) return [];
      const [rows] = await pool.query<RowDataPacket[]>('SELECT id FROM alerts WHERE open_key IN (?)', [keys]);
      return rows.map((row) => Number(row.id));
    },

    get: (id) => selectAlert(pool, 'id = ?', [id]),
    findOpen: (key) => selectAlert(pool, 'open_key = ?', [key]),

    async list(filter, { limit, offset }) {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [column, value] of [
        ['status', filter.status],
        ['severity', filter.severity],
        ['source', filter.source],
        ['environment', filter.environment],
        ['api', filter.api],
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
        `SELECT ${ALERT_COLUMNS} FROM alerts a ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
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

    addEvent: (event) => insertEvent(pool, event),
  };
}

type Queryable = Pool | PoolConnection;

function transactionOn(tx: PoolConnection): AlertTransaction {
  return {
    lockOpen: (key) => lockAlert(tx, 'open_key = ?', [key]),
    lock: (id) => lockAlert(tx, 'id = ?', [id]),
    insert: (alert) => insertAlert(tx, alert),
    update: (id, change) => updateAlert(tx, id, change),
    addEvent: (event) => insertEvent(tx, event),
    get: async (id) => (await selectAlert(tx, 'id = ?', [id])) as Alert,
    recordFinding: (entry) => insertFinding(tx, entry),
    async linkFinding(findingId, alertId) {
      await tx.query('UPDATE findings SET alert_id = ? WHERE id = ?', [alertId, findingId]);
    },
    recordDeliveries: (change, channels, at) => insertDeliveries(tx, change, channels, at),
  };
}

/**
 * The outbox rows of one change, in the change's transaction. INSERT IGNORE on (alert, revision, channel): a
 * change is owed once per channel. A run's changes are held (released_at NULL) until the run finishes.
 */
async function insertDeliveries(
  tx: PoolConnection,
  change: ChangeNotice,
  channels: readonly DeliveryChannel[],
  at: Date,
): Promise<void> {
  if (channels.length === 0) return;
  const releasedAt = change.runKey === null ? at : null;
  await tx.query(
    `INSERT IGNORE INTO deliveries (alert_id, revision, channel, change_kind, run_key, created_at, released_at)
     VALUES ?`,
    [channels.map((c) => [change.alertId, change.revision, c, change.kind, change.runKey, at, releasedAt])],
  );
}

async function insertAlert(tx: PoolConnection, a: NewAlert): Promise<number> {
  const [result] = await tx.query<ResultSetHeader>(
    `INSERT INTO alerts (source, environment, api, metric, open_key, status, severity, origin, title, summary,
       first_seen_at, last_seen_at, last_finding, last_evaluated_hour)
     VALUES (?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      a.source,
      a.environment,
      a.api ?? '',
      a.metric,
      alertKey(a.source, a.environment, a.metric, a.api),
      a.severity,
      a.origin,
      a.title,
      a.summary,
      a.firstSeenAt,
      a.lastSeenAt,
      a.lastFinding ? alertFindingToJson(a.lastFinding) : null,
      a.lastEvaluatedHour,
    ],
  );
  return result.insertId;
}

/** The column of each field a decision may change. */
const COLUMNS: Record<keyof AlertChange, string> = {
  status: 'status',
  severity: 'severity',
  title: 'title',
  summary: 'summary',
  occurrences: 'occurrences',
  lastSeenAt: 'last_seen_at',
  lastFinding: 'last_finding',
  lastEvaluatedHour: 'last_evaluated_hour',
  normalHours: 'normal_hours',
  lastTickAt: 'last_tick_at',
  normalTicks: 'normal_ticks',
  recoveredAt: 'recovered_at',
  acknowledgedAt: 'acknowledged_at',
  acknowledgedBy: 'acknowledged_by',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  resolutionNote: 'resolution_note',
  revision: 'revision',
};

async function updateAlert(tx: PoolConnection, id: number, change: AlertChange): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(change) as [keyof AlertChange, unknown][]) {
    if (value === undefined) continue;
    sets.push(`${COLUMNS[field]} = ?`);
    params.push(field === 'lastFinding' ? alertFindingToJson(value as AlertFinding) : value);
  }
  // A resolved alert gives up its key: the next occurrence opens a new alert.
  if (change.status === 'resolved') sets.push('open_key = NULL');
  if (sets.length === 0) return;
  await tx.query(`UPDATE alerts SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
}

/**
 * INSERT IGNORE on (series, api series, metric, hour, tick minute) — tick minute 0 for the hourly run, 10…50 for
 * a tick inside the hour; api series 0 for payments: a finding seen before says which alert it went to.
 */
async function insertFinding(tx: PoolConnection, entry: FindingEntry) {
  const { finding } = entry;
  const tickMinute = entry.tickAt
    ? Math.round((entry.tickAt.getTime() - entry.hourStart.getTime()) / 60_000)
    : 0;
  const [inserted] = await tx.query<ResultSetHeader>(
    `INSERT IGNORE INTO findings
       (series_id, api_series_id, metric, hour_start, tick_minute, window_start, window_end, severity, score, detail, muted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      entry.seriesId,
      entry.apiSeriesId,
      finding.metric,
      entry.hourStart,
      tickMinute,
      finding.windowStart,
      finding.windowEnd,
      finding.severity,
      finding.score,
      alertFindingToJson(finding),
      entry.muted ? 1 : 0,
    ],
  );
  if (inserted.affectedRows === 1) return { kind: 'recorded', findingId: inserted.insertId } as const;
  const [rows] = await tx.query<RowDataPacket[]>(
    `SELECT alert_id, muted FROM findings
     WHERE series_id = ? AND api_series_id = ? AND metric = ? AND hour_start = ? AND tick_minute = ?`,
    [entry.seriesId, entry.apiSeriesId, finding.metric, entry.hourStart, tickMinute],
  );
  return { kind: 'seen', alertId: rows[0]?.alert_id ?? null, muted: rows[0]?.muted === 1 } as const;
}

async function lockAlert(
  tx: PoolConnection,
  where: string,
  params: unknown[],
): Promise<StoredAlert | undefined> {
  const [rows] = await tx.query<RowDataPacket[]>(`SELECT * FROM alerts WHERE ${where} FOR UPDATE`, params);
  const row = rows[0];
  if (!row) return undefined;
  return {
    ...toAlert(row),
    lastEvaluatedHour: row.last_evaluated_hour,
    normalHours: Number(row.normal_hours),
    lastTickAt: row.last_tick_at ?? null,
    normalTicks: Number(row.normal_ticks ?? 0),
  };
}

async function selectAlert(db: Queryable, where: string, params: unknown[]): Promise<Alert | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT ${ALERT_COLUMNS} FROM alerts a WHERE ${where}`,
    params,
  );
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
  const lastFinding = parseJson(row.last_finding);
  return {
    id: Number(row.id),
    source: row.source,
    environment: row.environment,
    // Stored as '' for payment alerts, so the open key and filters need no NULL handling.
    api: row.api === '' || row.api === null || row.api === undefined ? null : String(row.api),
    metric: row.metric,
    status: row.status,
    severity: row.severity,
    origin: row.origin,
    title: row.title,
    summary: row.summary,
    occurrences: Number(row.occurrences),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    lastFinding: lastFinding === null ? null : (alertFindingFromRecord(lastFinding) ?? null),
    recoveredAt: row.recovered_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolutionNote: row.resolution_note,
    revision: Number(row.revision),
    dataWindow:
      row.data_start && row.data_end ? { start: asDate(row.data_start), end: asDate(row.data_end) } : null,
  };
}

/** A DATETIME read back (a Date; text when the server typed an expression loosely). */
function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`);
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
