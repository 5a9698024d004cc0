import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { type DeliveryMarks, EVERY_REVISION } from './delivery-marks.js';
import { asJobError, isFinalFailure, jobPace } from './job-support.js';

/**
 * `notify-alert`: brings the Slack message that shows the alert up to date — posts its card (or the digest it
 * is in) once, edits it to the newest revision, and queues thread replies for new audit-trail events — then
 * marks what the message now shows delivered in the outbox. Waits for the channel's rate slot and 429s by
 * delaying itself; after its last failed attempt, an alert that is not in Slack yet goes to the email fallback
 * (and is tried again later: that job carries `late`), and the change is marked failed.
 */
export function createNotifyAlertHandler(deps: {
  delivery: SlackDelivery;
  marks: DeliveryMarks;
}): JobHandler<typeof JOB.notifyAlert> {
  return async (job, token) => {
    const { alertId, revision } = job.data;
    try {
      const result = await deps.delivery.syncAlert(alertId, jobPace(job, token));
      // Skipped (no such alert, no channel): there is nothing more to deliver for this change.
      await deps.marks.delivered('slack', result.kind === 'synced' ? result.shown : [{ alertId, revision }]);
      return result;
    } catch (error) {
      const jobError = asJobError(error);
      if (isFinalFailure(job, jobError)) {
        // A digest that failed failed for every alert in it: those go to email too, and are given up on.
        const handed = await deps.delivery.handOverToEmail([alertId], error);
        const mates = handed
          .filter((id) => id !== alertId)
          .map((id) => ({ alertId: id, revision: EVERY_REVISION }));
        await deps.marks.failed('slack', [{ alertId, revision }, ...mates], error);
      }
      throw jobError;
    }
  };
}
