import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { asJob, jobPace } from './job-support.js';

/**
 * `announce-sources`: posts one message per source that onboarded itself with the shared ingest token and
 * was not announced yet, in the default channel, then marks it announced (the message key is the source id,
 * so a re-run between the post and the mark does not post twice). The job carries nothing.
 */
export function createAnnounceSourcesHandler(
  delivery: SlackDelivery,
): JobHandler<typeof JOB.announceSources> {
  return (job, token) => asJob(() => delivery.announceSources(jobPace(job, token)));
}
