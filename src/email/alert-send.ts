import type { Alert } from '../alerts/alert.js';
import { type ActionUrls, buildAlertEmail } from './alert-message.js';
import { type LazyChart, lazyChart } from './chart-images.js';
import type { EmailDeps } from './email-deps.js';
import { headlineOf, newsKinds } from './news.js';
import { digest, type EmailSend, type SendOutcome } from './send-emails.js';

/** Acknowledge/resolve links for this recipient. */
export function actionsFor(deps: EmailDeps, alert: Alert, recipient: string): ActionUrls {
  return deps.links.urlsFor(alert, recipient, deps.now());
}

/**
 * The email about one alert's current news for one recipient, under `<keyPrefix>_<recipient digest>`, with the
 * alert's chart inline (`chart`: shared by the job's sends, so it is drawn once).
 */
export function alertSend(
  deps: EmailDeps,
  alert: Alert,
  recipient: string,
  keyPrefix: string,
  note?: string,
  chart: LazyChart = lazyChart(deps, alert),
): EmailSend {
  return {
    sendKey: `${keyPrefix}_${digest(recipient)}`,
    recipient,
    items: newsKinds(alert).map((kind) => ({ alertId: alert.id, kind })),
    threadAlertId: alert.id,
    build: async (owned) =>
      buildAlertEmail({
        alert,
        timeZone: deps.timeZoneOf(alert.source),
        headline: headlineOf(owned.map((item) => item.kind)),
        actions: actionsFor(deps, alert, recipient),
        viewUrl: deps.pageUrl?.(alert, recipient),
        note,
        chart: await chart(),
      }),
  };
}

/** Recipients in a stable, lower-cased, de-duplicated order: one email address, one recipient. */
export function normaliseRecipients(addresses: readonly string[]): string[] {
  return [...new Set(addresses.map((a) => a.trim().toLowerCase()).filter((a) => a.length > 0))].sort();
}

/** The job's result as BullMQ keeps it: how many emails went out, and to whom nothing needed to. */
export function summarise(outcomes: readonly SendOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome.status] = (counts[outcome.status] ?? 0) + 1;
  return counts;
}
