import type { Alert } from '../alerts/alert.js';
import type { RunChanges } from '../alerts/notifications.js';
import { routeAlert } from '../routing/route-alert.js';
import { type DeliveryDeps, digestKey } from './slack-deps.js';
import { SlackDeliveryError } from './slack-errors.js';

/** What planning a run's delivery did: digests formed, and the notify-alert jobs queued. */
export interface RunDelivery {
  readonly digests: readonly { channel: string; key: string; alerts: number }[];
  readonly queued: readonly number[];
}

/**
 * Plans the delivery of a finished run's batch of changes. Per channel, when more alerts than
 * `digestThreshold` would get a new card, they are linked to one digest message of this batch instead (so
 * later changes edit the digest and reply in its thread), and one notify-alert job of an alert in it posts the
 * digest; every other raised or recovered alert gets its own notify-alert job. Posting happens in those jobs,
 * so each is paced and retried on its own. A re-run of the same batch finds the alerts already linked to its
 * digest and makes the same choice again; `attempt` (the sweep's) gives the jobs it queues fresh ids.
 */
export async function deliverRun(
  deps: DeliveryDeps,
  changes: RunChanges,
  attempt?: number,
): Promise<RunDelivery> {
  const raised = await loadAlerts(deps, changes.raised);
  // Alerts no channel takes get their own job too: it says so in the log and settles their outbox rows.
  const unrouted = raised.filter((alert) => !routeAlert(alert, deps.routing).channel);
  const individually: Alert[] = [...unrouted, ...(await loadAlerts(deps, changes.recovered))];
  const digests: { channel: string; key: string; alerts: number }[] = [];
  for (const [channel, group] of byChannel(deps, raised)) {
    const key = await digestKeyFor(deps, changes, channel);
    const links = await linksOf(deps, group);
    const fresh = group.filter((a) => !links.has(a.id));
    const inDigest = group.filter((a) => key && links.get(a.id) === key.key);
    if (!key || (inDigest.length === 0 && fresh.length <= deps.routing.digestThreshold)) {
      individually.push(...group);
      continue;
    }
    // The row first, then the links: an alert linked to a digest always finds its message row.
    await deps.store.ensure({ key: key.key, kind: 'digest', channel: key.channelId });
    await deps.store.link(
      fresh.map((a) => a.id),
      key.key,
    );
    const members = await deps.store.alertIdsOf(key.key);
    digests.push({ channel: key.channelId, key: key.key, alerts: members.length });
    const first = group.find((a) => a.id === members[0]) ?? (await deps.alerts.get(members[0] as number));
    if (first) individually.push(first);
    individually.push(...group.filter((a) => links.has(a.id) && links.get(a.id) !== key.key));
  }
  const queued = unique(individually);
  for (const alert of queued) await deps.queue.notifyAlert(alert.id, alert.revision, attempt);
  return { digests, queued: queued.map((a) => a.id) };
}

/** The batch's digest key in this channel; undefined when the channel cannot be resolved (each alert's own job then fails and falls back). */
async function digestKeyFor(deps: DeliveryDeps, changes: RunChanges, channel: string) {
  try {
    const channelId = await deps.channels.resolve(channel);
    return { key: digestKey(changes.runKey, changes.batchId, channelId), channelId };
  } catch (error) {
    if (error instanceof SlackDeliveryError && error.failure.kind === 'permanent') return undefined;
    throw error;
  }
}

async function linksOf(deps: DeliveryDeps, alerts: readonly Alert[]): Promise<Map<number, string>> {
  const found = await Promise.all(alerts.map((a) => deps.store.linkOf(a.id)));
  return new Map(found.flatMap((l) => (l ? [[l.alertId, l.messageKey] as const] : [])));
}

async function loadAlerts(deps: DeliveryDeps, ids: readonly number[]): Promise<Alert[]> {
  const alerts = await Promise.all([...new Set(ids)].map((id) => deps.alerts.get(id)));
  return alerts.filter((a): a is Alert => a !== undefined);
}

function unique(alerts: readonly Alert[]): Alert[] {
  return [...new Map(alerts.map((a) => [a.id, a])).values()];
}

/** Raised alerts grouped by routed channel, channels in name order (alerts with no channel left out). */
function byChannel(deps: DeliveryDeps, alerts: readonly Alert[]): [string, Alert[]][] {
  const groups = new Map<string, Alert[]>();
  for (const alert of alerts) {
    const channel = routeAlert(alert, deps.routing).channel;
    if (channel) groups.set(channel, [...(groups.get(channel) ?? []), alert]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}
