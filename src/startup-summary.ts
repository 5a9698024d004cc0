import { RECOVERY_TICKS } from './alerts/alert-recovery.js';
import type { Config } from './config.js';
import type { RatewatchFile } from './config-file.js';
import { escalationFromFile } from './email/escalation.js';
import { redactUrl } from './logger.js';
import { tickCron } from './queue/scheduler.js';
import { routingFromConfig } from './routing/routing-config.js';

/** What start-up tells: one line per part (what is on, and how), and what the user probably meant to enable. */
export interface StartupSummary {
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * The start-up summary of a process, from its config and RATEWATCH_CONFIG file: one line each for the API,
 * Slack, email, roles and cadence, and a warning for each setting that shows an intention the rest of the
 * configuration defeats (a bot token without a way to reach Slack, email recipients without SMTP…). Pure.
 */
export function startupSummary(config: Config, file: RatewatchFile | undefined): StartupSummary {
  const warnings: string[] = [];
  const lines = [
    apiLine(config),
    slackLine(config, file, warnings),
    emailLine(config, file, warnings),
    rolesLine(config, warnings),
    cadenceLine(config),
  ];
  return { lines, warnings };
}

function apiLine(config: Config): string {
  const api = config.apiToken
    ? 'API_TOKEN set (REST API and alert triage on)'
    : 'API_TOKEN not set (the REST API answers 401; source tokens read only their own rates)';
  const ingest = config.ingestToken
    ? 'INGEST_TOKEN set (any source may post; new ones onboard themselves)'
    : 'INGEST_TOKEN not set (only source tokens from "sources add" may post)';
  return `api: ${api}; ${ingest}`;
}

function slackLine(config: Config, file: RatewatchFile | undefined, warnings: string[]): string {
  const { mode, botToken } = config.slack;
  const routing = routingFromConfig(config, file);
  if (mode === 'off') {
    if (botToken)
      warnings.push(
        'SLACK_BOT_TOKEN is set but Slack is off: add SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)',
      );
    if (file?.escalation?.slack_mention)
      warnings.push('escalation.slack_mention is set but Slack is off: escalations mention nobody in Slack');
    return 'slack: off (alert changes are written to this log; set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN)';
  }
  const ruleChannels = routing.rules.filter((rule) => rule.channel).length;
  if (!routing.defaultChannel)
    warnings.push(
      ruleChannels > 0
        ? 'no default Slack channel: alerts no routing rule sends to a channel are not posted (set SLACK_DEFAULT_CHANNEL)'
        : 'Slack is on but no channel is set: no card is posted (set SLACK_DEFAULT_CHANNEL or routing rules with channel:)',
    );
  const how = mode === 'http' ? 'HTTP mode (Slack posts to /slack/events)' : 'Socket Mode';
  const channel = routing.defaultChannel ?? 'none';
  return `slack: ${how}; default channel ${channel}; ${ruleChannels} routing rule(s) with a channel`;
}

function emailLine(config: Config, file: RatewatchFile | undefined, warnings: string[]): string {
  const routing = routingFromConfig(config, file);
  const escalation = escalationFromFile(file);
  const recipients = new Set([
    ...routing.email,
    ...routing.fallbackEmail,
    ...routing.rules.flatMap((rule) => [...(rule.email ?? []), ...(rule.fallbackEmail ?? [])]),
    ...(escalation?.email ?? []),
  ]);
  const { smtpUrl } = config.email;
  if (!smtpUrl) {
    if (recipients.size > 0)
      warnings.push(
        `${recipients.size} email recipient(s) are configured but SMTP_URL is not set: no email is sent`,
      );
    return 'email: off (SMTP_URL not set)';
  }
  if (recipients.size === 0)
    warnings.push('SMTP_URL is set but nobody is to get email: set EMAIL_TO, or routing rules with email:');
  if (/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(config.publicUrl))
    warnings.push(
      `links in email point at ${config.publicUrl}, which only this machine reaches: set PUBLIC_URL to the address people use`,
    );
  const secret = config.linkSecret ? 'LINK_SECRET' : 'the secret generated once and kept in MySQL';
  return (
    `email: SMTP ${redactUrl(smtpUrl)} from ${config.email.from} to ${recipients.size} recipient(s); ` +
    `action links under ${config.publicUrl}, signed with ${secret}, valid ${config.linkTtlHours} h`
  );
}

function rolesLine(config: Config, warnings: string[]): string {
  const { roles } = config;
  const web = roles.includes('web')
    ? `web on ${config.host}:${config.port}`
    : `no web role${config.metricsPort === undefined ? '' : ` (health and metrics on :${config.metricsPort})`}`;
  if (!roles.includes('web') && config.metricsPort === undefined)
    warnings.push('this process serves no /healthz, /readyz or /metrics: set METRICS_PORT to watch it');
  const others = [
    roles.includes('worker') ? 'worker (runs queued jobs)' : 'no worker',
    roles.includes('scheduler')
      ? 'scheduler (hourly evaluation, training, clean-up, outbox sweep)'
      : 'no scheduler (another process must have it)',
  ];
  return `roles: ${[web, ...others].join('; ')}`;
}

function cadenceLine(config: Config): string {
  const d = config.detection;
  const cron = tickCron(d);
  const ticks = cron
    ? `a tick every ${d.everyMinutes} min at "${cron}" UTC (recovered after ${RECOVERY_TICKS} normal ticks)`
    : 'no ticks (EVALUATE_EVERY_MINUTES=60)';
  return (
    `cadence: hourly evaluation at "${d.evaluateCron}" UTC; ${ticks}; trees retrain every ${d.retrainHours} h; ` +
    `recovered after ${d.recoveryHours} normal hour(s)${d.autoResolve ? ', then resolved' : ''}; ` +
    `missed hours caught up to ${d.catchUpMaxHours} h back; undelivered alert changes swept every minute`
  );
}
