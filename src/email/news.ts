import type { Alert } from '../alerts/alert.js';

/**
 * The pieces of news an alert's current state holds for a person who gets it by email. Each is sent to a
 * recipient at most once (the unique key of email_deliveries), so an alert that merges every hour without
 * changing sends nothing more. Severity is part of the opening (`open_high`, later `open_critical`): severities
 * only rise, so a raise is news once. A resolved alert holds only its resolution: an old job that runs late
 * must not announce an opening after the fact. Pure.
 */
export function newsKinds(alert: Alert): string[] {
  if (alert.status === 'resolved') return ['resolved'];
  const kinds = [`open_${alert.severity}`];
  if (alert.status === 'acknowledged') kinds.push('acknowledged');
  if (alert.recoveredAt) kinds.push('recovered');
  return kinds;
}

/** What an email about these news leads with, most important first. */
export type Headline = 'escalated' | 'resolved' | 'recovered' | 'acknowledged' | 'opened';

const ORDER: readonly Headline[] = ['escalated', 'resolved', 'recovered', 'acknowledged', 'opened'];

/** The headline of an email that carries `kinds` of one alert. */
export function headlineOf(kinds: readonly string[]): Headline {
  const named = kinds.map((kind): Headline => (kind.startsWith('open_') ? 'opened' : (kind as Headline)));
  return ORDER.find((headline) => named.includes(headline)) ?? 'opened';
}

/** The subject's tag for a headline: `[RESOLVED]`, `[ESCALATED]`; an opening has none beyond its severity. */
export function headlineTag(headline: Headline): string {
  return headline === 'opened' ? '' : `[${headline.toUpperCase()}] `;
}
