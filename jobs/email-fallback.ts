import type { EmailDeps } from '../src/email/email-deps.js';
import type { NotifyAlertData } from '../src/queue/alert-notifications.js';
import type { JobHandler } from '../src/queue/workers.js';
import { routeAlert } from '../src/routing/route-alert.js';
import { carriedTo, recordNotified, sendEmails, throwIfUndelivered } from './email-delivery.js';
import { alertSend, normaliseRecipients, summarise } from './email-sends.js';

const NOTE =
  'Slack could not deliver this alert, so it comes to you by email instead (you are a fallback recipient).';

/**
 * `email-fallback` {alertId, revision}, enqueued by the Slack side when delivering that revision's card finally
 * failed: the routing's fallback recipients get the alert's news by email. The audit trail gets
 * `notified` / channel `email` / `{kind: 'fallback', recipients: n}` once per revision — n counts fallback
 * recipients who now have the news by email, whichever email carried it — so that Slack, once it works again,
 * can say that email carried the alert meanwhile.
 */
export function createEmailFallbackHandler(deps: EmailDeps): JobHandler {
  return async (job) => {
    const { alertId, revision } = job.data as NotifyAlertData;
    return emailFallback(deps, alertId, revision);
  };
}

/** The work of one email-fallback job (tests call it directly). */
export async function emailFallback(deps: EmailDeps, alertId: number, revision: number) {
  const alert = await deps.alerts.get(alertId);
  if (!alert) return { skipped: 'no such alert' };
  const recipients = normaliseRecipients(routeAlert(alert, deps.routing).fallbackEmail);
  if (!deps.mailer || recipients.length === 0) {
    deps.logger.error(
      { alertId, revision, smtp: deps.mailer !== undefined, fallbackRecipients: recipients.length },
      'Slack could not deliver an alert and email cannot carry it (set SMTP_URL and EMAIL_FALLBACK_TO)',
    );
    return { skipped: 'no SMTP or no fallback recipients' };
  }
  const prefix = `fallback_${alertId}_${revision}`;
  const result = await sendEmails(
    deps,
    deps.mailer,
    recipients.map((recipient) => alertSend(deps, alert, recipient, prefix, NOTE)),
  );
  await recordNotified(deps, {
    alertId,
    kind: 'fallback',
    recipients: carriedTo(result.outcomes, alertId, ['sent', 'sent_before', 'had_it']),
    dedupeKey: `email_fallback_${alertId}_${revision}`,
  });
  throwIfUndelivered(result);
  return summarise(result.outcomes);
}
