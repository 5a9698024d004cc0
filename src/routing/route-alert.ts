import type { Severity } from '../detection/types.js';

/** Which alerts a rule matches; every field given must match (source and api patterns may use `*`). */
export interface RouteMatch {
  readonly source?: string | undefined;
  readonly environment?: string | undefined;
  /** Alerts of API calls whose api matches (`POST /v1/*`); a payment alert, which has no api, never does. */
  readonly api?: string | undefined;
  /** The alert's severity must be one of these. */
  readonly severity?: readonly Severity[] | undefined;
}

/** Where matching alerts go. */
export interface RouteRule {
  readonly match: RouteMatch;
  /** Slack channel (id or #name) for the card. */
  readonly channel?: string | undefined;
  /** People without Slack who get these alerts by email. */
  readonly email?: readonly string[] | undefined;
  /** Who gets these alerts by email when Slack delivery fails. */
  readonly fallbackEmail?: readonly string[] | undefined;
}

export interface Routing {
  readonly rules: readonly RouteRule[];
  readonly defaultChannel: string | undefined;
  /** EMAIL_TO: get every alert. */
  readonly email: readonly string[];
  /** EMAIL_FALLBACK_TO: get what Slack failed to deliver. */
  readonly fallbackEmail: readonly string[];
  /** More alerts than this for one channel from one evaluation become one digest card. */
  readonly digestThreshold: number;
}

/** What routing reads of an alert (`api` null for payment alerts). */
export interface RoutedAlert {
  readonly source: string;
  readonly environment: string;
  readonly api: string | null;
  readonly severity: Severity;
}

/** Where one alert goes. */
export interface Route {
  readonly channel: string | undefined;
  readonly email: readonly string[];
  readonly fallbackEmail: readonly string[];
}

/**
 * Routes an alert: the first rule that matches and names a channel decides the channel (else the default
 * channel); email recipients add up over every matching rule plus EMAIL_TO, fallback recipients likewise plus
 * EMAIL_FALLBACK_TO. Pure.
 */
export function routeAlert(alert: RoutedAlert, routing: Routing): Route {
  const matching = routing.rules.filter((rule) => matches(rule.match, alert));
  const channel = matching.find((rule) => rule.channel)?.channel ?? routing.defaultChannel;
  const email = unique([...matching.flatMap((r) => r.email ?? []), ...routing.email]);
  const fallbackEmail = unique([...matching.flatMap((r) => r.fallbackEmail ?? []), ...routing.fallbackEmail]);
  return { channel, email, fallbackEmail };
}

function matches(match: RouteMatch, alert: RoutedAlert): boolean {
  if (match.source !== undefined && !glob(match.source).test(alert.source)) return false;
  if (match.api !== undefined && (alert.api === null || !glob(match.api).test(alert.api))) return false;
  if (match.environment !== undefined && match.environment !== alert.environment) return false;
  if (match.severity !== undefined && !match.severity.includes(alert.severity)) return false;
  return true;
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0))];
}
