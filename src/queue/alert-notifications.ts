import type { AlertNotifications, ChangeNotice, DeliveryChannel } from '../alerts/notifications.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore } from '../storage/deliveries.js';
import { addChangeJob, addRunJob } from './delivery-jobs.js';
import type { JobQueue } from './job-queue.js';

/** How long the fast path waits for Redis before leaving a change to the sweep: never long enough to be felt. */
export const ENQUEUE_TIMEOUT_MS = 1000;

export interface QueuedNotificationOptions {
  /** SMTP is configured: changes are owed to email too. */
  readonly email: boolean;
  /** escalation is configured: opened and changed alerts are owed an escalation check after this delay. */
  readonly escalateAfterMs?: number | undefined;
  readonly deliveries: Pick<DeliveryStore, 'release'>;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly enqueueTimeoutMs?: number;
}

/**
 * The outbox's queue side. Each change is owed to Slack (cards, or the log without Slack), to email when SMTP is
 * configured, and to the escalation check when escalation is. After the change is committed with its outbox rows,
 * its jobs are added at once — the fast path, skipped when Redis is down and given up after a second, because
 * the sweep (outbox-sweep.ts) re-enqueues whatever is still owed. Job ids make each change one delivery: an
 * alert's change per revision, a run's batch per batch.
 */
export function createQueuedNotifications(
  jobs: JobQueue,
  options: QueuedNotificationOptions,
): AlertNotifications {
  const fast = fastPath(jobs, options.logger, options.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS);
  const channels = (kind: ChangeNotice['kind']): DeliveryChannel[] => [
    'slack',
    ...(options.email ? (['email'] as const) : []),
    ...(options.escalateAfterMs !== undefined && kind !== 'recovered' ? (['escalate'] as const) : []),
  ];
  const escalateDelayMs = options.escalateAfterMs;
  return {
    channelsFor: channels,
    async changed(changes) {
      await fast('an alert change', async () => {
        for (const change of changes) {
          for (const channel of channels(change.kind)) {
            await addChangeJob(jobs, { ...change, channel }, { escalateDelayMs });
          }
        }
      });
    },
    async runFinished(runKey) {
      const batch = await options.deliveries.release(runKey, options.now());
      if (!batch) return;
      await fast(`the changes of run ${runKey}`, async () => {
        for (const channel of batch.channels) {
          if (channel !== 'escalate') await addRunJob(jobs, channel, batch.batchId);
        }
        for (const item of batch.escalate) {
          await addChangeJob(jobs, { ...item, channel: 'escalate' }, { escalateDelayMs });
        }
      });
    },
  };
}

/**
 * Runs `work` (adding jobs) unless Redis is known to be down, for at most `timeoutMs`; never throws. What it
 * could not add stays owed in MySQL, and the sweep adds it later — so an HTTP answer never waits on Redis.
 */
function fastPath(jobs: JobQueue, logger: Logger, timeoutMs: number) {
  return async (what: string, work: () => Promise<void>): Promise<void> => {
    const later = 'it stays owed in MySQL and the sweep enqueues it when Redis answers';
    if (!jobs.connected()) {
      logger.warn(`Redis is not reachable: could not queue ${what}; ${later}`);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const adding = work().then(() => 'added' as const);
    try {
      if ((await Promise.race([adding, timeout])) === 'timeout')
        logger.warn(`Redis did not answer within ${timeoutMs} ms: ${what} may not be queued yet; ${later}`);
    } catch (error) {
      logger.warn({ err: error }, `could not queue ${what}; ${later}`);
    } finally {
      clearTimeout(timer);
      adding.catch(() => undefined); // a late failure after the timeout: already said
    }
  };
}
