import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { CommandDeps } from './deps.js';
import { muteSource } from './mute-command.js';

type SelectArgs = SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs;

const MAX_MUTE_MINUTES = 1440;

/**
 * The card's Mute menu: mutes the alert's source, environment, metric (and api, for an API alert) for the chosen time, exactly as
 * `/alerts mute` does (the same code: allow-list, the mute, `muted` on the trail, a note in the thread); the
 * clicker gets the same ephemeral answer.
 */
export function createMuteMenuHandler(deps: CommandDeps) {
  return async ({ ack, body, action, respond, client }: SelectArgs): Promise<void> => {
    await ack();
    const [idText, minutesText] = (action.selected_option?.value ?? '').split('_');
    const id = Number(idText);
    const minutes = Number(minutesText);
    if (!Number.isSafeInteger(id) || id <= 0 || !(minutes > 0 && minutes <= MAX_MUTE_MINUTES)) return;
    try {
      const alert = await deps.alerts.get(id);
      if (!alert) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `There is no alert #${id}.`,
        });
        return;
      }
      const reply = await muteSource(
        deps,
        { userId: body.user.id, client },
        {
          source: alert.source,
          environment: alert.environment,
          api: alert.api,
          metric: alert.metric,
          durationMs: minutes * 60_000,
        },
      );
      await respond({ response_type: 'ephemeral', replace_original: false, ...reply });
    } catch (error) {
      deps.logger.error({ err: error, alert: id }, 'muting from the card failed');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `:warning: ratewatch could not mute alert #${id}'s source just now. Try \`/alerts mute\`.`,
      });
    }
  };
}
