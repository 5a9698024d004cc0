import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ: `maxRetriesPerRequest: null` is required by workers (BullMQ throws without it), and
 * commands wait for reconnection instead of failing while Redis restarts.
 */
export function createQueueConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
