import { type DeliveryDeps, isDigestKey } from './slack-deps.js';

/**
 * Slack could not deliver these alerts for good (the last attempt failed): each one that has no posted Slack
 * message goes to the email fallback, and the audit trail records the failure (`notified`, channel slack,
 * detail kind `failed`). Alerts whose card is already in Slack only missed an edit and are left alone;
 * with `leaveOwnCards` (an hour's plan failed), so are alerts linked to a card of their own.
 * Returns the ids handed over.
 */
export async function handOverToEmail(
  deps: DeliveryDeps,
  alertIds: readonly number[],
  error: unknown,
  options: { leaveOwnCards?: boolean } = {},
): Promise<number[]> {
  const handed: number[] = [];
  for (const alertId of await withDigestMates(deps, alertIds)) {
    const alert = await deps.alerts.get(alertId);
    if (!alert || (await isInSlack(deps, alertId))) continue;
    if (options.leaveOwnCards && (await hasOwnCard(deps, alertId))) continue;
    await deps.queue.emailFallback(alertId, alert.revision);
    await deps.alerts.addEvent({
      alertId,
      kind: 'notified',
      actor: 'ratewatch',
      channel: 'slack',
      detail: { kind: 'failed', revision: alert.revision, error: (error as Error)?.message ?? String(error) },
      dedupeKey: `slack_failed_${alertId}_${alert.revision}`,
    });
    handed.push(alertId);
  }
  return handed;
}

/** The alerts, plus every alert that shares a digest with one of them (the digest failed for all of them). */
async function withDigestMates(deps: DeliveryDeps, alertIds: readonly number[]): Promise<Set<number>> {
  const all = new Set(alertIds);
  for (const alertId of alertIds) {
    const link = await deps.store.linkOf(alertId);
    if (link && isDigestKey(link.messageKey)) {
      for (const mate of await deps.store.alertIdsOf(link.messageKey)) all.add(mate);
    }
  }
  return all;
}

/** Linked to a card of its own: its own notify-alert job delivers it (and falls back if it must). */
async function hasOwnCard(deps: DeliveryDeps, alertId: number): Promise<boolean> {
  const link = await deps.store.linkOf(alertId);
  return !!link && !isDigestKey(link.messageKey);
}

async function isInSlack(deps: DeliveryDeps, alertId: number): Promise<boolean> {
  const link = await deps.store.linkOf(alertId);
  return !!link && !!(await deps.store.get(link.messageKey))?.ts;
}
