import type { Alert, AlertEvent } from '../alerts/alert.js';
import { parseRunKey } from '../alerts/run-key.js';
import { routeAlert } from '../routing/route-alert.js';
import type { AlertLink } from '../storage/slack-messages.js';
import { alertCard } from './blocks/card.js';
import type { SlackMessage } from './blocks/common.js';
import { digestCard } from './blocks/digest.js';
import { THREAD_EVENT_KINDS, threadReplyText } from './blocks/thread-reply.js';
import { oweChart } from './chart-upload.js';
import { fallbackNote } from './fallback-note.js';
import type { Pace, Posted } from './notifier.js';
import { cardKey, type DeliveryDeps, digestRunKey, isDigestKey } from './slack-deps.js';

/** An alert at the revision a message now shows. */
export interface ShownAlert {
  readonly alertId: number;
  readonly revision: number;
}

/**
 * What syncing an alert's message did: synced — posted or edited, `shown` listing each alert the message shows
 * at the revision it shows (all of a digest's) — or skipped (no such alert, no channel).
 */
export type SyncResult =
  | {
      readonly kind: 'synced';
      readonly messageKey: string;
      readonly ts: string;
      readonly posted: boolean;
      readonly shown: readonly ShownAlert[];
    }
  | { readonly kind: 'skipped'; readonly reason: string };

const MAX_UPDATES = 5;

/**
 * Brings the Slack message that shows an alert up to date — its own card, or the digest it went out in —
 * posting it first if it never was, then queues a thread reply for each audit-trail event since the last
 * sync. Safe to run any number of times, in any order, on any worker.
 */
export async function syncAlert(deps: DeliveryDeps, alertId: number, pace: Pace): Promise<SyncResult> {
  const alert = await deps.alerts.get(alertId);
  if (!alert) return { kind: 'skipped', reason: 'no such alert' };
  let link = await deps.store.linkOf(alertId);
  const channel = routeAlert(alert, deps.routing).channel;
  if (!link) {
    if (!channel) return noChannel(deps, alert);
    [link] = await deps.store.link([alertId], cardKey(alertId));
  }
  if (!link) return { kind: 'skipped', reason: 'link vanished' };
  const result = isDigestKey(link.messageKey)
    ? await syncDigest(deps, link.messageKey, pace)
    : await syncCard(deps, alert, channel, pace);
  if (result.kind === 'synced') await queueReplies(deps, link, isDigestKey(link.messageKey));
  return result;
}

async function syncCard(
  deps: DeliveryDeps,
  alert: Alert,
  channel: string | undefined,
  pace: Pace,
): Promise<SyncResult> {
  const key = cardKey(alert.id);
  const row = await deps.store.get(key);
  const target = row?.channel ?? channel;
  if (!target) return noChannel(deps, alert);
  const render = () => renderCard(deps, alert.id);
  const post = await deps.notifier.postOnce({ key, kind: 'card', channel: target, render }, pace);
  await recordNotified(deps, [alert.id], 'card', post);
  const shown = await converge(deps, key, post, render, pace);
  // After the card is in Slack (never before, never holding it up): its chart at this severity, once.
  await oweChart(deps, (await deps.alerts.get(alert.id)) ?? alert);
  return { kind: 'synced', messageKey: key, ts: post.ts, posted: post.fresh, shown };
}

/** Posts (once) or updates a digest from the current state of every alert in it. */
export async function syncDigest(deps: DeliveryDeps, key: string, pace: Pace): Promise<SyncResult> {
  const row = await deps.store.get(key);
  if (!row) return { kind: 'skipped', reason: `digest ${key} has no message row` };
  const render = () => renderDigest(deps, key);
  const post = await deps.notifier.postOnce({ key, kind: 'digest', channel: row.channel, render }, pace);
  await recordNotified(deps, await deps.store.alertIdsOf(key), 'digest', post);
  const shown = await converge(deps, key, post, render, pace);
  return { kind: 'synced', messageKey: key, ts: post.ts, posted: post.fresh, shown };
}

type Render = () => Promise<{ message: SlackMessage; revision: number; alerts: readonly ShownAlert[] }>;

/**
 * Edits the message until it shows the newest revision. Each pass renders from MySQL, updates, and checks
 * again: of two workers racing, the one whose edit lands last has rendered — or will re-render — the newest.
 * Returns the alerts the message shows once it is up to date (what the outbox may mark delivered).
 */
async function converge(deps: DeliveryDeps, key: string, post: Posted, render: Render, pace: Pace) {
  let shown = post.revision;
  for (let pass = 0; ; pass++) {
    const { message, revision, alerts } = await render();
    if (revision <= shown || pass >= MAX_UPDATES) return revision <= shown ? alerts : [];
    await deps.notifier.update({ channel: post.channel, ts: post.ts }, message, pace);
    await deps.store.recordRevision(key, revision);
    shown = revision;
  }
}

async function renderCard(deps: DeliveryDeps, alertId: number) {
  const alert = (await deps.alerts.get(alertId)) as Alert;
  const note = fallbackNote(await deps.alerts.events(alertId));
  const links = deps.cardLinks?.(alert);
  const message = alertCard(alert, { timeZone: deps.timeZoneOf(alert.source), fallbackNote: note, ...links });
  return { message, revision: alert.revision, alerts: [{ alertId, revision: alert.revision }] };
}

async function renderDigest(deps: DeliveryDeps, key: string) {
  const ids = await deps.store.alertIdsOf(key);
  const alerts = (await Promise.all(ids.map((id) => deps.alerts.get(id)))).filter((a): a is Alert => !!a);
  const revision = alerts.reduce((sum, a) => sum + a.revision, 0);
  const runKey = digestRunKey(key);
  const message = digestCard(alerts, (runKey && parseRunKey(runKey)?.start) || null);
  return { message, revision, alerts: alerts.map((a) => ({ alertId: a.id, revision: a.revision })) };
}

/** One `notified` event per alert and message (deduplicated), with where it went. */
async function recordNotified(deps: DeliveryDeps, ids: readonly number[], kind: string, post: Posted) {
  for (const alertId of ids) {
    await deps.alerts.addEvent({
      alertId,
      kind: 'notified',
      actor: 'ratewatch',
      channel: 'slack',
      detail: { kind, channel: post.channel, ts: post.ts },
      dedupeKey: `slack_posted_${alertId}`,
    });
  }
}

async function queueReplies(deps: DeliveryDeps, link: AlertLink, inDigest: boolean): Promise<void> {
  const alert = await deps.alerts.get(link.alertId);
  if (!alert) return;
  const events: AlertEvent[] = (await deps.alerts.events(alert.id)).filter((e) => e.id > link.eventsThrough);
  for (const event of events) {
    const text = THREAD_EVENT_KINDS.has(event.kind) ? threadReplyText(event, alert, inDigest) : undefined;
    if (text) await deps.queue.threadReply({ alertId: alert.id, text, dedupeKey: `event_${event.id}` });
  }
  const last = events.at(-1);
  if (last) await deps.store.advanceEvents(alert.id, last.id);
}

function noChannel(deps: DeliveryDeps, alert: Alert): SyncResult {
  deps.logger.warn(
    { alert: alert.id, source: alert.source, environment: alert.environment },
    'no Slack channel for this alert: set SLACK_DEFAULT_CHANNEL or a routing rule with a channel',
  );
  return { kind: 'skipped', reason: 'no channel' };
}
