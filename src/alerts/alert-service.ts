import type { Severity } from '../detection/types.js';
import type { Alert } from './alert.js';
import { type AlertFinding, isApiFinding } from './alert-finding.js';
import { decideMerge, type Occurrence } from './alert-merge.js';
import { decideNormalHour, decideNormalTick, type RecoverySettings } from './alert-recovery.js';
import { type AlertAction, alertKey, type Channel } from './alert-state.js';
import type { AlertStore, AlertTransaction, AlertWrite, StoredAlert } from './alert-store.js';
import { findingExcess, findingTitle } from './alert-text.js';
import { decideTransition, transitionWrite } from './alert-transition.js';
import type { AlertNotifications, ChangeKind, ChangeNotice } from './notifications.js';

/** The outcome of a person's acknowledge or resolve: done, refused with a reason, or no such alert. */
export type ActionResult =
  | { readonly kind: 'done'; readonly alert: Alert }
  | { readonly kind: 'refused'; readonly alert: Alert; readonly reason: string }
  | { readonly kind: 'not_found' };

/** An alert raised by another system through `POST /v1/alerts`. */
export interface ExternalAlert {
  readonly source: string;
  readonly environment: string;
  /** The API it is about (alerts of API calls), or null: merged with ours under (source, environment, api, metric). */
  readonly api: string | null;
  readonly metric: string;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: string | null;
  /** Who raised it (recorded in the audit trail). */
  readonly actor: string;
}

export type RaiseOutcome = 'created' | 'merged';

export interface RaiseResult {
  readonly alert: Alert;
  readonly outcome: RaiseOutcome;
  readonly severityRaised: boolean;
}

/**
 * A finding recorded now that raised an alert (opened or merged), one recorded now under a mute, or one
 * recorded before (a retried evaluation) with the alert it went to.
 */
export type FindingResult =
  | (RaiseResult & { readonly recorded: true; readonly muted: false })
  | { readonly recorded: true; readonly muted: true }
  | { readonly recorded: false; readonly alertId: number | null; readonly muted: boolean };

/** A finding of an evaluation, for the series and evaluated hour (and tick) it belongs to. */
export interface FindingInput {
  readonly seriesId: number;
  /**
   * The API series (api_series.id) a finding of API calls is about; absent (0) for payment findings. Part of the
   * key a finding is recorded once under; the alert's `api` is the finding's.
   */
  readonly apiSeriesId?: number | undefined;
  /** The evaluated hour; for a tick, the clock hour the tick falls in. */
  readonly hourStart: Date;
  /** The tick instant, for a tick's finding: recorded once per tick, not once per hour. */
  readonly tickAt?: Date | undefined;
  readonly finding: AlertFinding;
  /** A mute covers it: recorded, but no alert. */
  readonly muted: boolean;
  /** When the evaluation ran. */
  readonly at: Date;
  /** The evaluation run (src/alerts/run-key.ts): its alert changes are delivered together when it finishes. */
  readonly runKey: string;
}

export interface AlertService {
  /** Acknowledges or resolves under a row lock, recorded with actor and channel; its card and email follow. */
  act(input: {
    id: number;
    action: AlertAction;
    actor: string;
    channel: Channel;
    note?: string | undefined;
  }): Promise<ActionResult>;
  /** Opens an alert or merges into the open one with the same source, environment, api and metric; notifies. */
  raiseExternal(alert: ExternalAlert): Promise<RaiseResult>;
  /**
   * Records an evaluation's finding once (per series, metric and hour) and, unless muted, opens or merges its
   * alert — in one transaction, together with the deliveries the change owes, so a retried evaluation neither
   * records nor alerts twice. The deliveries are held under `runKey` until `runFinished`, so a storm can become
   * one digest.
   */
  raiseFinding(input: FindingInput): Promise<FindingResult>;
  /**
   * Counts an evaluated hour in which these alert keys' metrics were normal; returns the alerts that recovered
   * (their deliveries held under `runKey`, as findings' are).
   */
  recordNormal(input: {
    keys: readonly string[];
    hourStart: Date;
    at: Date;
    runKey: string;
  }): Promise<Alert[]>;
  /**
   * Counts a tick at which these alert keys' metrics were normal (decideNormalTick); returns the alerts that
   * recovered (their deliveries held under `runKey`). A repeated tick counts once.
   */
  recordNormalTick(input: {
    keys: readonly string[];
    tickAt: Date;
    at: Date;
    runKey: string;
  }): Promise<Alert[]>;
  /**
   * An evaluation run finished (every batch of it): the changes it made are released for delivery as one batch.
   * Any kind of run — the hourly one, a tick between them — ends with this call (src/alerts/README.md).
   */
  runFinished(runKey: string): Promise<void>;
}

/**
 * The one way an alert is raised, merged, recovered or transitioned — evaluation findings, `POST /v1/alerts`,
 * Slack, email links. The decisions are the pure functions of this folder; the store locks the rows they read
 * and writes what they say — and what the change owes each delivery channel (the outbox) — in the same
 * transaction; after the commit, a change outside an evaluation is handed to notifications at once, an
 * evaluation's when its run finishes.
 */
