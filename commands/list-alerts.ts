import type { AlertFilter } from '../src/alerts/alert.js';
import { alertListMessage } from '../src/slack/blocks/alert-list.js';
import type { SlackMessage } from '../src/slack/blocks/common.js';
import type { CommandDeps } from './deps.js';

/** One page of alerts, newest first, with the true total (the same query as GET /v1/alerts). */
export async function listAlerts(
  deps: CommandDeps,
  page: { filter: AlertFilter; limit: number; offset: number },
): Promise<SlackMessage> {
  const { alerts, total } = await deps.alerts.list(page.filter, { limit: page.limit, offset: page.offset });
  return alertListMessage({ ...page, alerts, total });
}
