import { DelayedError } from 'bullmq';
import type { Alert } from '../src/alerts/alert.js';
import type { EmailDeps } from '../src/email/email-deps.js';
import { type EscalationSettings, escalationDueAt, escalationSlackText } from '../src/email/escalation.js';
import type { EscalateData, SlackThreadReplyData } from '../src/queue/alert-notifications.js';
import { jobIds } from '../src/queue/job-ids.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import { carriedTo, recordNotified, sendEmails, throwIfUndelivered } from './email-delivery.js';
import { alertSend, normaliseRecipients } from './email-sends.js';

/** What an escalation check came to. */
export type EscalationOutcome =
  | { readonly kind: 'escalated'; readonly emailed: number; readonly slack: boolean }
  | { readonly kind: 'not_due'; readonly dueAt: Date }
  | { readonly kind: 'skipped'; readonly reason: string };

/**
 * `escalate` {alertId}, delayed by `after_minutes` (scheduled by src/queue/alert-notifications.ts whenever an
 * alert opens or changes): if the alert is still new, of an escalating severity, and has been so for long
 * enough, email the escalation list and ask Slack for a thread reply mentioning the on-call group. Acknowledging
 * stops it, resolving ends it. Too early (the severity rose after the job was scheduled): the job waits again.
 */
export function createEscalateHandler(deps: EmailDeps): JobHandler {
  return async (job) => {
    const outcome = await escalateAlert(deps, (job.data as EscalateData).alertId);
    if (outcome.kind === 'not_due') {
      // BullMQ keeps time by the wall clock: wait as long as our clock says is left (at least a second).
      const waitMs = Math.max(outcome.dueAt.getTime() - deps.now().getTime(), 1000);
      await job.moveToDelayed(Date.now() + waitMs, job.token);
      throw new DelayedError();
    }
    return outcome;
  };
}

/**
 * The escalation decision and its side effects, at `deps.now()`. Every step is idempotent (claimed email rows,
 * the Slack reply's jobId, the audit line's dedupeKey), and 'escalated' is written last: a retry after a
 * crash finishes what is missing, and once it is written nothing escalates again.
 */
export async function escalateAlert(deps: EmailDeps, alertId: number): Promise<EscalationOutcome> {
  const settings = deps.escalation;
  if (!settings) return { kind: 'skipped', reason: 'escalation is not configured' };
  const alert = await deps.alerts.get(alertId);
  if (!alert) return { kind: 'skipped', reason: 'no such alert' };
  const events = await deps.alerts.events(alertId);
  if (events.some((e) => e.kind === 'escalated')) return { kind: 'skipped', reason: 'already escalated' };
  const dueAt = escalationDueAt(alert, events, settings);
  if (!dueAt) return { kind: 'skipped', reason: `it is ${alert.status} (${alert.severity})` };
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
  return { kind: 'escalated', emailed: email.emailed, slack };
}

async function emailEscalation(deps: EmailDeps, alert: Alert, settings: EscalationSettings) {
  const recipients = normaliseRecipients(settings.email);
  if (!deps.mailer || recipients.length === 0) return { emailed: 0, result: { outcomes: [], temporary: [] } };
  const minutes = settings.afterMs / 60_000;
  const note = `Nobody acknowledged it within ${minutes} minutes of it becoming ${alert.severity}.`;
  const sends = recipients.map((recipient) => ({
    ...alertSend(deps, alert, recipient, `escalate_${alert.id}`, note),
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

/** Enqueues the thread reply for the Slack side (jobs there post it once per dedupeKey). */
async function replyInSlack(deps: EmailDeps, alert: Alert, settings: EscalationSettings): Promise<boolean> {
  if (!deps.slackQueue) return false;
  const dedupeKey = `escalate_${alert.id}`;
  const data: SlackThreadReplyData = {
    alertId: alert.id,
    text: escalationSlackText(alert, settings),
    dedupeKey,
  };
  await deps.slackQueue.add(JOB.slackThreadReply, data, { jobId: jobIds.slackThreadReply(dedupeKey) });
  return true;
}
