import type { Finding, Severity } from '../detection/types.js';
import type { Alert } from './alert.js';
import { decideMerge, type Occurrence } from './alert-merge.js';
import { decideNormalHour, type RecoverySettings } from './alert-recovery.js';
import { type AlertAction, alertKey, type Channel } from './alert-state.js';
import type { AlertStore, AlertTransaction, AlertWrite } from './alert-store.js';
import { findingExcess, findingTitle } from './alert-text.js';
import { decideTransition, transitionWrite } from './alert-transition.js';
import type { AlertNotifications } from './notifications.js';

/** The outcome of a person's acknowledge or resolve: done, refused with a reason, or no such alert. */
export type ActionResult =
  | { readonly kind: 'done'; readonly alert: Alert }
  | { readonly kind: 'refused'; readonly alert: Alert; readonly reason: string }
  | { readonly kind: 'not_found' };

/** An alert raised by another system through `POST /v1/alerts`. */
export interface ExternalAlert {
  readonly source: string;
  readonly environment: string;
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

/** A finding of an evaluation, for the series and evaluated hour it belongs to. */
export interface FindingInput {
  readonly seriesId: number;
  readonly hourStart: Date;
  readonly finding: Finding;
  /** A mute covers it: recorded, but no alert. */
  readonly muted: boolean;
  /** When the evaluation ran. */
  readonly at: Date;
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
  /** Opens an alert or merges into the open one with the same source, environment and metric; notifies. */
  raiseExternal(alert: ExternalAlert): Promise<RaiseResult>;
  /**
   * Records an evaluation's finding once (per series, metric and hour) and, unless muted, opens or merges its
   * alert — in one transaction, so a retried evaluation neither records nor alerts twice. Notifies nothing:
   * `hourEvaluated` hands the whole hour over at once, so a storm can become one digest.
   */
  raiseFinding(input: FindingInput): Promise<FindingResult>;
  /** Counts an evaluated hour in which these alert keys' metrics were normal; returns the alerts that recovered. */
  recordNormal(input: { keys: readonly string[]; hourStart: Date; at: Date }): Promise<Alert[]>;
  /** Hands an evaluated hour's raised and recovered alerts (read back from MySQL) to notifications. */
  hourEvaluated(hourStart: Date): Promise<void>;
}

/**
 * The one way an alert is raised, merged, recovered or transitioned — evaluation findings, `POST /v1/alerts`,
 * Slack, email links. The decisions are the pure functions of this folder; the store locks the rows they read
 * and writes what they say in the same transaction; every change outside an evaluation is handed to
 * notifications so the Slack card and email follow.
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
        return { alert: await apply(tx, id, write), verdict };
      });
      if (!result) return { kind: 'not_found' };
      if (!result.verdict.ok) return { kind: 'refused', alert: result.alert, reason: result.verdict.reason };
      await notifications.alertChanged(result.alert);
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
      const result = await alerts.transaction((tx) => openOrMerge(tx, occurrence));
      await notifications.alertChanged(result.alert);
      return result;
    },

    raiseFinding(input) {
      return alerts.transaction(async (tx): Promise<FindingResult> => {
        const recorded = await tx.recordFinding(input);
        if (recorded.kind === 'seen')
          return { recorded: false, alertId: recorded.alertId, muted: recorded.muted };
        if (input.muted) return { recorded: true, muted: true };
        const result = await openOrMerge(tx, findingOccurrence(input));
        await tx.linkFinding(recorded.findingId, result.alert.id);
        return { ...result, recorded: true, muted: false };
      });
    },

    async recordNormal({ keys, hourStart, at }) {
      const recovered: Alert[] = [];
      for (const id of await alerts.openIdsOf(keys)) {
        const alert = await alerts.transaction(async (tx) => {
          const locked = await tx.lock(id);
          const write = locked && decideNormalHour(locked, hourStart, deps.recovery, at);
          if (!write) return undefined;
          const changed = await apply(tx, id, write);
          return write.recovered ? changed : undefined;
        });
        if (alert) recovered.push(alert);
      }
      return recovered;
    },

    async hourEvaluated(hourStart) {
      await notifications.hourEvaluated({
        hourStart,
        raised: await alerts.alertIdsOfHour(hourStart),
        recovered: await alerts.recoveredAtHour(hourStart, deps.recovery.recoveryHours),
      });
    },
  };
}

/**
 * Opens the occurrence's alert or merges it into the open one, as decideMerge says, under the open row's lock,
 * within the caller's transaction: the step every raise path of the service shares (tests seed alerts with it).
 */
export async function openOrMerge(tx: AlertTransaction, occurrence: Occurrence): Promise<RaiseResult> {
  const open = await tx.lockOpen(alertKey(occurrence.source, occurrence.environment, occurrence.metric));
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
