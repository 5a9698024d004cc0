import { type Job, type Processor, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { isJobName, JOB_QUEUE, type JobData, type JobName } from './job-data.js';
import type { CatalogueJob } from './job-queue.js';
import { QUEUE, type QueueName } from './names.js';

/**
 * Handles one job of the catalogue (bullmq's Processor, typed by the job's name); resolves to the job's return
 * value (kept as its result). `token` is the worker's lock token, which `job.moveToDelayed` needs (Slack
 * delivery waits for a channel's rate slot that way).
 */
export type JobHandler<N extends JobName> = Processor<JobData<N>, unknown, N>;

/** A handler for every job of the catalogue: adding a job to it without a handler does not compile. */
export type JobHandlers = { readonly [N in JobName]: JobHandler<N> };

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
 * One BullMQ worker per queue, dispatching on job name to its handler. A job name that is not in the catalogue,
 * or that belongs to another queue, fails without retries (UnrecoverableError): retrying cannot teach this
 * process a new job.
 */
export function startWorkers(
  connection: Redis,
  prefix: string,
  handlers: JobHandlers,
  logger: Logger,
): Workers {
  const workers = Object.values(QUEUE).map((queue) => {
    const worker = new Worker(queue, (job, token) => dispatch(handlers, queue, job, token), {
      connection,
      prefix,
      concurrency: CONCURRENCY[queue],
    });
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

function dispatch(handlers: JobHandlers, queue: QueueName, job: Job, token: string | undefined) {
  const name = job.name;
  if (!isJobName(name) || JOB_QUEUE[name] !== queue)
    throw new UnrecoverableError(`no handler for job "${name}" on queue "${queue}"`);
  return run(handlers, name, job, token);
}

function run<N extends JobName>(handlers: JobHandlers, name: N, job: Job, token: string | undefined) {
  const handler: JobHandler<N> = handlers[name];
  // The one place untyped Redis data meets the catalogue: the job was added by JobQueue under this name,
  // whose payload type the catalogue fixes.
  return handler(job as CatalogueJob<N>, token);
}
