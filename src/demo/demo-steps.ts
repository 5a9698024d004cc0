import type { RowDataPacket } from 'mysql2';
import type { Ratewatch } from '../app.js';
import type { Config } from '../config.js';
import { redactUrl } from '../logger.js';
import { jobIds } from '../queue/job-ids.js';
import { JOB } from '../queue/names.js';
import { DEMO_SOURCES } from './demo-sources.js';
import { textCard } from './text-card.js';

export async function trainModels(app: Ratewatch, cutoff: Date): Promise<number> {
  await app.jobs.add(
    JOB.trainModels,
    { cutoff: cutoff.toISOString() },
    { jobId: jobIds.trainModels(cutoff) },
  );
  const expected = DEMO_SOURCES.length * 4;
  await poll(async () => {
    const [rows] = await app.storage.pool.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM models WHERE trained_until = ?',
      [cutoff],
    );
    return Number(rows[0]?.n) >= expected;
  });
  return expected;
}

export async function evaluate(app: Ratewatch, hourStart: Date): Promise<void> {
  await app.jobs.add(
    JOB.evaluateHour,
    { hourStart: hourStart.toISOString(), trigger: 'cli' },
    { jobId: jobIds.evaluateHour(hourStart) },
  );
  await poll(() => app.storage.runs.isFinished(hourStart));
}

/**
 * One tick at `at`, as the scheduler enqueues it every `EVALUATE_EVERY_MINUTES`: the tick job fans out its
 * batches and a `finish-tick` parent that completes when all are judged.
 */
export async function tick(app: Ratewatch, at: Date): Promise<void> {
  await app.jobs.add(JOB.evaluateTick, { at: at.toISOString() }, { jobId: jobIds.evaluateTick(at) });
  await poll(async () => {
    const finish = await app.jobs.get(JOB.finishTick, jobIds.finishTick(at));
    return (await finish?.isCompleted()) ?? false;
  });
}

export async function showAlerts(
  app: Ratewatch,
  config: Config,
  say: (line?: string) => void,
): Promise<void> {
  const { alerts } = await app.storage.alerts.list({}, { limit: 20, offset: 0 });
  if (alerts.length === 0) {
    say('      no alert this time (the incident was too small to be sure); the stream goes on — try again');
    return;
  }
  const zoneOf = new Map(DEMO_SOURCES.map((s) => [s.source, s.timeZone]));
  for (const alert of alerts) say(`\n${textCard(alert, zoneOf.get(alert.source) ?? 'UTC')}`);
  if (config.slack.mode === 'off') {
    say('\nSlack is not configured, so the card is shown here. To get it in Slack: create the app from');
    say(
      'slack/manifest.yml and set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) and SLACK_DEFAULT_CHANNEL.',
    );
  } else {
    say(`\nThe card went to Slack (${config.slack.defaultChannel ?? 'the routed channel'}).`);
  }
  if (config.email.smtpUrl)
    say(
      `Email went through ${redactUrl(config.email.smtpUrl)} (with docker compose: Mailpit, http://localhost:8025).`,
    );
}

export function whereToLook(app: Ratewatch, config: Config, say: (line?: string) => void): void {
  say('\nWhere to look:');
  say(`  curl -H 'Authorization: Bearer ${config.apiToken}' ${app.url}/v1/alerts`);
  say(`  curl -H 'Authorization: Bearer ${config.apiToken}' '${app.url}/v1/sources/card-eu/rates'`);
  say(
    `  curl -H 'Authorization: Bearer ${config.apiToken}' '${app.url}/v1/sources/checkout-api/api-calls?api=POST%20%2Fv1%2Fpayments'`,
  );
  say(
    `  curl -H 'Authorization: Bearer ${config.apiToken}' '${app.url}/v1/alerts?source=checkout-api&api=POST%20%2Fv1%2Fpayments'`,
  );
  say(
    `  curl -H 'Authorization: Bearer ${config.apiToken}' -o chart.png ${app.url}/v1/alerts/<id>/chart.png`,
  );
  say(`  ${app.url}/metrics   ${app.url}/readyz`);
  say(
    '  Grafana (docker compose up -d grafana prometheus): http://localhost:3001, dashboards "Payment rates"',
  );
  say('  and "ratewatch operations" (they read the compose MySQL and scrape the compose ratewatch).');
  say(
    'Live traffic goes on, one minute per minute, and the scheduler evaluates each hour at :02. Ctrl-C stops.',
  );
}

async function poll(done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the workers');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
