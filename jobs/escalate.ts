import { DelayedError } from 'bullmq';
import type { EmailDeps } from '../src/email/email-deps.js';
import { escalateAlert } from '../src/email/escalate-alert.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import { type DeliveryMarks, EVERY_REVISION } from './delivery-marks.js';
import { asJobError, isFinalFailure } from './job-support.js';

/**
 * `escalate` {alertId}, delayed by `after_minutes` (owed by every opened or changed alert when escalation is
 * configured): escalates the alert if it is due (src/email/escalate-alert.ts), then marks the changes up to the
 * revision it judged checked in the outbox. Too early — the severity rose after the job was scheduled — the job
 * waits again.
 */
export function createEscalateHandler(deps: {
  email: EmailDeps;
  marks: DeliveryMarks;
}): JobHandler<typeof JOB.escalate> {
  return async (job) => {
    const { alertId } = job.data;
    try {
      const outcome = await escalateAlert(deps.email, alertId);
      if (outcome.kind === 'not_due') {
        // BullMQ keeps time by the wall clock: wait as long as our clock says is left (at least a second).
        const waitMs = Math.max(outcome.dueAt.getTime() - deps.email.now().getTime(), 1000);
        await job.moveToDelayed(Date.now() + waitMs, job.token);
        throw new DelayedError();
      }
      await deps.marks.delivered('escalate', [{ alertId, revision: outcome.revision ?? EVERY_REVISION }]);
      return outcome;
    } catch (error) {
      const jobError = asJobError(error);
      if (isFinalFailure(job, jobError))
        await deps.marks.failed('escalate', [{ alertId, revision: EVERY_REVISION }], error);
      throw jobError;
    }
  };
}
