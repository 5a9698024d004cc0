import type { Alert } from '../alerts/alert.js';
import type { RunChanges } from '../alerts/notifications.js';
import { parseRunKey } from '../alerts/run-key.js';
import { routeAlert } from '../routing/route-alert.js';
import type { NewsItem } from '../storage/email-deliveries.js';
import { buildAlertEmail } from './alert-message.js';
import { actionsFor, normaliseRecipients, summarise } from './alert-send.js';
import { type LazyChart, lazyChart } from './chart-images.js';
import { buildDigestEmail, DIGEST_CHARTS, digestOrder } from './digest-message.js';
import type { EmailDeps } from './email-deps.js';
import { headlineOf, newsKinds } from './news.js';
import {
  carriedTo,
  digest,
  type EmailSend,
  recordNotified,
  sendEmails,
  throwIfUndelivered,
} from './send-emails.js';

/**
 * After an evaluation run, each email recipient gets ONE email with the alerts routing sends them that hold
 * news for them — a digest when there are several, the single alert's email otherwise. Alerts that merely
 * merged again (no new severity) hold no news and send nothing. Keyed by the run's batch, so an hour evaluated
 * again sends its new alerts (and, by the news claims, nothing twice). The `email-run` job's work.
 */
export async function emailRun(deps: EmailDeps, changes: RunChanges) {
  if (!deps.mailer) return { skipped: 'SMTP_URL is not set' };
  const alerts = await loadAlerts(deps, [...new Set([...changes.raised, ...changes.recovered])]);
  const byRecipient = new Map<string, Alert[]>();
  for (const alert of alerts) {
    for (const recipient of normaliseRecipients(routeAlert(alert, deps.routing).email)) {
      byRecipient.set(recipient, [...(byRecipient.get(recipient) ?? []), alert]);
    }
  }
  // Each alert's chart is drawn once for the job, and only if an email that shows it is built.
  const charts = new Map(alerts.map((alert) => [alert.id, lazyChart(deps, alert)]));
  const sends = [...byRecipient].map(([recipient, theirs]) =>
    runSend(deps, changes, recipient, theirs, charts),
  );
  const result = await sendEmails(deps, deps.mailer, sends);
  for (const alert of alerts) {
    await recordNotified(deps, {
      alertId: alert.id,
      kind: headlineOf(newsKinds(alert)),
      recipients: carriedTo(result.outcomes, alert.id, ['sent', 'sent_before']),
      dedupeKey: `emailrun_${changes.batchId}_${alert.id}`,
    });
  }
  throwIfUndelivered(result);
  return summarise(result.outcomes);
}

function runSend(
  deps: EmailDeps,
  changes: RunChanges,
  recipient: string,
  alerts: readonly Alert[],
  charts: ReadonlyMap<number, LazyChart>,
): EmailSend {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  // The evaluation the digest names: the hour, or the minute of a tick between hourly runs.
  const hourStart = parseRunKey(changes.runKey)?.start ?? new Date(0);
  return {
    sendKey: `run_${changes.batchId}_${digest(recipient)}`,
    recipient,
    items: alerts.flatMap((alert) => newsKinds(alert).map((kind) => ({ alertId: alert.id, kind }))),
    threadAlertId: alerts.length === 1 ? alerts[0]?.id : undefined,
    build: async (owned) => {
      const entries = [...groupByAlert(owned)].map(([id, kinds]) => {
        const alert = byId.get(id) as Alert;
        const entry = {
          alert,
          timeZone: deps.timeZoneOf(alert.source),
          headline: headlineOf(kinds),
          actions: actionsFor(deps, alert, recipient),
          viewUrl: deps.pageUrl?.(alert, recipient),
        };
        return entry;
      });
      // Charts for the first DIGEST_CHARTS alerts in the digest's order (all of them, up to that many).
      const charted = await Promise.all(
        digestOrder(entries).map(async (entry, i) => ({
          ...entry,
          chart: i < DIGEST_CHARTS ? await charts.get(entry.alert.id)?.() : undefined,
        })),
      );
      const [only] = charted;
      return charted.length === 1 && only
        ? buildAlertEmail(only)
        : buildDigestEmail({ hourStart, entries: charted });
    },
  };
}

function groupByAlert(items: readonly NewsItem[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const item of items) groups.set(item.alertId, [...(groups.get(item.alertId) ?? []), item.kind]);
  return groups;
}

async function loadAlerts(deps: EmailDeps, ids: readonly number[]): Promise<Alert[]> {
  const alerts: Alert[] = [];
  for (const id of ids) {
    const alert = await deps.alerts.get(id);
    if (alert) alerts.push(alert);
  }
  return alerts;
}
