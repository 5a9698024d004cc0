import { Job, type JobsOptions } from 'bullmq';
import { JOB_QUEUE, type JobData, type JobName } from './job-data.js';
import type { Queues } from './queues.js';

/** One job to add: its payload and options (a deterministic `jobId` from job-ids.ts, delay…). */
export interface JobSpec<N extends JobName> {
  readonly data: JobData<N>;
  readonly opts: JobsOptions;
}

/** A job of the catalogue as a worker receives it (bullmq's Job, typed by name). */
export type CatalogueJob<N extends JobName> = Job<JobData<N>, unknown, N>;

/**
 * The queues, typed by the job catalogue: each job goes to its own queue with the payload its name declares,
 * so a producer cannot put a job on the wrong queue or with the wrong data.
 */
export interface JobQueue {
  add<N extends JobName>(name: N, data: JobData<N>, opts: JobsOptions): Promise<void>;
  addBulk<N extends JobName>(name: N, jobs: readonly JobSpec<N>[]): Promise<void>;
  /** A parent job that runs once all its children are done (a BullMQ flow; children run on any worker). */
  addFlow<P extends JobName, C extends JobName>(
    parent: JobSpec<P> & { readonly name: P },
    children: { readonly name: C; readonly jobs: readonly JobSpec<C>[] },
  ): Promise<void>;
  /** The job with this id on the queue of `name`, if it is still kept. */
  get<N extends JobName>(name: N, jobId: string): Promise<CatalogueJob<N> | undefined>;
  /** Whether the job with this id is still to run (waiting, delayed, running, or waiting for its children). */
  isPending(name: JobName, jobId: string): Promise<boolean>;
  /** Whether Redis is reachable now: adding a job would not wait for a reconnection. */
  connected(): boolean;
}

/** Job states in which a job has yet to finish. */
const PENDING_STATES: ReadonlySet<string> = new Set([
  'waiting',
  'wait',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
]);

export function createJobQueue(queues: Queues): JobQueue {
  const queueOf = (name: JobName) => queues.byName[JOB_QUEUE[name]];
  return {
    async add(name, data, opts) {
      await queueOf(name).add(name, data, opts);
    },
    async addBulk(name, jobs) {
      await queueOf(name).addBulk(jobs.map((job) => ({ name, data: job.data, opts: job.opts })));
    },
    async addFlow(parent, children) {
      await queues.flows.add({
        name: parent.name,
        queueName: JOB_QUEUE[parent.name],
        data: parent.data,
        opts: parent.opts,
        children: children.jobs.map((job) => ({
          name: children.name,
          queueName: JOB_QUEUE[children.name],
          data: job.data,
          opts: job.opts,
        })),
      });
    },
    get: (name, jobId) => Job.fromId(queueOf(name), jobId),
    async isPending(name, jobId) {
      const job = await Job.fromId(queueOf(name), jobId);
      return job !== undefined && PENDING_STATES.has(await job.getState());
    },
    connected: () => queues.connected(),
  };
}
