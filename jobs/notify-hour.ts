import type { NotifyHourData } from '../src/queue/alert-notifications.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { isFinalFailure } from './slack-job-support.js';

/**
 * `notify-hour`: plans an evaluated hour's Slack delivery — a digest per channel that would otherwise get more
 * than `digestThreshold` new cards, a notify-alert job for everything else — and queues it. It posts nothing
 * itself, so it is quick and safe to re-run; if it fails for good, the hour's alerts that no other job will
 * deliver go to the email fallback.
 */
export function createNotifyHourHandler(delivery: SlackDelivery): JobHandler {
  return async (job) => {
    const data = job.data as NotifyHourData;
    try {
      return await delivery.deliverHour({
        hourStart: new Date(data.hourStart),
        raised: data.raised,
        recovered: data.recovered,
      });
    } catch (error) {
      if (isFinalFailure(job, error)) {
        // Alerts already handed to a notify-alert job of their own are that job's to fall back.
        await delivery.handOverToEmail(data.raised, error, { leaveOwnCards: true });
      }
      throw error;
    }
  };
}
