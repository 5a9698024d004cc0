import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import type { DeliveryLedger } from '../src/storage/deliveries.js';
import type { DeliveryMarks } from './delivery-marks.js';
import { isFinalFailure } from './job-support.js';

/**
 * `notify-run` {batchId}: plans the Slack delivery of a finished run's batch of changes (read from the outbox) —
 * a digest per channel that would otherwise get more than `digestThreshold` new cards, a notify-alert job for
 * everything else — and queues it. It posts nothing itself, so it is quick and safe to re-run; the notify-alert
 * jobs mark the changes delivered. If it fails for good, the batch's alerts that no other job will deliver go
 * to the email fallback.
 */
export function createNotifyRunHandler(deps: {
  delivery: SlackDelivery;
  ledger: Pick<DeliveryLedger, 'batchChanges'>;
  marks: DeliveryMarks;
}): JobHandler<typeof JOB.notifyRun> {
  return async (job) => {
    const { batchId, attempt } = job.data;
    const changes = await deps.ledger.batchChanges(batchId, 'slack');
    if (!changes) return { skipped: `batch ${batchId} holds no Slack changes` };
    try {
      return await deps.delivery.deliverRun(changes, attempt);
    } catch (error) {
      if (isFinalFailure(job, error)) {
        // Alerts already handed to a notify-alert job of their own are that job's to fall back.
        await deps.delivery.handOverToEmail(changes.raised, error, { leaveOwnCards: true });
        await deps.marks.failedBatch('slack', batchId, error);
      }
      throw error;
    }
  };
}
