import { JOB } from '../src/queue/names.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { createAnnounceSourcesHandler } from './announce-sources.js';
import { createNotifyAlertHandler } from './notify-alert.js';
import { createNotifyHourHandler } from './notify-hour.js';
import type { NotificationHandlers } from './notify-log.js';
import { createSlackThreadReplyHandler } from './slack-thread-reply.js';

/** The notifications queue when Slack is configured: cards, digests, thread replies, announcements. */
export function createSlackHandlers(delivery: SlackDelivery): NotificationHandlers {
  return {
    [JOB.notifyHour]: createNotifyHourHandler(delivery),
    [JOB.notifyAlert]: createNotifyAlertHandler(delivery),
    [JOB.slackThreadReply]: createSlackThreadReplyHandler(delivery),
    [JOB.announceSources]: createAnnounceSourcesHandler(delivery),
  };
}
