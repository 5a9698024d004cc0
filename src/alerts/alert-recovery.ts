import type { AlertWrite, StoredAlert } from './alert-store.js';
import { transitionWrite } from './alert-transition.js';

const HOUR_MS = 3_600_000;

/** When an alert counts as recovered, and whether recovery resolves it (RECOVERY_HOURS, AUTO_RESOLVE). */
export interface RecoverySettings {
  /** Consecutive normal evaluated hours after which an open alert is marked recovered. */
  readonly recoveryHours: number;
  /** Resolve a recovered alert (as `ratewatch`, note "recovered"). */
  readonly autoResolve: boolean;
}

/** What counting one normal hour writes; `recovered` when this hour completed the alert's recovery. */
export interface NormalHourWrite extends AlertWrite {
  readonly recovered: boolean;
}

/**
 * Counts an evaluated hour in which the alert's metric was normal. Nothing to write (undefined) when the alert
 * is resolved or this hour — or a later one — was already counted (a retried batch). The hour right after the
 * last counted one extends the run of normal hours; after a gap the run starts again at 1. Reaching
 * `recoveryHours` marks the alert recovered (once: `recovered`, revision + 1) and, with `autoResolve`, resolves
 * it too. A finding merging in later resets the run (decideMerge). Pure; `alert` is as locked by the caller.
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
  if (!recovered) return { change: counted, events: [], recovered };
  const recovery: AlertWrite = {
    change: { ...counted, recoveredAt: at, revision: alert.revision + 1 },
    events: [
      { kind: 'recovered', actor: 'ratewatch', channel: 'auto', detail: { normal_hours: normalHours } },
    ],
  };
  if (!settings.autoResolve) return { ...recovery, recovered };
  const resolution = transitionWrite({ revision: alert.revision + 1 }, 'resolved', {
    actor: 'ratewatch',
    channel: 'auto',
    at,
    note: 'recovered',
  });
  return {
    change: { ...recovery.change, ...resolution.change },
    events: [...recovery.events, ...resolution.events],
    recovered,
  };
}
