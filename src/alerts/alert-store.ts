import type { Severity } from '../detection/types.js';
import type { Alert, AlertEvent, AlertEventKind, AlertFilter, AlertHeadline } from './alert.js';
import type { AlertFinding } from './alert-finding.js';
import type { AlertStatus, Channel } from './alert-state.js';
import type { ChangeNotice, DeliveryChannel } from './notifications.js';

/**
 * The alert store as the alerts layer needs it (the port; src/storage/alerts.ts implements it with SQL). The
 * store reads, locks and writes; every lifecycle decision — open or merge, severity only rises, normal hours,
 * recovery, auto-resolve, acknowledge and resolve — is a pure function of this folder, applied by the alert
 * service (alert-service.ts) inside `transaction`.
 */

/** An alert with the bookkeeping its lifecycle decisions read (never shown to anyone). */
export interface StoredAlert extends Alert {
  /** The latest evaluated hour that counted for this alert (a finding, or a normal hour). */
  readonly lastEvaluatedHour: Date | null;
  /** Consecutive evaluated hours in which its metric was normal, up to `lastEvaluatedHour`. */
  readonly normalHours: number;
  /** The latest tick that counted for this alert as normal (null: none since it opened). */
  readonly lastTickAt: Date | null;
  /** Ticks in which its metric was normal since its last finding (a merge starts them over). */
  readonly normalTicks: number;
}

/** A new alert as a decision opens it: open (status new) under its key until it is resolved. */
export interface NewAlert extends AlertHeadline {
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  readonly lastFinding: AlertFinding | null;
  readonly lastEvaluatedHour: Date | null;
}

/** The fields a decision changes; the store writes exactly these. Resolving also frees the alert's key. */
export interface AlertChange {
  readonly status?: AlertStatus;
  readonly severity?: Severity;
  readonly title?: string;
  readonly summary?: string | null;
  readonly occurrences?: number;
  readonly lastSeenAt?: Date;
  readonly lastFinding?: AlertFinding;
  readonly lastEvaluatedHour?: Date;
  readonly normalHours?: number;
  readonly lastTickAt?: Date;
  readonly normalTicks?: number;
  readonly recoveredAt?: Date | null;
  readonly acknowledgedAt?: Date;
  readonly acknowledgedBy?: string;
  readonly resolvedAt?: Date;
  readonly resolvedBy?: string;
  readonly resolutionNote?: string | null;
  readonly revision?: number;
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

/** An audit line a decision asks for, before the store knows which alert id it goes to. */
export type EventDraft = Omit<NewAlertEvent, 'alertId'>;

/** What a decision writes to one alert: its changed fields and the audit lines that say why. */
export interface AlertWrite {
  readonly change: AlertChange;
  readonly events: readonly EventDraft[];
}

/**
 * A finding to record once per series, API, metric, evaluated hour and tick (the key of the findings table): the
 * hourly run's have no `tickAt`, a tick's carry its instant (inside `hourStart`'s hour).
 */
export interface FindingEntry {
  readonly seriesId: number;
  /** The API series of a finding of API calls; 0 for payment findings. */
  readonly apiSeriesId: number;
  readonly hourStart: Date;
  readonly tickAt?: Date | undefined;
  readonly finding: AlertFinding;
  readonly muted: boolean;
}

/** A finding recorded now (with its row id), or one recorded before and what became of it. */
export type FindingEntryResult =
  | { readonly kind: 'recorded'; readonly findingId: number }
  | { readonly kind: 'seen'; readonly alertId: number | null; readonly muted: boolean };

/** What the alert service does within one transaction; rows it locks stay locked until the work ends. */
export interface AlertTransaction {
  /** The open alert with this key (`alertKey`: source/environment/metric[/api]), locked. */
  lockOpen(key: string): Promise<StoredAlert | undefined>;
  /** The alert, locked. */
  lock(id: number): Promise<StoredAlert | undefined>;
  /** Inserts an open alert; returns its id. Two transactions opening one key: the second is run again. */
  insert(alert: NewAlert): Promise<number>;
  update(id: number, change: AlertChange): Promise<void>;
  addEvent(event: NewAlertEvent): Promise<boolean>;
  get(id: number): Promise<Alert>;
  /** Records the finding unless one with its key exists (idempotency in the schema). */
  recordFinding(entry: FindingEntry): Promise<FindingEntryResult>;
  /** Notes which alert a recorded finding opened or merged into. */
  linkFinding(findingId: number, alertId: number): Promise<void>;
  /**
   * The outbox: records that this change is owed to each channel, in the change's own transaction (once per
   * alert, revision and channel). Changes of a run are held until the run finishes; others are due at once.
   */
  recordDeliveries(change: ChangeNotice, channels: readonly DeliveryChannel[], at: Date): Promise<void>;
}

/** What everything but the alert service does with alerts: reads them, and adds notes to their audit trail. */
export interface AlertReader {
  get(id: number): Promise<Alert | undefined>;
  findOpen(key: string): Promise<Alert | undefined>;
  list(
    filter: AlertFilter,
    page: { limit: number; offset: number },
  ): Promise<{ alerts: Alert[]; total: number }>;
  events(alertId: number): Promise<AlertEvent[]>;
  /**
   * Appends a note (notified, muted, escalated, notify_failed) to the audit trail — never a change of state;
   * with a dedupe key, only once. Returns whether it was added.
   */
  addEvent(event: NewAlertEvent): Promise<boolean>;
}

/** The whole port: reads, plus the lifecycle writes only the alert service makes. */
export interface AlertStore extends AlertReader {
  /** Runs `work` in one transaction (rolled back if it throws; run again if two producers opened one key). */
  transaction<T>(work: (tx: AlertTransaction) => Promise<T>): Promise<T>;
  /** Ids of the open alerts with these keys. */
  openIdsOf(keys: readonly string[]): Promise<number[]>;
}
