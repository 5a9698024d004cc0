import { DelayedError } from 'bullmq';
import type { EmailDeps } from '../src/email/email-deps.js';
import { escalateAlert } from '../src/email/escalate-alert.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import { asJob } from './job-support.js';

/**
 * `escalate` {alertId}, delayed by `after_minutes` (scheduled by src/queue/alert-notifications.ts whenever an
 * alert opens or changes): escalates the alert if it is due (src/email/escalate-alert.ts). Too early — the
 * severity rose after the job was scheduled — the job waits again.
 */
export function createEscalateHandler(deps: EmailDeps): JobHandler<typeof JOB.escalate> {
  return async (job) => {
    const outcome = await asJob(() => escalateAlert(deps, job.data.alertId));
    if (outcome.kind === 'not_due') {
      // BullMQ keeps time by the wall clock: wait as long as our clock says is left (at least a second).
      const waitMs = Math.max(outcome.dueAt.getTime() - deps.now().getTime(), 1000);
      await job.moveToDelayed(Date.now() + waitMs, job.token);
      throw new DelayedError();
    }
    return outcome;
  };
}
