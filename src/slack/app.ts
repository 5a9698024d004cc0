import { App, HTTPReceiver } from '@slack/bolt';
import type { RawListener } from '../http/server.js';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';
import { interactiveClientOptions, type SlackClientSettings } from './web-client.js';

/** How Slack reaches us: HTTP (signed requests to /slack/events) or Socket Mode (a WebSocket we open). */
export type SlackAppSettings = SlackClientSettings &
  (
    | { readonly mode: 'http'; readonly signingSecret: string }
    | { readonly mode: 'socket'; readonly appToken: string }
  );

/** The Bolt app with what the composition root needs to run it in either mode. */
export interface SlackApp {
  readonly bolt: App;
  /** HTTP mode: serves `/slack/events` on our own HTTP server (verifies Slack's signature itself). */
  readonly requestListener: RawListener | undefined;
  /** Socket Mode: connects; HTTP mode: nothing to do. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The path Slack posts events, commands and interactions to in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Builds the Bolt app for the configured mode. The bot token comes through `authorize` (no auth.test at
 * start-up, so a Slack outage cannot stop ratewatch from starting); SLACK_API_URL reaches the Web API client
 * through clientOptions, in Socket Mode also the one that opens the connection.
 */
export function createSlackApp(settings: SlackAppSettings, logger: Logger): SlackApp {
  const boltLogger = createBoltLogger(logger);
  const common = {
    authorize: async () => ({ botToken: settings.botToken }),
    clientOptions: interactiveClientOptions(settings, logger),
    logger: boltLogger,
  };
  if (settings.mode === 'http') {
    const receiver = new HTTPReceiver({
      signingSecret: settings.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger: boltLogger,
      processBeforeResponse: false,
    });
    const bolt = new App({ ...common, receiver });
    return {
      bolt,
      requestListener: receiver.requestListener,
      start: async () => undefined,
      stop: async () => undefined,
    };
  }
  const bolt = new App({ ...common, socketMode: true, appToken: settings.appToken });
  return {
    bolt,
    requestListener: undefined,
    start: async () => void (await bolt.start()),
    stop: async () => void (await bolt.stop()),
  };
}
