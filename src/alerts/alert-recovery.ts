import type { AlertWrite, StoredAlert } from './alert-store.js';
import { transitionWrite } from './alert-transition.js';

const HOUR_MS = 3_600_000;

/**
 * Normal ticks (EVALUATE_EVERY_MINUTES apart, since the alert's last finding) after which an alert is marked
 * recovered: three ticks of 10 minutes are half an hour of minutes judged normal as they came in.
 */
export const RECOVERY_TICKS = 3;

/** When an alert counts as recovered, and whether recovery resolves it (RECOVERY_HOURS, AUTO_RESOLVE). */
export interface RecoverySettings {
  /** Consecutive normal evaluated hours after which an open alert is marked recovered. */
  readonly recoveryHours: number;
  /** Resolve a recovered alert (as `ratewatch`, note "recovered"). */
  readonly autoResolve: boolean;
  /** Normal ticks since the last finding after which an open alert is marked recovered (default RECOVERY_TICKS). */
  readonly recoveryTicks?: number | undefined;
}

/** What counting one normal hour (or tick) writes; `recovered` when it completed the alert's recovery. */
export interface NormalHourWrite extends AlertWrite {
  readonly recovered: boolean;
}

/**
 * Counts an evaluated hour in which the alert's metric was normal. Nothing to write (undefined) when the alert
 * is resolved or this hour — or a later one — was already counted (a retried batch). The hour right after the
 * last counted one extends the run of normal hours; after a gap the run starts again at 1. Reaching
 * `recoveryHours` marks the alert recovered (once: `recovered`, revision + 1) and, with `autoResolve`, resolves
 * it too. An alert the ticks already marked recovered (decideNormalTick) is resolved by the first normal hour
 * with `autoResolve`: the hourly run confirms what the ticks saw. A finding merging in later resets the run
 * (decideMerge). Pure; `alert` is as locked by the caller.
 */
export function decideNormalHour(
  alert: StoredAlert,
  hourStart: Date,
  settings: RecoverySettings,
  at: Date,
): NormalHourWrite | undefined {
  if (alert.status === 'resolved') return undefined;
  const last = alert.lastEvaluatedHour?.getTime();
  if (last !== undefined && last >= hourStart.getTime()) return undefined;
  const consecutive = last !== undefined && last === hourStart.getTime() - HOUR_MS;
  const normalHours = consecutive ? alert.normalHours + 1 : 1;
  const recovered = normalHours >= settings.recoveryHours && alert.recoveredAt === null;
  const counted = { lastEvaluatedHour: hourStart, normalHours };
  if (!recovered) {
    if (alert.recoveredAt !== null && settings.autoResolve) return resolve(alert, counted, [], at);
    return { change: counted, events: [], recovered };
  }
  const recovery: AlertWrite = {
    change: { ...counted, recoveredAt: at, revision: alert.revision + 1 },
    events: [
      { kind: 'recovered', actor: 'ratewatch', channel: 'auto', detail: { normal_hours: normalHours } },
    ],
  };
  if (!settings.autoResolve) return { ...recovery, recovered };
  return resolve({ revision: alert.revision + 1 }, recovery.change, recovery.events, at);
}

/**
 * Counts a tick at which the alert's metric was normal: nothing to write for a resolved alert or a tick at or
 * before the last one counted (a retried or repeated tick). `recoveryTicks` normal ticks since the alert's last
 * finding (a merge sets them back to 0) mark it recovered — once: `recovered`, revision + 1, an audit line with
 * the ticks — so an incident that ended is recognised within a few ticks, not hours. A tick never resolves:
 * with `autoResolve` the next normal hour of the hourly run does (decideNormalHour), so an hourly finding of the
 * same incident merges into this alert rather than opening a second one. Pure; `alert` as locked by the caller.
 */
export function decideNormalTick(
  alert: StoredAlert,
  tickAt: Date,
  settings: RecoverySettings,
  at: Date,
): NormalHourWrite | undefined {
  if (alert.status === 'resolved') return undefined;
  if (alert.lastTickAt !== null && alert.lastTickAt.getTime() >= tickAt.getTime()) return undefined;
  const normalTicks = alert.normalTicks + 1;
  const counted = { lastTickAt: tickAt, normalTicks };
  const recovered = normalTicks >= (settings.recoveryTicks ?? RECOVERY_TICKS) && alert.recoveredAt === null;
  if (!recovered) return { change: counted, events: [], recovered };
  return {
    change: { ...counted, recoveredAt: at, revision: alert.revision + 1 },
    events: [
      { kind: 'recovered', actor: 'ratewatch', channel: 'auto', detail: { normal_ticks: normalTicks } },
    ],
    recovered,
  };
}

/** Adds auto-resolution (as ratewatch, "recovered") to a write; `base.revision` is the revision before it. */
function resolve(
  base: Pick<StoredAlert, 'revision'>,
  change: AlertWrite['change'],
  events: AlertWrite['events'],
  at: Date,
): NormalHourWrite {
  const resolution = transitionWrite({ revision: base.revision }, 'resolved', {
    actor: 'ratewatch',
    channel: 'auto',
    at,
    note: 'recovered',
  });
  return {
    change: { ...change, ...resolution.change },
    events: [...events, ...resolution.events],
    recovered: true,
  };
}
