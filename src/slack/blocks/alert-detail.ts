import type { Alert, AlertEvent } from '../../alerts/alert.js';
import { actorText, escapeText, truncate } from '../escape.js';
import { utcTime } from '../time-text.js';
import { alertCard, type CardContext } from './card.js';
import { type Block, context, type SlackMessage } from './common.js';

/** Audit-trail lines shown at most (the newest); the REST API has them all. */
const MAX_EVENTS = 25;

/** The answer to `/alerts show <id>`: the alert's card, then its audit trail (who, what, when, through what). Pure. */
export function alertDetailMessage(
  alert: Alert,
  events: readonly AlertEvent[],
  ctx: CardContext,
): SlackMessage {
  const card = alertCard(alert, ctx);
  const shown = events.slice(-MAX_EVENTS);
  const lines = shown.map(eventLine);
  if (events.length > shown.length) lines.unshift(`…${events.length - shown.length} earlier events`);
  const trail: Block[] = [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Audit trail*\n${lines.join('\n')}`, 2900) } },
  ];
  if (events.length === 0) trail.push(context('No events recorded.'));
  return { text: card.text, blocks: [...(card.blocks ?? []), ...trail] };
}

/** `2026-11-21 14:05 UTC · acknowledged by <@U1> (slack)` with the detail that matters. */
export function eventLine(event: AlertEvent): string {
  const detail = event.detail ?? {};
  const extra = [detail.note, detail.severity, detail.kind, detail.until, detail.error]
    .filter((v) => typeof v === 'string' && v.length > 0)
    .map((v) => escapeText(String(v)));
  const suffix = extra.length > 0 ? ` — ${truncate(extra.join(', '), 200)}` : '';
  return `${utcTime(event.createdAt, true)} · *${escapeText(event.kind)}* by ${actorText(event.actor)} (${escapeText(event.channel)})${suffix}`;
}
