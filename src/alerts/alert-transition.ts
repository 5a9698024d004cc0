import type { AlertAction, AlertStatus, Channel } from './alert-state.js';
import type { AlertWrite } from './alert-store.js';

/** The part of an alert a transition is decided on. */
export interface AlertStateView {
  readonly status: AlertStatus;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: Date | null;
}

export type TransitionVerdict =
  | { readonly ok: true; readonly status: 'acknowledged' | 'resolved' }
  | { readonly ok: false; readonly reason: string };

/**
 * The alert state machine: new → acknowledged → resolved, or new → resolved. Resolved is final (a later
 * occurrence opens a new alert). Acknowledging twice, or acting on a resolved alert, is refused with a reason
 * that says who got there first — which is what a person whose click lost a race needs to read.
 */
export function decideTransition(alert: AlertStateView, action: AlertAction): TransitionVerdict {
  if (alert.status === 'resolved') {
    return { ok: false, reason: `it was already resolved${by(alert.resolvedBy, alert.resolvedAt)}` };
  }
  if (action === 'acknowledge') {
    if (alert.status === 'acknowledged') {
      return {
        ok: false,
        reason: `it was already acknowledged${by(alert.acknowledgedBy, alert.acknowledgedAt)}`,
      };
    }
    return { ok: true, status: 'acknowledged' };
  }
  return { ok: true, status: 'resolved' };
}

/** Who acts, through which channel, when, and why (a resolution note). */
export interface Actor {
  readonly actor: string;
  readonly channel: Channel;
  readonly at: Date;
  readonly note?: string | undefined;
}

/**
 * What an allowed transition writes: acknowledged records who and when; resolved records who, when and the
 * note, and frees the alert's key (a later occurrence opens a new alert). Either way the revision goes up and
 * the audit trail gets a line (with the note, if any). Pure; `alert` is the alert as locked by the caller.
 */
export function transitionWrite(
  alert: { readonly revision: number },
  to: 'acknowledged' | 'resolved',
  by: Actor,
): AlertWrite {
  const event = {
    kind: to,
    actor: by.actor,
    channel: by.channel,
    detail: by.note ? { note: by.note } : null,
  };
  const change =
    to === 'acknowledged'
      ? { status: to, acknowledgedAt: by.at, acknowledgedBy: by.actor }
      : { status: to, resolvedAt: by.at, resolvedBy: by.actor, resolutionNote: by.note ?? null };
  return { change: { ...change, revision: alert.revision + 1 }, events: [event] };
}

function by(actor: string | null, at: Date | null): string {
  const who = actor ? ` by ${actor}` : '';
  const when = at ? ` at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return `${who}${when}`;
}
