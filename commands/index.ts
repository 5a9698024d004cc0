import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import { ACTION, COMMAND, VIEW } from '../src/slack/ids.js';
import type { SlackListeners } from '../src/slack/setup.js';
import { createAcknowledgeButtonHandler } from './alert-buttons.js';
import { createAlertsCommandHandler } from './alerts-command.js';
import type { CommandDeps } from './deps.js';
import { createMentionHandler } from './mention.js';
import { createMuteMenuHandler } from './mute-menu.js';
import { createPageButtonHandler } from './page-buttons.js';
import { createResolveButtonHandler, createResolveModalHandler } from './resolve-modal.js';

export type { CommandDeps } from './deps.js';

/**
 * Registers every slash command, button and event listener on the Bolt app (see commands/README.md); the
 * process entry hands it to the app as its SlackListeners.
 */
export const registerCommands: SlackListeners = (app: App, deps: CommandDeps): void => {
  app.command(COMMAND, createAlertsCommandHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.acknowledge, createAcknowledgeButtonHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.resolve, createResolveButtonHandler(deps));
  app.view(VIEW.resolve, createResolveModalHandler(deps));
  app.action<BlockAction<StaticSelectAction>>(ACTION.mute, createMuteMenuHandler(deps));
  // A URL button opens its page in the browser; Slack still sends us the click, which only needs an answer.
  app.action(ACTION.open, async ({ ack }) => ack());
  app.action<BlockAction<ButtonAction>>(ACTION.previousPage, createPageButtonHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.nextPage, createPageButtonHandler(deps));
  app.event('app_mention', createMentionHandler());
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
};
