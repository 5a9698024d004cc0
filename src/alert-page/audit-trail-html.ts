import type { AlertEvent } from '../alerts/alert.js';
import { utc } from '../email/alert-facts.js';
import { escapeHtml } from '../email/html.js';

/** The audit trail as an ordered list, oldest first: when, what, who, and through which channel. Pure. */
export function auditTrailHtml(events: readonly AlertEvent[]): string {
  if (events.length === 0) return '<p>Nothing recorded yet.</p>';
  const items = events.map(
    (e) =>
      `<li><time datetime="${e.createdAt.toISOString()}">${escapeHtml(utc(e.createdAt))}</time> ` +
      `<span class="what">${escapeHtml(describeEvent(e))}</span>` +
      `<span class="who">${escapeHtml(`${actorName(e.actor)} · ${CHANNELS[e.channel] ?? e.channel}`)}</span></li>`,
  );
  return `<ol class="trail">\n${items.join('\n')}\n</ol>`;
}

const CHANNELS: Readonly<Record<string, string>> = {
  slack: 'Slack',
  email: 'email',
  api: 'API',
  web: 'alert page',
  auto: 'ratewatch',
};

/** One audit line in words: "Acknowledged", "Resolved — “acquirer fixed it”", "Sent to Slack". */
export function describeEvent(event: AlertEvent): string {
  const detail = event.detail ?? {};
  const text = (key: string) => (typeof detail[key] === 'string' ? (detail[key] as string) : undefined);
  switch (event.kind) {
    case 'created':
      return 'Opened';
    case 'merged':
      return text('title') ? `Seen again: ${text('title')}` : 'Seen again';
    case 'severity_raised':
      return `Severity raised from ${String(detail.from)} to ${String(detail.to)}`;
    case 'acknowledged':
      return 'Acknowledged';
    case 'resolved':
      return text('note') ? `Resolved — “${text('note')}”` : 'Resolved';
    case 'recovered':
      return `Back to normal for ${String(detail.normal_hours ?? 'some')} hour(s)`;
    case 'muted':
      return text('until') ? `Muted until ${utc(new Date(text('until') as string))}` : 'Muted';
    case 'escalated':
      return 'Escalated: not acknowledged in time';
    case 'notified':
      return notifiedText(event.channel, detail);
    case 'notify_failed':
      return `Could not be delivered by ${event.channel}`;
    default:
      return event.kind;
  }
}

function notifiedText(channel: string, detail: Record<string, unknown>): string {
  if (channel === 'slack') return detail.kind === 'failed' ? 'Slack could not deliver it' : 'Posted to Slack';
  const recipients = typeof detail.recipients === 'number' ? detail.recipients : undefined;
  const kind = typeof detail.kind === 'string' ? ` (${detail.kind})` : '';
  return `Emailed${recipients === undefined ? '' : ` ${recipients} recipient(s)`}${kind}`;
}

/** A Slack mention `<@U0123>` reads as "Slack user U0123" outside Slack. */
function actorName(actor: string): string {
  const mention = /^<@([A-Z0-9]+)>$/.exec(actor);
  return mention ? `Slack user ${mention[1]}` : actor;
}
