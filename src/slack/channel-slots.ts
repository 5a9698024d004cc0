import type { Redis } from 'ioredis';

/**
 * Slack takes about one message per second per channel. Every process shares one Redis key per channel:
 * `SET key NX PX 1000` takes the channel's next slot; a job that finds it taken waits for the key to expire
 * (job.moveToDelayed) instead of posting. A 429 blocks the channel for its Retry-After the same way.
 */
export interface ChannelSlots {
  /** 0 when the slot was taken for this post; otherwise the milliseconds until it frees up. */
  take(channel: string): Promise<number>;
  /** Keeps every process from posting to the channel for `ms` (Slack's Retry-After). */
  block(channel: string, ms: number): Promise<void>;
}

export function createChannelSlots(redis: Redis, prefix: string, intervalMs = 1000): ChannelSlots {
  const keyOf = (channel: string) => `${prefix}:slack-slot:${channel}`;
  return {
    async take(channel) {
      const key = keyOf(channel);
      if ((await redis.set(key, '1', 'PX', intervalMs, 'NX')) === 'OK') return 0;
      const left = await redis.pttl(key);
      return Math.max(left, 20);
    },
    async block(channel, ms) {
      await redis.set(keyOf(channel), 'blocked', 'PX', Math.max(1, Math.round(ms)));
    },
  };
}
