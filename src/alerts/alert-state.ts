import { SEVERITIES, type Severity } from '../detection/types.js';

export const ALERT_STATUSES = ['new', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertAction = 'acknowledge' | 'resolve';
/** Through which channel a transition happened (`web`: the alert page). */
export type Channel = 'slack' | 'email' | 'api' | 'web' | 'auto';

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

/**
 * The merge key of an alert: one open alert per source, environment, api and metric. A payment alert (no api)
 * keys `card-eu/production/failed`; an API alert `checkout-api/production/latency/POST /v1/payments` — the api
 * last, since it may hold `/`: source, environment and metric never do, so the key reads back one way only.
 */
export function alertKey(
  source: string,
  environment: string,
  metric: string,
  api: string | null = null,
): string {
  const base = `${source}/${environment}/${metric}`;
  return api === null || api === '' ? base : `${base}/${api}`;
}
