import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { asJobError, jobPace } from './slack-job-support.js';

/** Payload of an announce-sources job: nothing — the job announces every source not announced yet. */
export type AnnounceSourcesData = Record<string, never>;

/**
 * `announce-sources`: posts one message per source that onboarded itself with the shared ingest token and
 * was not announced yet, in the default channel, then marks it announced (the message key is the source id,
 * so a re-run between the post and the mark does not post twice).
 */
export function createAnnounceSourcesHandler(delivery: SlackDelivery): JobHandler {
  return async (job, token) => {
    try {
      return await delivery.announceSources(jobPace(job, token));
    } catch (error) {
      throw asJobError(error);
    }
  };
}
