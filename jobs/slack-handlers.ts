import { JOB } from '../src/queue/names.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import type { DeliveryLedger } from '../src/storage/deliveries.js';
import { createAnnounceSourcesHandler } from './announce-sources.js';
import type { DeliveryMarks } from './delivery-marks.js';
import { createNotifyAlertHandler } from './notify-alert.js';
import type { NotificationHandlers } from './notify-log.js';
import { createNotifyRunHandler } from './notify-run.js';
import { createSlackChartHandler } from './slack-chart.js';
import { createSlackThreadReplyHandler } from './slack-thread-reply.js';

/** The notifications queue when Slack is configured: cards, digests, thread replies, announcements. */
export function createSlackHandlers(deps: {
  delivery: SlackDelivery;
  ledger: Pick<DeliveryLedger, 'batchChanges'>;
  marks: DeliveryMarks;
}): NotificationHandlers {
  const { delivery } = deps;
  return {
    [JOB.notifyRun]: createNotifyRunHandler(deps),
    [JOB.notifyAlert]: createNotifyAlertHandler(deps),
    [JOB.slackThreadReply]: createSlackThreadReplyHandler(delivery),
    [JOB.announceSources]: createAnnounceSourcesHandler(delivery),
    [JOB.slackChart]: createSlackChartHandler(delivery),
  };
}
