import { type AlertCharts, createAlertCharts } from '../alert-chart/alert-charts.js';
import type { Alert } from '../alerts/alert.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { Config } from '../config.js';
import type { SeriesProfile } from '../detection/settings.js';
import type { Routes } from '../http/server.js';
import { type Routing, routeAlert } from '../routing/route-alert.js';
import type { Storage } from '../storage/open-storage.js';
import { createPageLinks, type PageLinks } from './page-links.js';
import { alertPageRoutes } from './page-routes.js';

/** A Slack card's links: the alert page (Open) and the source's runbook, when there are any. */
export interface CardLinks {
  readonly openUrl?: string | undefined;
  readonly runbookUrl?: string | undefined;
}

/** The alert page and chart as the rest of ratewatch sees them. */
export interface AlertPages {
  /** Undefined when no secret signs links. */
  readonly links: PageLinks | undefined;
  readonly charts: AlertCharts;
  /** The links a Slack card shows (Open needs PUBLIC_URL: a card's link must work outside this machine). */
  cardLinks(alert: Alert): CardLinks;
  /** The page a recipient's email links to (undefined without a secret). */
  emailPageUrl(alert: Alert, recipient: string): string | undefined;
  routes(service: AlertService): Routes;
}

/** A Slack card's link works this long: the card stays in the channel; each edit of it signs a fresh one. */
const SLACK_LINK_TTL_MS = 30 * 86_400_000;

/**
 * Builds the alert page's links, charts and routes. `linkSecret` is the secret that signs the email action
 * links (LINK_SECRET today; the secret kept in MySQL when it is unset plugs in here): one secret, separate
 * token contexts.
 */
export function createAlertPages(input: {
  config: Config;
  linkSecret: string | undefined;
  storage: Storage;
  routing: Routing;
  profileOf: (source: string) => SeriesProfile;
  runbookOf: (source: string) => string | undefined;
  now: () => Date;
}): AlertPages {
  const { config, storage, now } = input;
  const links = input.linkSecret
    ? createPageLinks({
        secret: input.linkSecret,
        publicUrl: config.publicUrl,
        emailTtlMs: config.linkTtlHours * 3_600_000,
        slackTtlMs: SLACK_LINK_TTL_MS,
      })
    : undefined;
  const charts = createAlertCharts({ ...storage, ...input, retrainHours: config.detection.retrainHours });
  const timeZoneOf = (source: string) => input.profileOf(source).timeZone;
  return {
    links,
    charts,
    cardLinks: (alert) => ({
      openUrl:
        links && config.publicUrlSet
          ? links.urlFor(alert.id, { kind: 'slack', where: slackWhere(alert, input.routing) }, now())
          : undefined,
      runbookUrl: input.runbookOf(alert.source),
    }),
    emailPageUrl: (alert, recipient) => links?.urlFor(alert.id, { kind: 'email', recipient }, now()),
    routes: (service) =>
      alertPageRoutes({
        links,
        alerts: storage.alerts,
        service,
        charts,
        timeZoneOf,
        runbookOf: input.runbookOf,
        now,
      }),
  };
}

/** Where the card is: the channel routing sends the alert to (as the audit trail will name it). */
function slackWhere(alert: Alert, routing: Routing): string {
  const channel = routeAlert(alert, routing).channel;
  if (!channel) return 'Slack';
  return channel.startsWith('#') || /^[CG][A-Z0-9]+$/.test(channel) ? channel : `#${channel}`;
}
