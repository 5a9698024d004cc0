import { webApi } from '@slack/bolt';
import type { Logger } from '../logger.js';
import { createBoltLogger } from './bolt-logger.js';

/** Where the Web API is and who we are there. */
export interface SlackClientSettings {
  readonly botToken: string;
  /** SLACK_API_URL: another base URL (Slack-compatible gateways, tests); Slack's own when undefined. */
  readonly apiUrl?: string | undefined;
}

/** Base URL with the trailing slash the client appends method names to. */
export function slackApiUrl(apiUrl: string | undefined): string | undefined {
  return apiUrl ? `${apiUrl.replace(/\/+$/, '')}/` : undefined;
}

/**
 * Options of the client Bolt uses for interactive work (commands, buttons): a couple of quick retries, and a
 * 429 rejected at once, because a person is waiting — never the client's default of retrying for 30 minutes.
 */
export function interactiveClientOptions(
  settings: SlackClientSettings,
  logger: Logger,
): webApi.WebClientOptions {
  return {
    slackApiUrl: slackApiUrl(settings.apiUrl),
    logger: createBoltLogger(logger),
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
}

/**
 * The client queue jobs post with: it never retries or waits by itself. A 429 comes back as an error whose
 * Retry-After the job turns into a delay; every other failure is the job's to retry with backoff.
 */
export function createDeliveryClient(settings: SlackClientSettings, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(settings.botToken, {
    slackApiUrl: slackApiUrl(settings.apiUrl),
    logger: createBoltLogger(logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // Well inside the claim lease (60 s), so a hanging post cannot outlive its claim.
    timeout: 15_000,
  });
}
