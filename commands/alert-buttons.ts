import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AlertAction } from '../src/alerts/alert-state.js';
import { actOnAlert } from './act-on-alert.js';
import type { CommandDeps } from './deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The Acknowledge button (on cards, digests and /alerts rows). Resolve asks first: resolve-modal.ts. */
export function createAcknowledgeButtonHandler(deps: CommandDeps) {
  return createAlertButtonHandler(deps, 'acknowledge');
}

/**
 * A click: acknowledged at once, then the transition. On success the card is edited and the thread told by
 * the notify-alert job the service queued; the clicker hears back only when they clicked in an ephemeral
 * /alerts list (the list itself does not change). A refusal always comes back to them, ephemeral, with why.
 */
function createAlertButtonHandler(deps: CommandDeps, action: AlertAction) {
  return async ({ ack, body, action: button, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const id = Number(button.value);
    if (!Number.isSafeInteger(id) || id <= 0) return;
    try {
      const outcome = await actOnAlert(deps, { userId: body.user.id, client }, { id, action });
      if (!outcome.ok || body.container?.is_ephemeral) {
        await respond({ response_type: 'ephemeral', replace_original: false, ...outcome.reply });
      }
    } catch (error) {
      deps.logger.error({ err: error, alert: id, action }, 'alert button failed');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `:warning: ratewatch could not ${action} alert #${id} just now. Try again in a minute.`,
      });
    }
  };
}
