import type { EmailDeps } from '../src/email/email-deps.js';
import { emailRun } from '../src/email/run-emails.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { DeliveryLedger } from '../src/storage/deliveries.js';
import type { DeliveryMarks } from './delivery-marks.js';
import { asJobError, isFinalFailure } from './job-support.js';

/**
 * `email-run` {batchId}: one email (single or digest) per recipient for a finished run's batch of changes (read
 * from the outbox), then the batch's email changes are marked delivered — or failed, after the last attempt.
 */
export function createEmailRunHandler(deps: {
  email: EmailDeps;
  ledger: Pick<DeliveryLedger, 'batchChanges'>;
  marks: DeliveryMarks;
}): JobHandler<typeof JOB.emailRun> {
  return async (job) => {
    const { batchId } = job.data;
    const changes = await deps.ledger.batchChanges(batchId, 'email');
    if (!changes) return { skipped: `batch ${batchId} holds no email changes` };
    try {
      const result = await emailRun(deps.email, changes);
      await deps.marks.deliveredBatch('email', batchId);
      return result;
    } catch (error) {
      const jobError = asJobError(error);
      if (isFinalFailure(job, jobError)) await deps.marks.failedBatch('email', batchId, error);
      throw jobError;
    }
  };
}
