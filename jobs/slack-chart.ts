import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import { asJobError, isFinalFailure, jobPace } from './job-support.js';

/**
 * `slack-chart`: the alert's chart into its card's thread, once per alert and severity level (the upload row in
 * MySQL is claimed before and records the file after). Until the card is posted it fails and retries; rate
 * slots and 429s delay it like any post; other failures retry with backoff. After the last attempt the chart is
 * given up on and logged — the job ends without failing, since the card and the alert are unaffected.
 */
export function createSlackChartHandler(delivery: SlackDelivery): JobHandler<typeof JOB.slackChart> {
  return async (job, token) => {
    try {
      return await delivery.uploadChart(job.data, jobPace(job, token));
    } catch (error) {
      const jobError = asJobError(error);
      if (!isFinalFailure(job, jobError)) throw jobError;
      return { kind: 'given_up', reason: await delivery.giveUpChart(job.data, error) };
    }
  };
}
