import type { DeliveryChannel } from '../alerts/notifications.js';
import type { JobName } from './job-data.js';
import { jobIds, sweptJobId } from './job-ids.js';
import type { JobQueue } from './job-queue.js';
import { JOB } from './names.js';

/** A delivery the outbox owes: one alert change for one channel, released alone or in a run's batch. */
export interface OwedChange {
  readonly channel: DeliveryChannel;
  readonly alertId: number;
  readonly revision: number;
  /** The run batch it was released in: Slack and email deliver a batch together (digests). */
  readonly batchId: number | null;
}

/** A chart upload is a nicety: a few quick retries (1 s, 2 s, 4 s, 8 s), then it is given up and logged. */
export const CHART_JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 1000 } } as const;

/**
 * Adds the upload of an alert's chart at a severity into its card's thread; the sweep passes its re-enqueue
 * number (`chart_<alert>_<severity>_r<n>`).
 */
export async function addChartJob(
  jobs: JobQueue,
  key: { alertId: number; severity: string },
  attempt?: number,
): Promise<void> {
  const jobId = sweptJobId(jobIds.slackChart(key.alertId, key.severity), attempt);
  await jobs.add(
    JOB.slackChart,
    { alertId: key.alertId, severity: key.severity },
    { jobId, ...CHART_JOB_OPTIONS },
  );
}

/** The channels a run's batch is delivered to by one job per batch (escalation checks stay per alert). */
export type RunChannel = 'slack' | 'email';

/** The job that delivers an owed change, by name and id: a batch's Slack and email rows share their batch's job. */
export function deliveryJobOf(owed: OwedChange, attempt?: number): { name: JobName; jobId: string } {
  const { channel, alertId, revision, batchId } = owed;
  if (channel === 'escalate')
    return { name: JOB.escalate, jobId: sweptJobId(jobIds.escalate(alertId), attempt) };
  if (batchId !== null) return runJobOf(channel, batchId, attempt);
  return channel === 'slack'
    ? { name: JOB.notifyAlert, jobId: sweptJobId(jobIds.notifyAlert(alertId, revision), attempt) }
    : { name: JOB.emailAlert, jobId: sweptJobId(jobIds.emailAlert(alertId, revision), attempt) };
}

function runJobOf(channel: RunChannel, batchId: number, attempt?: number): { name: JobName; jobId: string } {
  return channel === 'slack'
    ? { name: JOB.notifyRun, jobId: sweptJobId(jobIds.notifyRun(batchId), attempt) }
    : { name: JOB.emailRun, jobId: sweptJobId(jobIds.emailRun(batchId), attempt) };
}

/** Adds the job that delivers a run's batch to Slack (`notify-run`) or email (`email-run`). */
export async function addRunJob(jobs: JobQueue, channel: RunChannel, batchId: number, attempt?: number) {
  const { jobId } = runJobOf(channel, batchId, attempt);
  if (channel === 'slack') await jobs.add(JOB.notifyRun, { batchId, attempt }, { jobId });
  else await jobs.add(JOB.emailRun, { batchId, attempt }, { jobId });
}

/**
 * Adds the job that delivers one alert change to one channel. The fast path adds attempt 0 (the original ids,
 * which deduplicate a change handed over twice); the sweep adds attempt n under `<id>_r<n>`. An escalation
 * check waits `escalateDelayMs` (the sweep passes none: the check itself waits again when it is not due yet).
 */
export async function addChangeJob(
  jobs: JobQueue,
  change: { channel: DeliveryChannel; alertId: number; revision: number },
  options: { attempt?: number; escalateDelayMs?: number | undefined } = {},
): Promise<void> {
  const { alertId, revision } = change;
  const { jobId } = deliveryJobOf({ ...change, batchId: null }, options.attempt);
  if (change.channel === 'slack') await jobs.add(JOB.notifyAlert, { alertId, revision }, { jobId });
  else if (change.channel === 'email') await jobs.add(JOB.emailAlert, { alertId, revision }, { jobId });
  // Removed when done: a later severity raise schedules a fresh check under the same id.
  else
    await jobs.add(
      JOB.escalate,
      { alertId },
      { jobId, delay: options.escalateDelayMs, removeOnComplete: true },
    );
}
