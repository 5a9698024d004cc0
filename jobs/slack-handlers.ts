import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { createAnnounceSourcesHandler } from './announce-sources.js';
import { createNotifyAlertHandler } from './notify-alert.js';
import { createNotifyHourHandler } from './notify-hour.js';
import { createSlackThreadReplyHandler } from './slack-thread-reply.js';

/** The notifications queue when Slack is configured: cards, digests, thread replies, announcements. */
export function createSlackHandlers(delivery: SlackDelivery): Record<string, JobHandler> {
  return {
    [JOB.notifyHour]: createNotifyHourHandler(delivery),
    [JOB.notifyAlert]: createNotifyAlertHandler(delivery),
    [JOB.slackThreadReply]: createSlackThreadReplyHandler(delivery),
    [JOB.announceSources]: createAnnounceSourcesHandler(delivery),
  };
}
