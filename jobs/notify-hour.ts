import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { isFinalFailure } from './job-support.js';

/**
 * `notify-hour`: plans an evaluated hour's Slack delivery — a digest per channel that would otherwise get more
 * than `digestThreshold` new cards, a notify-alert job for everything else — and queues it. It posts nothing
 * itself, so it is quick and safe to re-run; if it fails for good, the hour's alerts that no other job will
 * deliver go to the email fallback.
 */
export function createNotifyHourHandler(delivery: SlackDelivery): JobHandler<typeof JOB.notifyHour> {
  return async (job) => {
    const { data } = job;
    try {
      return await delivery.deliverHour({ ...data, hourStart: new Date(data.hourStart) });
    } catch (error) {
      if (isFinalFailure(job, error)) {
        // Alerts already handed to a notify-alert job of their own are that job's to fall back.
        await delivery.handOverToEmail(data.raised, error, { leaveOwnCards: true });
      }
      throw error;
    }
  };
}
