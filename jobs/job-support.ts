import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { EmailRefusedError } from '../src/email/send-emails.js';
import type { Pace } from '../src/slack/notifier.js';
import { SlackDeliveryError } from '../src/slack/slack-errors.js';

/** Waiting through BullMQ: the job goes back to the delayed set without using an attempt, and stops here. */
export function jobPace(job: Job, token: string | undefined): Pace {
  return {
    async delay(ms) {
      if (!token) throw new Error('cannot delay a job without its lock token');
      await job.moveToDelayed(Date.now() + ms, token);
      throw new DelayedError();
    },
  };
}

/**
 * A delivery failure that retrying cannot fix — Slack's permanent errors, an SMTP 5xx — becomes an
 * UnrecoverableError, so BullMQ stops at once; anything else is retried with backoff.
 */
export function asJobError(error: unknown): unknown {
  if (error instanceof SlackDeliveryError && error.failure.kind === 'permanent') {
    return new UnrecoverableError(error.message);
  }
  if (error instanceof EmailRefusedError) return new UnrecoverableError(error.message);
  return error;
}

/** Runs a job's work, turning what retrying cannot fix into an UnrecoverableError. */
export async function asJob<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asJobError(error);
  }
}

/** Whether this failure ends the job: unrecoverable, or its last attempt. A delay is never final. */
export function isFinalFailure(job: Job, error: unknown): boolean {
  if (error instanceof DelayedError) return false;
  return error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
