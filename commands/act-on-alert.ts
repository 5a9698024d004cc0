import type { Alert } from '../src/alerts/alert.js';
import type { AlertAction } from '../src/alerts/alert-state.js';
import { alertLabel, type SlackMessage } from '../src/slack/blocks/common.js';
import { actorText, escapeText } from '../src/slack/escape.js';
import { utcTime } from '../src/slack/time-text.js';
import { actorOf, type CommandDeps, type Requester } from './deps.js';

const DONE: Record<AlertAction, string> = { acknowledge: 'Acknowledged', resolve: 'Resolved' };
const VERB: Record<AlertAction, string> = { acknowledge: 'acknowledged', resolve: 'resolved' };

/** The outcome of a person acting on an alert from Slack, and what to tell them. */
export interface ActOutcome {
  readonly ok: boolean;
  readonly reply: SlackMessage;
}

/**
 * Acknowledges or resolves an alert for a Slack user (button or /alerts): the allow-list first, then the alert
 * service, which decides under a row lock, records the user as `<@U…>` through channel slack, and queues the
 * card's update and thread reply. A refusal — a lost race, a stale button, an alert resolved elsewhere — comes
 * back as a sentence that says who got there first.
 */
export async function actOnAlert(
  deps: CommandDeps,
  who: Requester,
  input: { id: number; action: AlertAction; note?: string | undefined },
): Promise<ActOutcome> {
  const allowed = await deps.allowList.check(who.userId, who.client);
  if (!allowed.ok) return refused(`:no_entry: You cannot change alert #${input.id}: ${allowed.reason}.`);
  const result = await deps.service.act({ ...input, actor: actorOf(who.userId), channel: 'slack' });
  if (result.kind === 'not_found') return refused(`There is no alert #${input.id}.`);
  if (result.kind === 'refused') {
    return refused(
      `Alert #${input.id} was not ${VERB[input.action]}: ${whyNot(result.alert, result.reason)}.`,
    );
  }
  const text = `${DONE[input.action]} alert #${result.alert.id} (${alertLabel(result.alert)}). Its card and thread follow.`;
  return { ok: true, reply: { text } };
}

function refused(text: string): ActOutcome {
  return { ok: false, reply: { text } };
}

/** The refusal in our own words, so user-controlled names in it are escaped and Slack mentions stay mentions. */
function whyNot(alert: Alert, reason: string): string {
  if (alert.status === 'resolved') {
    return `it was already resolved by ${actorText(alert.resolvedBy ?? 'someone')}${at(alert.resolvedAt)}`;
  }
  if (alert.status === 'acknowledged' && /acknowledged/.test(reason)) {
    return `it was already acknowledged by ${actorText(alert.acknowledgedBy ?? 'someone')}${at(alert.acknowledgedAt)}`;
  }
  return escapeText(reason);
}

function at(when: Date | null): string {
  return when ? ` at ${utcTime(when)}` : '';
}
