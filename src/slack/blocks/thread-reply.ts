import type { Alert, AlertEvent } from '../../alerts/alert.js';
import { actorText, escapeText } from '../escape.js';
import { utcTime } from '../time-text.js';
import { alertLabel } from './common.js';

/**
 * Audit-trail kinds that also go to the thread of the alert's card. Escalations and mutes post their own
 * replies (src/email/escalate-alert.ts, commands/mute-command.ts), so they are not repeated from the trail.
 */
export const THREAD_EVENT_KINDS: ReadonlySet<string> = new Set([
  'acknowledged',
  'resolved',
  'recovered',
  'merged',
  'severity_raised',
]);

/**
 * The thread reply for one audit-trail event: "Acknowledged by @ana at 14:05 UTC", "Seen again at 18:02 UTC: …".
 * In a digest's thread the reply first names the alert. Undefined for events that get no reply. Pure.
 */
export function threadReplyText(event: AlertEvent, alert: Alert, inDigest: boolean): string | undefined {
  const text = describe(event);
  if (text === undefined) return undefined;
  const via = VIA[event.channel] ?? '';
  const prefix = inDigest ? `Alert #${alert.id} ${alertLabel(alert)}: ` : '';
  return `${prefix}${text}${via}`;
}

const VIA: Readonly<Record<string, string>> = {
  email: ' (via email)',
  api: ' (via api)',
  web: ' (on the alert page)',
};

function describe(event: AlertEvent): string | undefined {
  const at = utcTime(event.createdAt);
  const detail = event.detail ?? {};
  const who = actorText(event.actor);
  switch (event.kind) {
    case 'acknowledged':
      return `:eyes: Acknowledged by ${who} at ${at}`;
    case 'resolved': {
      const note = typeof detail.note === 'string' ? ` — “${escapeText(detail.note)}”` : '';
      return event.channel === 'auto'
        ? `:white_check_mark: Resolved automatically at ${at}${note}`
        : `:white_check_mark: Resolved by ${who} at ${at}${note}`;
    }
    case 'recovered':
      return `:seedling: Recovered: back to normal for ${String(detail.normal_hours ?? 'some')} hour(s) at ${at}`;
    case 'merged':
      return `:repeat: Seen again at ${at}${typeof detail.title === 'string' ? `: ${escapeText(detail.title)}` : ''}`;
    case 'severity_raised':
      return `:arrow_up: Severity raised from ${escapeText(String(detail.from))} to ${escapeText(String(detail.to))}`;
    default:
      return undefined;
  }
}
