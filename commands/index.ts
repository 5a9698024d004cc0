import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION, COMMAND } from '../src/slack/ids.js';
import type { SlackListeners } from '../src/slack/setup.js';
import { createAcknowledgeButtonHandler, createResolveButtonHandler } from './alert-buttons.js';
import { createAlertsCommandHandler } from './alerts-command.js';
import type { CommandDeps } from './deps.js';
import { createMentionHandler } from './mention.js';
import { createPageButtonHandler } from './page-buttons.js';

export type { CommandDeps } from './deps.js';

/**
 * Registers every slash command, button and event listener on the Bolt app (see commands/README.md); the
 * process entry hands it to the app as its SlackListeners.
 */
export const registerCommands: SlackListeners = (app: App, deps: CommandDeps): void => {
  app.command(COMMAND, createAlertsCommandHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.acknowledge, createAcknowledgeButtonHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.resolve, createResolveButtonHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.previousPage, createPageButtonHandler(deps));
  app.action<BlockAction<ButtonAction>>(ACTION.nextPage, createPageButtonHandler(deps));
  app.event('app_mention', createMentionHandler());
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
};
