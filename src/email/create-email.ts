import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AlertReader } from '../alerts/alert-store.js';
import type { Config } from '../config.js';
import type { RatewatchFile } from '../config-file.js';
import type { Routes } from '../http/server.js';
import type { Logger } from '../logger.js';
import type { SlackThreadReplyData } from '../queue/job-data.js';
import { routingFromConfig } from '../routing/routing-config.js';
import type { Pool } from '../storage/db.js';
import { createEmailDeliveryStore } from '../storage/email-deliveries.js';
import { createEmailLinkStore } from '../storage/email-links.js';
import { createActionLinks } from './action-links.js';
import { emailActionRoutes } from './action-routes.js';
import type { EmailDeps } from './email-deps.js';
import { escalationFromFile } from './escalation.js';
import { createSmtpMailer } from './mailer.js';

/** Email as the rest of ratewatch sees it: what its jobs need, its HTTP routes, and closing the SMTP pool. */
export interface EmailSupport {
  readonly deps: EmailDeps;
  /** `/email/actions/<token>` (confirmation page and POST). */
  routes(service: AlertService): Routes;
  close(): Promise<void>;
}

/**
 * Builds the email adapter from the config: SMTP pool (when SMTP_URL is set) and signed links, with
 * `linkSecret` — LINK_SECRET, or the secret generated once and kept in MySQL (src/app.ts resolves it).
 */
export function createEmailSupport(input: {
  config: Config;
  linkSecret: string;
  file: RatewatchFile | undefined;
  pool: Pool;
  alerts: AlertReader;
  /** Queues a reply in an alert card's Slack thread (escalation mentions the on-call group there). */
  threadReply: (reply: SlackThreadReplyData) => Promise<void>;
  timeZoneOf: (source: string) => string;
  /** The alert page for one recipient ("View alert"); undefined: emails have no such link. */
  pageUrl?: ((alert: Alert, recipient: string) => string | undefined) | undefined;
  /** The alert's chart, inline in its emails; undefined: emails go without. */
  chartOf?: EmailDeps['chartOf'];
  logger: Logger;
  now: () => Date;
}): EmailSupport {
  const { config, now } = input;
  const mailer = config.email.smtpUrl
    ? createSmtpMailer({ smtpUrl: config.email.smtpUrl, from: config.email.from })
    : undefined;
  const links = createActionLinks({
    secret: input.linkSecret,
    publicUrl: config.publicUrl,
    ttlMs: config.linkTtlHours * 3_600_000,
  });
  const deps: EmailDeps = {
    alerts: input.alerts,
    deliveries: createEmailDeliveryStore(input.pool),
    mailer,
    routing: routingFromConfig(config, input.file),
    timeZoneOf: input.timeZoneOf,
    links,
    pageUrl: input.pageUrl,
    chartOf: input.chartOf,
    escalation: escalationFromFile(input.file),
    threadReply: config.slack.mode === 'off' ? undefined : input.threadReply,
    messageDomain: domainOf(config.email.from),
    logger: input.logger,
    now,
  };
  const linkUses = createEmailLinkStore(input.pool);
  return {
    deps,
    routes: (service) =>
      emailActionRoutes({
        links,
        linkUses,
        alerts: input.alerts,
        service,
        timeZoneOf: input.timeZoneOf,
        now,
      }),
    close: async () => mailer?.close(),
  };
}

/** `ratewatch <alerts@example.com>` → `example.com`, for Message-IDs. */
export function domainOf(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'ratewatch.localhost';
}
