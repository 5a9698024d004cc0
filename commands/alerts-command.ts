import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackMessage } from '../src/slack/blocks/common.js';
import { usageMessage } from '../src/slack/blocks/help.js';
import { actOnAlert } from './act-on-alert.js';
import type { CommandDeps, Requester } from './deps.js';
import { listAlerts } from './list-alerts.js';
import { muteSource, unmuteSource } from './mute-command.js';
import { type AlertsCommand, parseAlertsCommand } from './parse-alerts-command.js';
import { showAlert } from './show-alert.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/alerts …`: acknowledged at once (Slack gives 3 seconds), then answered with an ephemeral message through
 * response_url. Text that cannot be read gets the usage with what was wrong; a failure of ours gets an apology
 * and a log line, never silence.
 */
export function createAlertsCommandHandler(deps: CommandDeps) {
  return async ({ command, ack, respond, client }: CommandArgs): Promise<void> => {
    await ack();
    const parsed = parseAlertsCommand(command.text ?? '');
    let reply: SlackMessage;
    try {
      reply = await answer(deps, { userId: command.user_id, client }, parsed);
    } catch (error) {
      deps.logger.error({ err: error, command: parsed.kind }, '/alerts failed');
      reply = {
        text: ':warning: ratewatch could not answer just now (its database or queue is unreachable). Try again in a minute.',
      };
    }
    await respond({ response_type: 'ephemeral', ...reply });
  };
}

function answer(deps: CommandDeps, who: Requester, command: AlertsCommand): Promise<SlackMessage> {
  switch (command.kind) {
    case 'list':
      return listAlerts(deps, command);
    case 'show':
      return showAlert(deps, command.id);
    case 'ack':
      return actOnAlert(deps, who, { id: command.id, action: 'acknowledge' }).then((o) => o.reply);
    case 'resolve':
      return actOnAlert(deps, who, { id: command.id, action: 'resolve', note: command.note }).then(
        (o) => o.reply,
      );
    case 'mute':
      return muteSource(deps, who, command);
    case 'unmute':
      return unmuteSource(deps, who, command);
    case 'help':
      return Promise.resolve(usageMessage());
    case 'usage':
      return Promise.resolve(usageMessage(command.problem));
  }
}
