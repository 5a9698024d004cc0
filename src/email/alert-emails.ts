import { routeAlert } from '../routing/route-alert.js';
import { alertSend, normaliseRecipients, summarise } from './alert-send.js';
import { lazyChart } from './chart-images.js';
import type { EmailDeps } from './email-deps.js';
import { headlineOf, newsKinds } from './news.js';
import { carriedTo, recordNotified, sendEmails, throwIfUndelivered } from './send-emails.js';

const FALLBACK_NOTE =
  'Slack could not deliver this alert, so it comes to you by email instead (you are a fallback recipient).';

/**
 * One alert changed outside an evaluation (acknowledged or resolved through any channel, an external alert
 * opened or merged): each email recipient its routing names gets the news they do not have yet — the opening
 * (per severity), acknowledgement, recovery, resolution — once. The `email-alert` job's work.
 */
export async function emailAlertChange(deps: EmailDeps, alertId: number, revision: number) {
  if (!deps.mailer) return { skipped: 'SMTP_URL is not set' };
  const alert = await deps.alerts.get(alertId);
  if (!alert) return { skipped: 'no such alert' };
  const recipients = normaliseRecipients(routeAlert(alert, deps.routing).email);
  const prefix = `alert_${alertId}_${revision}`;
  const chart = lazyChart(deps, alert);
  const result = await sendEmails(
    deps,
    deps.mailer,
    recipients.map((recipient) => alertSend(deps, alert, recipient, prefix, undefined, chart)),
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

/**
 * Slack finally failed to deliver this revision's card: the routing's fallback recipients get the alert's news
 * by email. The audit trail gets `notified` / channel `email` / `{kind: 'fallback', recipients: n}` once per
 * revision — n counts fallback recipients who now have the news by email, whichever email carried it — so that
 * Slack, once it works again, can say that email carried the alert meanwhile. The `email-fallback` job's work.
 */
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
  const chart = lazyChart(deps, alert);
  const result = await sendEmails(
    deps,
    deps.mailer,
    recipients.map((recipient) => alertSend(deps, alert, recipient, prefix, FALLBACK_NOTE, chart)),
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
