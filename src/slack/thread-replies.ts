import { createHash } from 'node:crypto';
import type { SlackThreadReplyData } from '../queue/job-data.js';
import type { Pace, Posted } from './notifier.js';
import type { DeliveryDeps } from './slack-deps.js';

/** The alert's message is not posted yet: the reply job retries with backoff until it is. */
export class ThreadNotReadyError extends Error {
  constructor(alertId: number) {
    super(`alert #${alertId} has no Slack message to reply to yet`);
    this.name = 'ThreadNotReadyError';
  }
}

/**
 * Posts a reply in the thread of the message that shows the alert (its card or its digest), once per dedupe
 * key. `text` is mrkdwn built by the caller, which has escaped whatever in it is user-controlled.
 */
export async function postThreadReply(
  deps: DeliveryDeps,
  data: SlackThreadReplyData,
  pace: Pace,
): Promise<Posted | { skipped: string }> {
  const link = await deps.store.linkOf(data.alertId);
  const parent = link ? await deps.store.get(link.messageKey) : undefined;
  if (!parent?.ts) {
    if (!(await deps.alerts.get(data.alertId))) return { skipped: 'no such alert' };
    throw new ThreadNotReadyError(data.alertId);
  }
  const render = async () => ({ message: { text: data.text }, revision: 0 });
  return deps.notifier.postOnce(
    { key: replyKey(data.dedupeKey), kind: 'reply', channel: parent.channel, threadTs: parent.ts, render },
    pace,
  );
}

/** `reply_<dedupeKey>`, hashed when the key is too long for the message key column. */
function replyKey(dedupeKey: string): string {
  const key = `reply_${dedupeKey}`;
  return key.length <= 180 ? key : `reply_h_${createHash('sha256').update(dedupeKey).digest('hex')}`;
}
