import type { AlertChart } from '../alert-chart/alert-charts.js';
import type { Alert } from '../alerts/alert.js';
import type { AlertReader } from '../alerts/alert-store.js';
import type { Logger } from '../logger.js';
import type { SlackThreadReplyData } from '../queue/job-data.js';
import type { Routing } from '../routing/route-alert.js';
import type { EmailDeliveryStore } from '../storage/email-deliveries.js';
import type { ActionLinks } from './action-links.js';
import type { EscalationSettings } from './escalation.js';
import type { Mailer } from './mailer.js';

/** What email delivery and escalation work with (the jobs call them with it); built by createEmailSupport. */
export interface EmailDeps {
  readonly alerts: AlertReader;
  readonly deliveries: EmailDeliveryStore;
  /** Undefined when SMTP_URL is not set: email jobs then send nothing. */
  readonly mailer: Mailer | undefined;
  readonly routing: Routing;
  /** The source's IANA time zone (RATEWATCH_CONFIG), for windows in local time. */
  readonly timeZoneOf: (source: string) => string;
  /** Signs the acknowledge/resolve links (LINK_SECRET, or the secret generated once and kept in MySQL). */
  readonly links: ActionLinks;
  /** The alert page's URL for one recipient ("View alert"); undefined when no page links are made. */
  readonly pageUrl?: ((alert: Alert, recipient: string) => string | undefined) | undefined;
  /** The alert's chart (PNG), shown inline in its emails; undefined: emails go without charts. */
  readonly chartOf?: ((alert: Alert) => Promise<AlertChart>) | undefined;
  /** Undefined when the config file has no `escalation:` section. */
  readonly escalation: EscalationSettings | undefined;
  /** Queues the escalation's reply in the alert card's Slack thread; undefined when Slack is not configured. */
  readonly threadReply: ((reply: SlackThreadReplyData) => Promise<void>) | undefined;
  /** Domain of the Message-IDs we make (from EMAIL_FROM). */
  readonly messageDomain: string;
  readonly logger: Logger;
  readonly now: () => Date;
}
