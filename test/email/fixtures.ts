import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPageLinks } from '../../src/alert-page/page-links.js';
import type { Alert } from '../../src/alerts/alert.js';
import { createAlertService, openOrMerge } from '../../src/alerts/alert-service.js';
import type { AlertAction, Channel } from '../../src/alerts/alert-state.js';
import type { AlertStore } from '../../src/alerts/alert-store.js';
import { loadConfig } from '../../src/config.js';
import { parseConfigFile, profileResolver } from '../../src/config-file.js';
import type { Finding, Metric, Severity } from '../../src/detection/types.js';
import { createEmailSupport, type EmailSupport } from '../../src/email/create-email.js';
import { createLogger } from '../../src/logger.js';
import { createDeliveryQueue } from '../../src/slack/delivery-queue.js';
import { aFinding } from '../helpers/alerts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

export const LINK_SECRET = 'test-link-secret-0123456789';
export const PUBLIC_URL = 'https://ratewatch.example.com';

/** Routing, time zone and escalation the email tests share. */
export const CONFIG_YAML = `sources:
  card-eu:
    timezone: Europe/Berlin
routing:
  rules:
    - match: { source: 'card-*' }
      email: [finance@example.com]
      fallback_email: [fallback@example.com]
    - match: { severity: [critical] }
      email: [cto@example.com]
escalation:
  severities: [critical]
  after_minutes: 15
  email: [lead@example.com]
  slack_mention: '<!subteam^S0123|oncall>'
`;

/** The environment of an email test app: loopback SMTP, everyone's addresses, signed links. */
export function emailEnv(smtpUrl: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'rw-email-'));
  const file = join(dir, 'ratewatch.yml');
  writeFileSync(file, CONFIG_YAML);
  return {
    SMTP_URL: smtpUrl,
    EMAIL_FROM: 'ratewatch <alerts@ratewatch.example.com>',
    EMAIL_TO: 'ops@example.com',
    LINK_SECRET,
    PUBLIC_URL,
    RATEWATCH_CONFIG: file,
  };
}

/** The email adapter built on the test app's real MySQL and Redis, for calling job handlers directly. */
export function emailSupportFor(app: TestApp, env: Record<string, string>, now: () => Date): EmailSupport {
  const config = loadConfig({ ...env, MYSQL_URL: app.database.url, QUEUE_PREFIX: app.queuePrefix });
  const file = parseConfigFile(CONFIG_YAML);
  const profileOf = profileResolver(file);
  return createEmailSupport({
    config,
    linkSecret: LINK_SECRET,
    file,
    pool: app.storage.pool,
    alerts: app.storage.alerts,
    threadReply: createDeliveryQueue(app.jobs).threadReply,
    timeZoneOf: (source) => profileOf(source).timeZone,
    // As src/alert-page/create-alert-pages.ts signs them: the recipient's own link to the alert page.
    pageUrl: (alert, recipient) =>
      createPageLinks({
        secret: LINK_SECRET,
        publicUrl: PUBLIC_URL,
        emailTtlMs: 72 * 3_600_000,
        slackTtlMs: 0,
      }).urlFor(alert.id, { kind: 'email', recipient }, now()),
    logger: createLogger({ level: 'silent' }),
    now,
  });
}

/** A detection finding behind the email tests' alerts. */
export function findingOf(source: string, metric: Metric, severity: Severity): Finding {
  return aFinding({ source, metric, severity });
}

/** Opens (or merges into) a detection alert in the store, as the alert service does: no notification is enqueued. */
export async function raiseAlert(
  alerts: AlertStore,
  input: { source: string; metric?: Metric; severity: Alert['severity']; at: Date; title?: string },
): Promise<Alert> {
  const metric = input.metric ?? 'failed';
  const result = await alerts.transaction((tx) =>
    openOrMerge(tx, {
      source: input.source,
      environment: 'production',
      api: null,
      metric,
      severity: input.severity,
      origin: 'detection',
      title: input.title ?? `${metric} rate 3.1% (expected 0.9%)`,
      summary: null,
      finding: findingOf(input.source, metric, input.severity),
      actor: 'ratewatch',
      channel: 'auto',
      at: input.at,
    }),
  );
  return result.alert;
}

/** Acknowledges or resolves through the alert service at `at`, notifying nobody; the alert as it then is. */
export async function actOn(
  alerts: AlertStore,
  input: { id: number; action: AlertAction; actor: string; channel: Channel; at: Date },
): Promise<Alert> {
  const silent = {
    channelsFor: () => [],
    changed: async () => undefined,
    runFinished: async () => undefined,
  };
  const recovery = { recoveryHours: 2, autoResolve: false };
  const service = createAlertService({ alerts, notifications: silent, recovery, now: () => input.at });
  const result = await service.act(input);
  if (result.kind !== 'done') throw new Error(`alert ${input.id} was not changed: ${result.kind}`);
  return result.alert;
}

/** A test app on loopback SMTP with the email adapter built on it, as the email job tests use them. */
export interface EmailRig {
  readonly smtp: TestSmtpServer;
  readonly app: TestApp;
  readonly email: EmailSupport;
  /** The app's alert store, for seeding alerts (raiseAlert) and acting on them (actOn). */
  readonly alerts: AlertStore;
}

/** Starts loopback SMTP, a test app with the email environment (plus `env`), and the email adapter on it. */
export async function startEmailRig(
  label: string,
  now: () => Date,
  env: Record<string, string> = {},
): Promise<EmailRig> {
  const smtp = await startSmtpServer();
  const fullEnv = { ...emailEnv(smtp.url), ...env };
  const app = await startTestApp(label, fullEnv, { now });
  return { smtp, app, email: emailSupportFor(app, fullEnv, now), alerts: app.storage.alerts };
}

export async function stopEmailRig(rig: EmailRig | undefined): Promise<void> {
  await rig?.email.close();
  await rig?.app.stop();
  await rig?.smtp.close();
}
