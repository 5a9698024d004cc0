import type { Alert } from '../src/alerts/alert.js';
import type { AlertReader } from '../src/alerts/alert-store.js';
import type { Logger } from '../src/logger.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandlers } from '../src/queue/workers.js';
import type { DeliveryLedger } from '../src/storage/deliveries.js';
import type { DeliveryMarks } from './delivery-marks.js';

/** The notifications queue's jobs. */
export type NotificationHandlers = Pick<
  JobHandlers,
  | typeof JOB.notifyRun
  | typeof JOB.notifyAlert
  | typeof JOB.slackThreadReply
  | typeof JOB.announceSources
  | typeof JOB.slackChart
>;

/**
 * Delivery when Slack is not configured: each alert change is written to the log as one readable line, so a
 * first run still shows where alerts went (and says how to connect Slack); the line is its delivery.
 */
export function createLogNotifyHandlers(deps: {
  alerts: AlertReader;
  ledger: Pick<DeliveryLedger, 'batchChanges'>;
  marks: DeliveryMarks;
  logger: Logger;
}): NotificationHandlers {
  const show = async (id: number, change: string) => {
    const alert = await deps.alerts.get(id);
    if (alert)
      deps.logger.warn({ alert: alertLine(alert), change, slack: 'not configured' }, describe(alert, change));
  };
  return {
    [JOB.notifyRun]: async ({ data }) => {
      const changes = await deps.ledger.batchChanges(data.batchId, 'slack');
      if (!changes) return { shown: 0 };
      for (const id of changes.raised) await show(id, 'raised');
      for (const id of changes.recovered) await show(id, 'recovered');
      await deps.marks.deliveredBatch('slack', data.batchId);
      return { shown: changes.raised.length + changes.recovered.length };
    },
    [JOB.notifyAlert]: async ({ data }) => {
      await show(data.alertId, 'changed');
      await deps.marks.delivered('slack', [{ alertId: data.alertId, revision: data.revision }]);
      return { shown: 1 };
    },
    // A thread reply (an escalation's mention) or an announcement queued before Slack was turned off.
    [JOB.slackThreadReply]: async ({ data }) => {
      await show(data.alertId, 'has a thread reply');
      return { shown: 1 };
    },
    [JOB.announceSources]: async () => ({ shown: 0 }),
    // A chart queued before Slack was turned off: there is no card to put it under (the sweep stops too).
    [JOB.slackChart]: async () => ({ kind: 'skipped', reason: 'Slack is not configured' }),
  };
}

function alertLine(alert: Alert) {
  return {
    id: alert.id,
    severity: alert.severity,
    status: alert.status,
    source: alert.source,
    environment: alert.environment,
    metric: alert.metric,
    title: alert.title,
    occurrences: alert.occurrences,
  };
}

function describe(alert: Alert, change: string): string {
  return (
    `alert #${alert.id} ${change} [${alert.severity}] ${alert.source}/${alert.environment} ${alert.title}` +
    ' — Slack is not configured (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN to get cards)'
  );
}
