import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../../src/alerts/alert.js';
import { loadConfig } from '../../src/config.js';
import { parseConfigFile, profileResolver } from '../../src/config-file.js';
import { createEmailSupport, type EmailSupport } from '../../src/email/create-email.js';
import type { EmailDeps } from '../../src/email/email-deps.js';
import { createLogger } from '../../src/logger.js';
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
    file,
    pool: app.storage.pool,
    alerts: app.storage.alerts,
    queues: app.queues,
    timeZoneOf: (source) => profileOf(source).timeZone,
    logger: createLogger({ level: 'silent' }),
    now,
  });
}

/** A detection finding as stored on the alert (findings-file JSON). */
export function findingJson(source: string, metric: string, severity: string): Record<string, unknown> {
  return {
    source,
    environment: 'production',
    metric,
    window_start: '2026-11-21T17:00:00.000Z',
    window_end: '2026-11-21T18:02:00.000Z',
    direction: 'up',
    models: ['zscore', 'tree'],
    observed_rate: 0.031,
    expected_rate: 0.009,
    score: 7.2,
    severity,
    counts: { observed: 1530, expected: 444, excess: 1086, total: 49355 },
    scores: { zscore: 7.2, tree: 6.1 },
  };
}

/** Opens (or merges into) a detection alert straight in the store: no notification is enqueued. */
export async function raiseAlert(
  deps: EmailDeps,
  input: { source: string; metric?: string; severity: Alert['severity']; at: Date; title?: string },
): Promise<Alert> {
  const metric = input.metric ?? 'failed';
  const result = await deps.alerts.raise({
    source: input.source,
    environment: 'production',
    metric,
    severity: input.severity,
    origin: 'detection',
    title: input.title ?? `${metric} rate 3.1% (expected 0.9%)`,
    summary: null,
    finding: findingJson(input.source, metric, input.severity),
    actor: 'ratewatch',
    channel: 'auto',
    at: input.at,
  });
  return result.alert;
}

/** A test app on loopback SMTP with the email adapter built on it, as the email job tests use them. */
export interface EmailRig {
  readonly smtp: TestSmtpServer;
  readonly app: TestApp;
  readonly email: EmailSupport;
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
  return { smtp, app, email: emailSupportFor(app, fullEnv, now) };
}

export async function stopEmailRig(rig: EmailRig | undefined): Promise<void> {
  await rig?.email.close();
  await rig?.app.stop();
  await rig?.smtp.close();
}
