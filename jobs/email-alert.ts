import { emailAlertChange } from '../src/email/alert-emails.js';
import type { EmailDeps } from '../src/email/email-deps.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { DeliveryMarks } from './delivery-marks.js';
import { asJobError, isFinalFailure } from './job-support.js';

/**
 * `email-alert` {alertId, revision}: emails one alert's change to the recipients its routing names, once; then
 * marks the change delivered in the outbox (or failed, after the last attempt).
 */
export function createEmailAlertHandler(deps: {
  email: EmailDeps;
  marks: DeliveryMarks;
}): JobHandler<typeof JOB.emailAlert> {
  return async (job) => {
    const item = { alertId: job.data.alertId, revision: job.data.revision };
    try {
      const result = await emailAlertChange(deps.email, item.alertId, item.revision);
      await deps.marks.delivered('email', [item]);
      return result;
    } catch (error) {
      const jobError = asJobError(error);
      if (isFinalFailure(job, jobError)) await deps.marks.failed('email', [item], error);
      throw jobError;
    }
  };
}
