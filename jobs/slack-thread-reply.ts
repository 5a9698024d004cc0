import type { SlackThreadReplyData } from '../src/queue/alert-notifications.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { asJobError, jobPace } from './slack-job-support.js';

/**
 * `slack-thread-reply`: one reply in the thread of the alert's card or digest, once per dedupe key (the reply
 * is a message row of its own). Until the card is posted it fails and retries with backoff; rate slots and
 * 429s delay it like any post.
 */
export function createSlackThreadReplyHandler(delivery: SlackDelivery): JobHandler {
  return async (job, token) => {
    try {
      return await delivery.postThreadReply(job.data as SlackThreadReplyData, jobPace(job, token));
    } catch (error) {
      throw asJobError(error);
    }
  };
}
