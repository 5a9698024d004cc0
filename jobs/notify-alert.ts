import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { asJobError, isFinalFailure, jobPace } from './job-support.js';

/**
 * `notify-alert`: brings the Slack message that shows the alert up to date — posts its card (or the digest it
 * is in) once, edits it to the newest revision, and queues thread replies for new audit-trail events. Waits
 * for the channel's rate slot and 429s by delaying itself; after its last failed attempt, an alert that is not
 * in Slack yet goes to the email fallback (and is tried again later: that job carries `late`).
 */
export function createNotifyAlertHandler(delivery: SlackDelivery): JobHandler<typeof JOB.notifyAlert> {
  return async (job, token) => {
    try {
      return await delivery.syncAlert(job.data.alertId, jobPace(job, token));
    } catch (error) {
      const jobError = asJobError(error);
      if (isFinalFailure(job, jobError)) await delivery.handOverToEmail([job.data.alertId], error);
      throw jobError;
    }
  };
}
