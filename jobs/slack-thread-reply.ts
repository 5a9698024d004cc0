import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { asJob, jobPace } from './job-support.js';

/**
 * `slack-thread-reply`: one reply in the thread of the alert's card or digest, once per dedupe key (the reply
 * is a message row of its own). Until the card is posted it fails and retries with backoff; rate slots and
 * 429s delay it like any post.
 */
export function createSlackThreadReplyHandler(
  delivery: SlackDelivery,
): JobHandler<typeof JOB.slackThreadReply> {
  return (job, token) => asJob(() => delivery.postThreadReply(job.data, jobPace(job, token)));
}
