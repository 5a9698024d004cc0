import { SEVERITIES, type Severity } from '../detection/types.js';

export const ALERT_STATUSES = ['new', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertAction = 'acknowledge' | 'resolve';
/** Through which channel a transition happened. */
export type Channel = 'slack' | 'email' | 'api' | 'auto';
export const CHANNELS: readonly Channel[] = ['slack', 'email', 'api', 'auto'];

/** The part of an alert a transition is decided on. */
export interface AlertStateView {
  readonly status: AlertStatus;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: Date | null;
}

export type TransitionVerdict =
  | { readonly ok: true; readonly status: AlertStatus }
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

function by(actor: string | null, at: Date | null): string {
  const who = actor ? ` by ${actor}` : '';
  const when = at ? ` at ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return `${who}${when}`;
}

/** Severities only rise: the higher of two. */
export function higherSeverity(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b;
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function isAlertStatus(value: unknown): value is AlertStatus {
  return typeof value === 'string' && (ALERT_STATUSES as readonly string[]).includes(value);
}

/** The merge key of an alert: one open alert per source, environment and metric. */
export function alertKey(source: string, environment: string, metric: string): string {
  return `${source}/${environment}/${metric}`;
}