export function createAlertService(deps: {
  alerts: AlertStore;
  notifications: AlertNotifications;
  recovery: RecoverySettings;
  now: () => Date;
}): AlertService {
  const { alerts, notifications } = deps;
  return {
    async act({ id, action, actor, channel, note }) {
      const at = deps.now();
      const result = await alerts.transaction(async (tx) => {
        const alert = await tx.lock(id);
        if (!alert) return undefined;
        const verdict = decideTransition(alert, action);
        if (!verdict.ok) return { alert, verdict };
        const write = transitionWrite(alert, verdict.status, { actor, channel, note, at });
        const changed = await apply(tx, id, write);
        return { alert: changed, verdict, notice: await owe(tx, changed, 'changed', null, at) };
      });
      if (!result) return { kind: 'not_found' };
      if (!result.verdict.ok) return { kind: 'refused', alert: result.alert, reason: result.verdict.reason };
      if (result.notice) await notifications.changed([result.notice]);
      return { kind: 'done', alert: result.alert };
    },

    async raiseExternal(alert) {
      const occurrence = {
        ...alert,
        origin: 'external',
        finding: null,
        channel: 'api',
        at: deps.now(),
      } as const;
      const { result, notice } = await alerts.transaction(async (tx) => {
        const raised = await openOrMerge(tx, occurrence);
        return { result: raised, notice: await owe(tx, raised.alert, 'changed', null, occurrence.at) };
      });
      await notifications.changed([notice]);
      return result;
    },

    raiseFinding(input) {
      return alerts.transaction(async (tx): Promise<FindingResult> => {
        const recorded = await tx.recordFinding({ ...input, apiSeriesId: input.apiSeriesId ?? 0 });
        if (recorded.kind === 'seen')
          return { recorded: false, alertId: recorded.alertId, muted: recorded.muted };
        if (input.muted) return { recorded: true, muted: true };
        const result = await openOrMerge(tx, findingOccurrence(input));
        await tx.linkFinding(recorded.findingId, result.alert.id);
        await owe(tx, result.alert, 'raised', input.runKey, input.at);
        return { ...result, recorded: true, muted: false };
      });
    },

    recordNormal: ({ keys, hourStart, at, runKey }) =>
      countNormal(keys, runKey, at, (alert) => decideNormalHour(alert, hourStart, deps.recovery, at)),

    recordNormalTick: ({ keys, tickAt, at, runKey }) =>
      countNormal(keys, runKey, at, (alert) => decideNormalTick(alert, tickAt, deps.recovery, at)),

    runFinished: (runKey) => notifications.runFinished(runKey),
  };

  /** Applies a normal hour's or tick's decision to each open alert of `keys`, one transaction each. */
  async function countNormal(
    keys: readonly string[],
    runKey: string,
    at: Date,
    decide: (alert: StoredAlert) => ReturnType<typeof decideNormalHour>,
  ): Promise<Alert[]> {
    const recovered: Alert[] = [];
    for (const id of await alerts.openIdsOf(keys)) {
      const alert = await alerts.transaction(async (tx) => {
        const locked = await tx.lock(id);
        const write = locked && decide(locked);
        if (!write) return undefined;
        const changed = await apply(tx, id, write);
        if (!write.recovered) return undefined;
        await owe(tx, changed, 'recovered', runKey, at);
        return changed;
      });
      if (alert) recovered.push(alert);
    }
    return recovered;
  }

  /** Writes what the change owes each channel (the outbox) in its own transaction; returns it for the fast path. */
  async function owe(
    tx: AlertTransaction,
    alert: Alert,
    kind: ChangeKind,
    runKey: string | null,
    at: Date,
  ): Promise<ChangeNotice> {
    const notice = { alertId: alert.id, revision: alert.revision, kind, runKey };
    await tx.recordDeliveries(notice, notifications.channelsFor(kind), at);
    return notice;
  }
}

/**
 * Opens the occurrence's alert or merges it into the open one, as decideMerge says, under the open row's lock,
 * within the caller's transaction: the step every raise path of the service shares (tests seed alerts with it).
 */
export async function openOrMerge(tx: AlertTransaction, occurrence: Occurrence): Promise<RaiseResult> {
  const o = occurrence;
  const open = await tx.lockOpen(alertKey(o.source, o.environment, o.metric, o.api));
  const decision = decideMerge(open, occurrence);
  if (decision.kind === 'open') {
    const id = await tx.insert(decision.alert);
    const alert = await apply(tx, id, { change: {}, events: decision.events });
    return { alert, outcome: 'created', severityRaised: false };
  }
  const alert = await apply(tx, decision.id, decision);
  return { alert, outcome: 'merged', severityRaised: decision.severityRaised };
}

/** Writes a decision to one alert: its change, then its audit lines; returns the alert as it now is. */
async function apply(tx: AlertTransaction, id: number, write: AlertWrite): Promise<Alert> {
  if (Object.keys(write.change).length > 0) await tx.update(id, write.change);
  for (const event of write.events) await tx.addEvent({ ...event, alertId: id });
  return tx.get(id);
}

function findingOccurrence(input: FindingInput): Occurrence {
  const { finding } = input;
  return {
    source: finding.source,
    environment: finding.environment,
    api: isApiFinding(finding) ? finding.api : null,
    metric: finding.metric,
    severity: finding.severity,
    origin: 'detection',
    title: findingTitle(finding),
    summary: findingExcess(finding),
    finding,
    actor: 'ratewatch',
    channel: 'auto',
    at: input.at,
    hourStart: input.hourStart,
  };
}
