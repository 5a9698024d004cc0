import type { types } from '@slack/bolt';
import type { Alert } from '../../alerts/alert.js';
import { actorText, escapeText } from '../escape.js';
import { ACTION } from '../ids.js';
import { utcTime } from '../time-text.js';

export type Block = types.KnownBlock;

/** A message as chat.postMessage / chat.update / respond take it: `text` is the notification and fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: Block[] | undefined;
}

const BADGES: Record<string, string> = {
  low: ':white_circle: LOW',
  medium: ':large_yellow_circle: MEDIUM',
  high: ':large_orange_circle: HIGH',
  critical: ':red_circle: CRITICAL',
};

/** `:red_circle: CRITICAL` (or a check mark once resolved). */
export function severityBadge(alert: Pick<Alert, 'severity' | 'status'>): string {
  const badge = BADGES[alert.severity] ?? alert.severity.toUpperCase();
  return alert.status === 'resolved' ? `:white_check_mark: RESOLVED (${badge.split(' ')[1]})` : badge;
}

/** `card-eu / production · failed`, or `checkout-api / production · POST /v1/payments · latency`, escaped. */
export function alertLabel(alert: Pick<Alert, 'source' | 'environment' | 'metric' | 'api'>): string {
  const api = alert.api === null ? '' : ` · ${escapeText(alert.api)}`;
  return `${escapeText(alert.source)} / ${escapeText(alert.environment)}${api} · ${escapeText(alert.metric)}`;
}

/** What happened to the alert so far, most important first: who acknowledged or resolved it, recovery, repeats. */
export function statusLine(alert: Alert): string {
  const parts: string[] = [];
  if (alert.status === 'resolved') {
    const note = alert.resolutionNote ? ` — “${escapeText(alert.resolutionNote)}”` : '';
    parts.push(`Resolved by ${actorText(alert.resolvedBy ?? 'someone')}${at(alert.resolvedAt)}${note}`);
  } else if (alert.status === 'acknowledged') {
    parts.push(`Acknowledged by ${actorText(alert.acknowledgedBy ?? 'someone')}${at(alert.acknowledgedAt)}`);
  } else {
    parts.push('New: nobody has acknowledged it yet');
  }
  if (alert.recoveredAt) parts.push(`recovered${at(alert.recoveredAt)}`);
  if (alert.occurrences > 1)
    parts.push(`seen ${alert.occurrences} times, last ${utcTime(alert.lastSeenAt, true)}`);
  return parts.join(' · ');
}

function at(when: Date | null): string {
  return when ? ` at ${utcTime(when)}` : '';
}

/** The Acknowledge / Resolve buttons an alert in this state still offers (none once resolved). */
export function actionButtons(alert: Pick<Alert, 'id' | 'status'>): types.Button[] {
  const value = String(alert.id);
  const buttons: types.Button[] = [];
  if (alert.status === 'new') {
    buttons.push({
      type: 'button',
      action_id: ACTION.acknowledge,
      text: { type: 'plain_text', text: 'Acknowledge' },
      style: 'primary',
      value,
    });
  }
  if (alert.status !== 'resolved') {
    buttons.push({
      type: 'button',
      action_id: ACTION.resolve,
      text: { type: 'plain_text', text: 'Resolve' },
      style: 'danger',
      value,
    });
  }
  return buttons;
}

/** A context block of mrkdwn lines. */
export function context(...lines: string[]): Block {
  return { type: 'context', elements: lines.map((text) => ({ type: 'mrkdwn', text })) };
}

/** A mrkdwn section. */
export function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}
