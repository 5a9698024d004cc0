import type { DeliveryChannel } from '../src/alerts/notifications.js';
import type { Metrics } from '../src/metrics/metrics.js';
import type { DeliveryItem, DeliveryLedger } from '../src/storage/deliveries.js';

/**
 * What a delivery job writes back to the outbox when it is done: the changes it delivered (marked done, so the
 * sweep leaves them), or, after its last attempt, the ones it gave up on (failed: counted and alerted on).
 * Every mark is counted in `ratewatch_notifications_total`.
 */
export interface DeliveryMarks {
  delivered(channel: DeliveryChannel, items: readonly DeliveryItem[]): Promise<void>;
  deliveredBatch(channel: DeliveryChannel, batchId: number): Promise<void>;
  failed(channel: DeliveryChannel, items: readonly DeliveryItem[], error: unknown): Promise<void>;
  failedBatch(channel: DeliveryChannel, batchId: number, error: unknown): Promise<void>;
}

/** As an item's revision: every change of the alert still owed, whatever its revision. */
export const EVERY_REVISION = 2 ** 31;

export function createDeliveryMarks(deps: {
  ledger: DeliveryLedger;
  metrics?: Pick<Metrics, 'notification'> | undefined;
  now: () => Date;
}): DeliveryMarks {
  const { ledger, now } = deps;
  const count = (channel: DeliveryChannel, outcome: 'sent' | 'failed') => (rows: number) => {
    if (rows > 0) deps.metrics?.notification(channel, outcome, rows);
  };
  return {
    delivered: async (channel, items) =>
      count(channel, 'sent')(await ledger.delivered(channel, items, now())),
    deliveredBatch: async (channel, batchId) =>
      count(channel, 'sent')(await ledger.deliveredBatch(channel, batchId, now())),
    failed: async (channel, items, error) =>
      count(channel, 'failed')(await ledger.failed(channel, items, errorText(error), now())),
    failedBatch: async (channel, batchId, error) =>
      count(channel, 'failed')(await ledger.failedBatch(channel, batchId, errorText(error), now())),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
