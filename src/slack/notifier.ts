import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import type { CardStore, MessageKind } from '../storage/slack-messages.js';
import type { SlackMessage } from './blocks/common.js';
import type { ChannelResolver } from './channel-resolver.js';
import type { ChannelSlots } from './channel-slots.js';
import { MESSAGE_EVENT_TYPE } from './ids.js';
import { classifySlackError, SlackDeliveryError } from './slack-errors.js';

/** How a delivery step waits: the job is moved back to the delayed set (no attempt used) and stops here. */
export interface Pace {
  delay(ms: number): Promise<never>;
}

/** A message to post once. `render` runs right before the post, so the message shows the current state. */
export interface PostSpec {
  readonly key: string;
  readonly kind: MessageKind;
  /** Channel id or name (resolved to an id before anything is stored). */
  readonly channel: string;
  readonly threadTs?: string | undefined;
  render(): Promise<{ message: SlackMessage; revision: number }>;
}

/** A posted message: `fresh` when this call posted it, false when it was there already (or found). */
export interface Posted {
  readonly channel: string;
  readonly ts: string;
  readonly fresh: boolean;
  readonly revision: number;
}

export interface SlackNotifier {
  /** Posts the message unless it was posted before (see src/slack/README.md for how a crash is covered). */
  postOnce(spec: PostSpec, pace: Pace): Promise<Posted>;
  /** chat.update of a posted message; a 429 delays the job. */
  update(target: { channel: string; ts: string }, message: SlackMessage, pace: Pace): Promise<void>;
}

const LEASE_SECONDS = 60;
const LOOKUP_PAGES = 5;

export interface NotifierDeps {
  readonly client: webApi.WebClient;
  readonly store: CardStore;
  readonly slots: ChannelSlots;
  readonly channels: ChannelResolver;
  readonly logger: Logger;
}

/**
 * Posting exactly once, across retries, crashes and concurrent workers: the message row is claimed under a
 * lease before chat.postMessage and its ts stored after; a claim that ended without knowing whether Slack
 * took the message makes the next claimant look for it (by its key in the message metadata) first.
 */
export function createSlackNotifier(deps: NotifierDeps): SlackNotifier {
  const { client, store, slots } = deps;
  return {
    async postOnce(spec, pace) {
      const existing = await store.get(spec.key);
      if (existing?.ts) return posted(existing.channel, existing.ts, false, existing.postedRevision ?? 0);
      const channel = existing?.channel ?? (await deps.channels.resolve(spec.channel));
      if (!existing) await store.ensure({ key: spec.key, kind: spec.kind, channel, threadTs: spec.threadTs });
      const claim = await store.claim(spec.key, LEASE_SECONDS);
      if (claim.kind === 'posted')
        return posted(claim.row.channel, claim.row.ts as string, false, claim.row.postedRevision ?? 0);
      if (claim.kind === 'busy') return pace.delay(claim.retryInMs);
      // Whether an earlier attempt may have posted it; cleared once a look finds that it did not.
      let uncertain = claim.maybePosted;
      try {
        if (uncertain) {
          const found = await findPosted(deps, channel, spec, claim.since);
          if (found) {
            await store.recordPosted(spec.key, found, 0);
            return posted(channel, found, false, 0);
          }
          uncertain = false;
        }
        const { message, revision } = await spec.render();
        // The slot is taken last, right before the call, so the second between posts is Slack's to see.
        const wait = await slots.take(channel);
        if (wait > 0) {
          await store.release(spec.key, claim.token, uncertain);
          return pace.delay(wait + Math.floor(Math.random() * 100));
        }
        const result = await call('chat.postMessage', () =>
          client.chat.postMessage({
            channel,
            text: message.text,
            blocks: message.blocks,
            thread_ts: spec.threadTs,
            unfurl_links: false,
            unfurl_media: false,
            metadata: { event_type: MESSAGE_EVENT_TYPE, event_payload: { key: spec.key } },
          }),
        );
        if (!(await store.recordPosted(spec.key, result.ts as string, revision))) {
          return adoptOther(deps, spec.key, channel, result.ts as string);
        }
        return posted(channel, result.ts as string, true, revision);
      } catch (error) {
        // Anything else (say MySQL failing right after the post) keeps the claim: its lease runs out and the
        // next attempt looks for the message before posting.
        if (error instanceof SlackDeliveryError) {
          const failure = error.failure;
          const maybe = uncertain || (failure.kind === 'transient' && failure.maybePosted);
          await store.release(spec.key, claim.token, maybe);
          if (failure.kind === 'rate_limited') {
            await slots.block(channel, failure.retryAfterMs);
            return pace.delay(failure.retryAfterMs);
          }
        }
        throw error;
      }
    },

    async update(target, message, pace) {
      try {
        await call('chat.update', () =>
          client.chat.update({
            channel: target.channel,
            ts: target.ts,
            text: message.text,
            blocks: message.blocks,
          }),
        );
      } catch (error) {
        if (error instanceof SlackDeliveryError && error.failure.kind === 'rate_limited')
          return pace.delay(error.failure.retryAfterMs);
        throw error;
      }
    },
  };
}

/**
 * Another claimant recorded the message while this post was in flight (possible only when this call outlived
 * its lease): ours is the duplicate, so it is deleted and theirs kept.
 */
async function adoptOther(deps: NotifierDeps, key: string, channel: string, ours: string): Promise<Posted> {
  deps.logger.warn({ key, channel }, 'message posted twice (a post outlived its lease); deleting the second');
  await deps.client.chat.delete({ channel, ts: ours }).catch(() => undefined);
  const row = await deps.store.get(key);
  return posted(channel, row?.ts ?? ours, false, row?.postedRevision ?? 0);
}

function posted(channel: string, ts: string, fresh: boolean, revision: number): Posted {
  return { channel, ts, fresh, revision };
}

async function call<T>(method: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new SlackDeliveryError(classifySlackError(error), method, { cause: error });
  }
}

interface MessageWithMetadata {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

/**
 * The ts of the message with this key posted since the first claim (a minute of clock skew allowed), read
 * from the channel's history or the thread's replies. If Slack will not let us look (a missing scope), the
 * post goes ahead — a possible duplicate beats a lost alert — and the log says which scope is missing.
 */
async function findPosted(
  deps: NotifierDeps,
  channel: string,
  spec: PostSpec,
  since: Date | null,
): Promise<string | undefined> {
  const oldest = since ? String((since.getTime() - 60_000) / 1000) : undefined;
  let cursor: string | undefined;
  try {
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const args = { channel, oldest, cursor, limit: 200, include_all_metadata: true };
      const result = await call('conversations.history', () =>
        spec.threadTs
          ? deps.client.conversations.replies({ ...args, ts: spec.threadTs })
          : deps.client.conversations.history(args),
      );
      const messages = (result.messages ?? []) as MessageWithMetadata[];
      const found = messages.find(
        (m) => m.metadata?.event_type === MESSAGE_EVENT_TYPE && m.metadata.event_payload?.key === spec.key,
      );
      if (found?.ts) return found.ts;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  } catch (error) {
    if (error instanceof SlackDeliveryError && error.failure.kind === 'permanent') {
      deps.logger.warn(
        { key: spec.key, channel, reason: error.failure.reason },
        'cannot look for an earlier post of this message (grant channels:history and groups:history); posting it',
      );
      return undefined;
    }
    throw error;
  }
}
