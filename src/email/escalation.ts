import type { Alert, AlertEvent } from '../alerts/alert.js';
import type { RatewatchFile } from '../config-file.js';
import type { Severity } from '../detection/types.js';

/** The RATEWATCH_CONFIG `escalation:` section with its defaults applied. */
export interface EscalationSettings {
  /** Alerts of these severities escalate (default: critical). */
  readonly severities: readonly Severity[];
  /** How long such an alert may stay unacknowledged, in milliseconds (default 15 minutes). */
  readonly afterMs: number;
  /** Who gets the escalation email. */
  readonly email: readonly string[];
  /** Slack mrkdwn mention put in the thread reply, e.g. `<!subteam^S0123ABC|oncall>`. */
  readonly slackMention: string | undefined;
}

export const DEFAULT_ESCALATION_MINUTES = 15;

/** Escalation is on when the file has an `escalation:` section; undefined otherwise. */
export function escalationFromFile(file: RatewatchFile | undefined): EscalationSettings | undefined {
  const section = file?.escalation;
  if (!section) return undefined;
  return {
    severities: (section.severities as Severity[] | undefined) ?? ['critical'],
    afterMs: (section.after_minutes ?? DEFAULT_ESCALATION_MINUTES) * 60_000,
    email: section.email ?? [],
    slackMention: section.slack_mention,
  };
}

/**
 * When the alert escalates if nobody acknowledges it: the moment it first had an escalating severity (its
 * opening, or the severity raise recorded in its audit trail) plus `afterMs`. Undefined when it does not
 * escalate: not new any more (acknowledged stops escalation, resolved ends it) or not of such a severity. Pure.
 */
export function escalationDueAt(
  alert: Alert,
  events: readonly AlertEvent[],
  settings: EscalationSettings,
): Date | undefined {
  if (alert.status !== 'new' || !settings.severities.includes(alert.severity)) return undefined;
  const escalating = (value: unknown) => settings.severities.includes(value as Severity);
  const opened = events.find((e) => e.kind === 'created');
  const raised = events.find((e) => e.kind === 'severity_raised' && escalating(e.detail?.to));
  const since =
    !opened || escalating(opened.detail?.severity) || !raised ? alert.firstSeenAt : raised.createdAt;
  return new Date(since.getTime() + settings.afterMs);
}

/** The Slack thread reply (mrkdwn) that mentions the on-call group. */
export function escalationSlackText(alert: Alert, settings: EscalationSettings): string {
  const minutes = Math.round(settings.afterMs / 60_000);
  const who = settings.slackMention ? `${settings.slackMention} ` : '';
  return (
    `:rotating_light: ${who}alert #${alert.id} (*${alert.severity}*, ${alert.source}/${alert.environment} ` +
    `${alert.metric}) has not been acknowledged for ${minutes} minutes. Please take a look and acknowledge it.`
  );
}
