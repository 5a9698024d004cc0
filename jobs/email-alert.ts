import type { EmailDeps } from '../src/email/email-deps.js';
import { headlineOf, newsKinds } from '../src/email/news.js';
import type { NotifyAlertData } from '../src/queue/alert-notifications.js';
import type { JobHandler } from '../src/queue/workers.js';
import { routeAlert } from '../src/routing/route-alert.js';
import { carriedTo, recordNotified, sendEmails, throwIfUndelivered } from './email-delivery.js';
import { alertSend, normaliseRecipients, summarise } from './email-sends.js';

/**
 * `email-alert` {alertId, revision}: one alert changed outside an evaluation (acknowledged or resolved through
 * any channel, an external alert opened or merged). Each email recipient its routing names gets the news they
 * do not have yet — the opening (per severity), acknowledgement, recovery, resolution — once.
 */
export function createEmailAlertHandler(deps: EmailDeps): JobHandler {
  return async (job) => {
    const { alertId, revision } = job.data as NotifyAlertData;
    return emailAlertChange(deps, alertId, revision);
  };
}

/** The work of one email-alert job (tests call it directly). */
export async function emailAlertChange(deps: EmailDeps, alertId: number, revision: number) {
  if (!deps.mailer) return { skipped: 'SMTP_URL is not set' };
  const alert = await deps.alerts.get(alertId);
  if (!alert) return { skipped: 'no such alert' };
  const recipients = normaliseRecipients(routeAlert(alert, deps.routing).email);
  const prefix = `alert_${alertId}_${revision}`;
  const result = await sendEmails(
    deps,
    deps.mailer,
    recipients.map((recipient) => alertSend(deps, alert, recipient, prefix)),
  );
  await recordNotified(deps, {
    alertId,
    kind: headlineOf(newsKinds(alert)),
    recipients: carriedTo(result.outcomes, alertId, ['sent', 'sent_before']),
    dedupeKey: `email_${alertId}_${revision}`,
  });
  throwIfUndelivered(result);
  return summarise(result.outcomes);
}
