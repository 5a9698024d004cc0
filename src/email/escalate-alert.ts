import type { Alert } from '../alerts/alert.js';
import { alertSend, normaliseRecipients } from './alert-send.js';
import { lazyChart } from './chart-images.js';
import type { EmailDeps } from './email-deps.js';
import { type EscalationSettings, escalationDueAt, escalationSlackText } from './escalation.js';
import { carriedTo, recordNotified, sendEmails, throwIfUndelivered } from './send-emails.js';

/**
 * What an escalation check came to. `revision`: the alert's revision the check judged (what the outbox may mark
 * checked); absent when there is no alert to judge.
 */
export type EscalationOutcome =
  | {
      readonly kind: 'escalated';
      readonly emailed: number;
      readonly slack: boolean;
      readonly revision: number;
    }
  | { readonly kind: 'not_due'; readonly dueAt: Date }
  | { readonly kind: 'skipped'; readonly reason: string; readonly revision?: number };

/**
 * The escalation decision and its side effects, at `deps.now()`: if the alert is still new, of an escalating
 * severity, and has been so for long enough, email the escalation list and ask Slack for a thread reply that
 * mentions the on-call group. Too early (the severity rose after the check was scheduled): `not_due`, and the
 * job waits again. Every step is idempotent (claimed email rows, the Slack reply's jobId, the audit line's
 * dedupeKey), and 'escalated' is written last: a retry after a crash finishes what is missing, and once it is
 * written nothing escalates again. The `escalate` job's work.
 */
export async function escalateAlert(deps: EmailDeps, alertId: number): Promise<EscalationOutcome> {
  const settings = deps.escalation;
  if (!settings) return { kind: 'skipped', reason: 'escalation is not configured' };
  const alert = await deps.alerts.get(alertId);
  if (!alert) return { kind: 'skipped', reason: 'no such alert' };
  const events = await deps.alerts.events(alertId);
  const { revision } = alert;
  if (events.some((e) => e.kind === 'escalated'))
    return { kind: 'skipped', reason: 'already escalated', revision };
  const dueAt = escalationDueAt(alert, events, settings);
  if (!dueAt) return { kind: 'skipped', reason: `it is ${alert.status} (${alert.severity})`, revision };
  if (deps.now().getTime() < dueAt.getTime()) return { kind: 'not_due', dueAt };
  const email = await emailEscalation(deps, alert, settings);
  const slack = await replyInSlack(deps, alert, settings);
  await deps.alerts.addEvent({
    alertId,
    kind: 'escalated',
    actor: 'ratewatch',
    channel: 'auto',
    detail: { after_minutes: settings.afterMs / 60_000, emailed: email.emailed, slack },
    dedupeKey: `escalated_${alertId}`,
  });
  throwIfUndelivered(email.result);
  return { kind: 'escalated', emailed: email.emailed, slack, revision };
}

async function emailEscalation(deps: EmailDeps, alert: Alert, settings: EscalationSettings) {
  const recipients = normaliseRecipients(settings.email);
  if (!deps.mailer || recipients.length === 0) return { emailed: 0, result: { outcomes: [], temporary: [] } };
  const minutes = settings.afterMs / 60_000;
  const note = `Nobody acknowledged it within ${minutes} minutes of it becoming ${alert.severity}.`;
  const chart = lazyChart(deps, alert);
  const sends = recipients.map((recipient) => ({
    ...alertSend(deps, alert, recipient, `escalate_${alert.id}`, note, chart),
    items: [{ alertId: alert.id, kind: 'escalated' }],
  }));
  const result = await sendEmails(deps, deps.mailer, sends);
  // A temporary failure retries the whole job before 'escalated' is recorded; the retry resends only what is owed.
  if (result.temporary.length > 0) throwIfUndelivered(result);
  const emailed = carriedTo(result.outcomes, alert.id, ['sent', 'sent_before']);
  await recordNotified(deps, {
    alertId: alert.id,
    kind: 'escalation',
    recipients: emailed,
    dedupeKey: `email_escalation_${alert.id}`,
  });
  return { emailed, result };
}

/** Hands the thread reply to the Slack side (its job posts it once per dedupeKey); false when Slack is off. */
async function replyInSlack(deps: EmailDeps, alert: Alert, settings: EscalationSettings): Promise<boolean> {
  if (!deps.threadReply) return false;
  const text = escalationSlackText(alert, settings);
  await deps.threadReply({ alertId: alert.id, text, dedupeKey: `escalate_${alert.id}` });
  return true;
}
