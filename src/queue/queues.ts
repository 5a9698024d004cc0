import { FlowProducer, type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QUEUE, type QueueName } from './names.js';

/** Seven days: completed jobs are kept (and their ids deduplicate) well past any period that re-adds them. */
const KEEP_COMPLETED_SECONDS = 7 * 86_400;
const KEEP_FAILED_SECONDS = 14 * 86_400;

/** What every job gets unless it says otherwise: retries with exponential backoff, kept for deduplication. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
  removeOnFail: { age: KEEP_FAILED_SECONDS },
};

export interface Queues {
  readonly prefix: string;
  /** Whether the Redis connection is up now (adding a job would not wait for a reconnection). */
  connected(): boolean;
  readonly byName: Readonly<Record<QueueName, Queue>>;
  readonly flows: FlowProducer;
  close(): Promise<void>;
}

/**
 * The queues and the flow producer, all on one connection under `prefix` (wrap it in braces — `{ratewatch}` —
 * for Redis Cluster, so every key of a queue hashes to one slot).
 */
export function createQueues(
  connection: Redis,
  prefix: string,
  options: { onError?: (error: Error) => void } = {},
): Queues {
  // Without a listener, BullMQ prints every connection error of a queue to stderr.
  const onError = options.onError ?? (() => undefined);
  const make = (name: QueueName) =>
    new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }).on('error', onError);
  const byName = {
    [QUEUE.evaluation]: make(QUEUE.evaluation),
    [QUEUE.maintenance]: make(QUEUE.maintenance),
    [QUEUE.notifications]: make(QUEUE.notifications),
    [QUEUE.email]: make(QUEUE.email),
  } as Record<QueueName, Queue>;
  const flows = new FlowProducer({ connection, prefix }).on('error', onError);
  return {
    prefix,
    connected: () => connection.status === 'ready',
    byName,
    flows,
    async close() {
      await flows.close();
      await Promise.all(Object.values(byName).map((queue) => queue.close()));
    },
  };
}

/** Jobs per queue and state (waiting, active, delayed, failed…), for the queue-depth metric. */
export async function queueDepths(queues: Queues): Promise<Record<string, Record<string, number>>> {
  const entries = await Promise.all(
    Object.entries(queues.byName).map(async ([name, queue]) => [
      name,
      await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'waiting-children', 'prioritized'),
    ]),
  );
  return Object.fromEntries(entries);
}

/**
 * Per queue, how long its oldest job ready to run has been waiting for a worker, in seconds (0 when none waits):
 * the age of the oldest waiting (or prioritized) job since it became due — its creation plus its delay.
 */
export async function oldestWaitingAges(queues: Queues, nowMs: number): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(queues.byName).map(async ([name, queue]) => {
      const oldest = await Promise.all(
        (['wait', 'prioritized'] as const).map((state) => queue.getJobs([state], 0, 0, true)),
      );
      const dueTimes = oldest.flat().map((job) => job.timestamp + (job.opts.delay ?? 0));
      const age = dueTimes.length === 0 ? 0 : Math.max(0, (nowMs - Math.min(...dueTimes)) / 1000);
      return [name, age] as const;
    }),
  );
  return Object.fromEntries(entries);
}
