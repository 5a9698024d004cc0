import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { originOf, resolveModal } from '../src/slack/blocks/resolve-modal.js';
import { RESOLVE_NOTE } from '../src/slack/ids.js';
import { actOnAlert } from './act-on-alert.js';
import type { CommandDeps } from './deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The Resolve button (cards and /alerts rows): acknowledged at once, then a modal asks for confirmation and an
 * optional note (`views.open` with the click's trigger_id, which lives 3 seconds). Nothing changes until the
 * modal is submitted. An alert that is gone or already resolved is said at once, ephemeral.
 */
export function createResolveButtonHandler(deps: CommandDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const id = Number(action.value);
    if (!Number.isSafeInteger(id) || id <= 0) return;
    try {
      const alert = await deps.alerts.get(id);
      if (!alert || alert.status === 'resolved') {
        const text = alert ? `Alert #${id} is already resolved.` : `There is no alert #${id}.`;
        await respond({ response_type: 'ephemeral', replace_original: false, text });
        return;
      }
      const view = resolveModal(alert, { alertId: id, channel: body.channel?.id });
      await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (error) {
      deps.logger.error({ err: error, alert: id }, 'could not open the resolve dialog');
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: `:warning: ratewatch could not open the resolve dialog for alert #${id}. Try again, or \`/alerts resolve ${id}\`.`,
      });
    }
  };
}

/**
 * The resolve modal submitted: closes it, then resolves through the alert service with the note (the card and
 * its thread follow through notify-alert). A refusal — someone resolved it meanwhile — comes back ephemeral in
 * the channel of the card clicked.
 */
export function createResolveModalHandler(deps: CommandDeps) {
  return async ({ ack, body, view, client }: ViewArgs): Promise<void> => {
    await ack();
    const origin = originOf(view.private_metadata);
    if (!origin) return;
    const note = view.state.values[RESOLVE_NOTE.block]?.[RESOLVE_NOTE.action]?.value?.trim() || undefined;
    try {
      const outcome = await actOnAlert(
        deps,
        { userId: body.user.id, client },
        { id: origin.alertId, action: 'resolve', note },
      );
      if (!outcome.ok && origin.channel) {
        await client.chat.postEphemeral({
          channel: origin.channel,
          user: body.user.id,
          text: outcome.reply.text,
        });
      }
    } catch (error) {
      deps.logger.error({ err: error, alert: origin.alertId }, 'resolving from the dialog failed');
    }
  };
}
