import type { Severity } from '../detection/types.js';
import { type AlertFinding, alertFindingToRecord } from './alert-finding.js';
import type { AlertStatus, Channel } from './alert-state.js';

export type AlertOrigin = 'detection' | 'external';

/** An alert as stored and shown. Times are UTC. */
export interface Alert {
  readonly id: number;
  readonly source: string;
  readonly environment: string;
  /** The API an alert of API calls is about (`POST /v1/payments`); null for payment alerts. */
  readonly api: string | null;
  readonly metric: string;
  readonly status: AlertStatus;
  readonly severity: Severity;
  readonly origin: AlertOrigin;
  readonly title: string;
  readonly summary: string | null;
  readonly occurrences: number;
  readonly firstSeenAt: Date;
  readonly lastSeenAt: Date;
  /** The latest finding behind it, for detection alerts; null for external ones. */
  readonly lastFinding: AlertFinding | null;
  readonly recoveredAt: Date | null;
  readonly acknowledgedAt: Date | null;
  readonly acknowledgedBy: string | null;
  readonly resolvedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolutionNote: string | null;
  /** Bumped on every change: notifications are keyed by it, so each change is delivered once. */
  readonly revision: number;
  /**
   * The data its findings judged: from the earliest window start to the end of the latest data evaluated (the
   * evaluated hour's end, or the tick's instant) — not when the evaluation ran. Null without findings.
   */
  readonly dataWindow: { readonly start: Date; readonly end: Date } | null;
}

/** What an alert is about and how it reads: what opens one, and what merging into it brings. */
export type AlertHeadline = Pick<
  Alert,
  'source' | 'environment' | 'api' | 'metric' | 'severity' | 'origin' | 'title' | 'summary'
>;

/** One line of an alert's audit trail. */
export interface AlertEvent {
  readonly id: number;
  readonly alertId: number;
  readonly kind: AlertEventKind;
  readonly actor: string;
  readonly channel: Channel;
  readonly detail: Record<string, unknown> | null;
  readonly createdAt: Date;
}

export type AlertEventKind =
  | 'created'
  | 'merged'
  | 'severity_raised'
  | 'notified'
  | 'acknowledged'
  | 'resolved'
  | 'recovered'
  | 'muted'
  | 'escalated'
  /** A channel refused delivery for good (e.g. SMTP 5xx); detail says which channel, recipient and error. */
  | 'notify_failed';

/** Filters of the alert list (REST API and /alerts). */
export interface AlertFilter {
  readonly status?: AlertStatus | undefined;
  readonly severity?: Severity | undefined;
  readonly source?: string | undefined;
  readonly environment?: string | undefined;
  /** Alerts of this API only (exact name). */
  readonly api?: string | undefined;
}

/** The alert as the REST API returns it: snake_case, ISO times. */
export function alertToJson(alert: Alert): Record<string, unknown> {
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  return {
    id: alert.id,
    source: alert.source,
    environment: alert.environment,
    api: alert.api,
    metric: alert.metric,
    status: alert.status,
    severity: alert.severity,
    origin: alert.origin,
    title: alert.title,
    summary: alert.summary,
    occurrences: alert.occurrences,
    first_seen_at: iso(alert.firstSeenAt),
    last_seen_at: iso(alert.lastSeenAt),
    recovered_at: iso(alert.recoveredAt),
    acknowledged_at: iso(alert.acknowledgedAt),
    acknowledged_by: alert.acknowledgedBy,
    resolved_at: iso(alert.resolvedAt),
    resolved_by: alert.resolvedBy,
    resolution_note: alert.resolutionNote,
    last_finding: alert.lastFinding ? alertFindingToRecord(alert.lastFinding) : null,
  };
}
