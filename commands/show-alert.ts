import { alertDetailMessage } from '../src/slack/blocks/alert-detail.js';
import type { SlackMessage } from '../src/slack/blocks/common.js';
import type { CommandDeps } from './deps.js';

/** `/alerts show <id>`: the alert's card and its audit trail. */
export async function showAlert(deps: CommandDeps, id: number): Promise<SlackMessage> {
  const alert = await deps.alerts.get(id);
  if (!alert) return { text: `There is no alert #${id}.` };
  const events = await deps.alerts.events(id);
  return alertDetailMessage(alert, events, {
    timeZone: deps.timeZoneOf(alert.source),
    ...deps.cardLinks?.(alert),
  });
}
