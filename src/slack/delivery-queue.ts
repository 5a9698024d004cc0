import { addChartJob } from '../queue/delivery-jobs.js';
import { jobIds, sweptJobId } from '../queue/job-ids.js';
import type { JobQueue } from '../queue/job-queue.js';
import { JOB } from '../queue/names.js';
import type { DeliveryQueue } from './slack-deps.js';

/** A second try at an alert Slack failed to deliver, after the email fallback took it: 10 minutes later… */
const LATE_DELAY_MS = 10 * 60_000;
/** …with longer backoff (1 min, 2 min, 4 min … ≈ 4 h in all), since Slack has been failing. */
const LATE_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 60_000 } } as const;

/**
 * The jobs Slack delivery (and the slash commands) hand work to, on the notifications and email queues, each
 * with its deterministic id (src/queue/job-ids.ts), so handing the same work over twice adds one job.
 */
export function createDeliveryQueue(jobs: JobQueue): DeliveryQueue {
  return {
    async threadReply(data) {
      await jobs.add(JOB.slackThreadReply, data, { jobId: jobIds.slackThreadReply(data.dedupeKey) });
    },
    async notifyAlert(alertId, revision, attempt) {
      await jobs.add(
        JOB.notifyAlert,
        { alertId, revision },
        { jobId: sweptJobId(jobIds.notifyAlert(alertId, revision), attempt) },
      );
    },
    chart: (key) => addChartJob(jobs, key),
    async emailFallback(alertId, revision) {
      await jobs.add(
        JOB.emailFallback,
        { alertId, revision },
        { jobId: jobIds.emailFallback(alertId, revision) },
      );
      // When Slack works again, this posts the card, with a note that email carried the alert meanwhile.
      await jobs.add(
        JOB.notifyAlert,
        { alertId, revision, late: true },
        { jobId: `${jobIds.notifyAlert(alertId, revision)}_late`, delay: LATE_DELAY_MS, ...LATE_OPTIONS },
      );
    },
  };
}
