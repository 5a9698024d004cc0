import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { parseConfigFile } from '../src/config-file.js';
import { startupSummary } from '../src/startup-summary.js';

const summaryOf = (env: Record<string, string>, yaml?: string) =>
  startupSummary(loadConfig(env), yaml === undefined ? undefined : parseConfigFile(yaml));
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'signing-secret' };
const SMTP = {
  SMTP_URL: 'smtp://mailer:secret-pw@smtp.example.com:587',
  PUBLIC_URL: 'https://rw.example.com',
};

describe('the start-up summary', () => {
  it('says in one line each what is on: API, Slack, email, roles, cadence', () => {
    const { lines, warnings } = summaryOf({
      ...SLACK,
      ...SMTP,
      SLACK_DEFAULT_CHANNEL: '#payments',
      EMAIL_TO: 'ops@example.com',
      API_TOKEN: 'api-token-0123456789',
    });
    expect(lines).toEqual([
      'api: API_TOKEN set (REST API and alert triage on); INGEST_TOKEN not set (only source tokens from "sources add" may post)',
      'slack: HTTP mode (Slack posts to /slack/events); default channel #payments; 0 routing rule(s) with a channel',
      'email: SMTP smtp://mailer:***@smtp.example.com:587 from ratewatch <ratewatch@localhost> to 1 recipient(s); action links under https://rw.example.com, signed with the secret generated once and kept in MySQL, valid 72 h',
      'roles: web on 0.0.0.0:3000; worker (runs queued jobs); scheduler (hourly evaluation, training, clean-up, outbox sweep)',
      'cadence: hourly evaluation at "2 * * * *" UTC; a tick every 10 min at "2,12,22,32,42,52 * * * *" UTC (recovered after 3 normal ticks); trees retrain every 24 h; recovered after 2 normal hour(s); missed hours caught up to 48 h back; undelivered alert changes swept every minute',
    ]);
    expect(warnings).toEqual([]);
  });

  // What a user probably meant to enable, and what stops it.
  it.each([
    [
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      undefined,
      'SLACK_BOT_TOKEN is set but Slack is off: add SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)',
    ],
    [
      SLACK,
      undefined,
      'Slack is on but no channel is set: no card is posted (set SLACK_DEFAULT_CHANNEL or routing rules with channel:)',
    ],
    [
      SLACK,
      'routing:\n  rules:\n    - match: { source: "card-*" }\n      channel: "#cards"\n',
      'no default Slack channel: alerts no routing rule sends to a channel are not posted (set SLACK_DEFAULT_CHANNEL)',
    ],
    [
      { EMAIL_TO: 'ops@example.com', EMAIL_FALLBACK_TO: 'lead@example.com' },
      undefined,
      '2 email recipient(s) are configured but SMTP_URL is not set: no email is sent',
    ],
    [
      SMTP,
      undefined,
      'SMTP_URL is set but nobody is to get email: set EMAIL_TO, or routing rules with email:',
    ],
    [
      { SMTP_URL: 'smtp://127.0.0.1:1025', EMAIL_TO: 'ops@example.com' },
      undefined,
      'links in email point at http://localhost:3000, which only this machine reaches: set PUBLIC_URL to the address people use',
    ],
    [
      {},
      'escalation:\n  slack_mention: "<!subteam^S1|oncall>"\n',
      'escalation.slack_mention is set but Slack is off: escalations mention nobody in Slack',
    ],
    [
      { ROLES: 'worker' },
      undefined,
      'this process serves no /healthz, /readyz or /metrics: set METRICS_PORT to watch it',
    ],
  ])('warns about %j %j', (env, yaml, warning) => {
    expect(summaryOf(env, yaml).warnings).toEqual([warning]);
  });

  it('never shows a password or token', () => {
    const text = JSON.stringify(
      summaryOf({ ...SLACK, ...SMTP, EMAIL_TO: 'a@b.c', API_TOKEN: 'api-token-0123456789' }),
    );
    for (const secret of ['secret-pw', 'signing-secret', 'xoxb-1', 'api-token-0123456789'])
      expect(text).not.toContain(secret);
  });
});
