import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { QueueName } from './names.js';

/**
 * Handles one job name; resolves to the job's return value (kept as the job's result). `token` is the worker's
 * lock token, which `job.moveToDelayed` needs (Slack delivery waits for a channel's rate slot that way).
 */
export type JobHandler = (job: Job, token?: string) => Promise<unknown>;

/** Handlers by queue, then by job name. */
export type JobHandlers = Partial<Record<QueueName, Record<string, JobHandler>>>;

/** How many jobs of a queue one process runs at once: CPU-bound evaluation less, I/O-bound delivery more. */
export const CONCURRENCY: Record<QueueName, number> = {
  evaluation: 2,
  maintenance: 1,
  notifications: 4,
  email: 4,
};

export interface Workers {
  close(): Promise<void>;
}

/**
 * One BullMQ worker per queue that has handlers, dispatching on job name. A job name nobody handles fails
 * without retries (UnrecoverableError): retrying cannot teach this process a new job.
 */
export function startWorkers(
  connection: Redis,
  prefix: string,
  handlers: JobHandlers,
  logger: Logger,
): Workers {
  const workers = Object.entries(handlers).map(([queue, byName]) => {
    const worker = new Worker(
      queue,
      async (job, token) => {
        const handle = byName?.[job.name];
        if (!handle) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${queue}"`);
        return handle(job, token);
      },
      { connection, prefix, concurrency: CONCURRENCY[queue as QueueName] },
    );
    worker.on('failed', (job, error) => {
      const final =
        !job || job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
      logger[final ? 'error' : 'warn'](
        { queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error },
        final ? 'job failed for good' : 'job failed; it will be retried',
      );
    });
    worker.on('error', (error) => logger.error({ queue, err: error }, 'worker error'));
    return worker;
  });
  return { close: async () => void (await Promise.all(workers.map((w) => w.close()))) };
}
