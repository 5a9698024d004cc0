import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerCommands } from '../../commands/index.js';
import { createPageLinks } from '../alert-page/page-links.js';
import type { Alert } from '../alerts/alert.js';
import type { ApiMinute } from '../api-calls/api-minute.js';
import { type Ratewatch, startRatewatch } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { modelCutoff } from '../detection/schedule.js';
import { withEnvFile } from '../env-file.js';
import { createLogger, redactUrl } from '../logger.js';
import { floorHour } from '../queue/job-ids.js';
import type { CountRow, SimEvent } from '../simulate/types.js';
import { DEMO_API_SOURCE, demoApiTraffic, toApiItem } from './demo-api-traffic.js';
import { DEMO_SOURCES } from './demo-sources.js';
import { evaluate, showAlerts, tick, trainModels, whereToLook } from './demo-steps.js';
import { demoTraffic, toItem } from './demo-traffic.js';
import { backfill, postTo, streamLive } from './live-stream.js';
import { checkServices, resetDemoState } from './preflight.js';
import { type AlertWatch, watchAlerts } from './watch-alerts.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 28;
/** Live minutes replayed per second until the stream catches up with the clock. */
const LIVE_SPEED = 10;

export interface DemoOptions {
  readonly env: Record<string, string | undefined>;
  /** Days of history to backfill (28 by default; tests use fewer). */
  readonly historyDays?: number;
  /** Live minutes replayed per second until the stream catches up with the clock. */
  readonly liveSpeed?: number;
  /** Where progress goes (stdout by default). */
  readonly write?: (text: string) => void;
}

export interface Demo {
  readonly app: Ratewatch;
  readonly config: Config;
  /** Stops the live stream and the service. */
  stop(): Promise<void>;
  /** Resolves when the live stream ends (on stop). */
  readonly streaming: Promise<void>;
  /** Prints each alert change (and writes its chart) as it happens. */
  readonly watch: AlertWatch;
}

/**
 * `npm run demo`: a fresh demo database and queues, four demo payment sources and one API source (two APIs
 * posting per-minute summaries), four weeks of history through the real ingestion API, trained models, the
 * whole service (web, worker, scheduler) on PORT, and live minutes in which a payment incident and an API's
 * latency surge start — judged by the live hour's last tick (which pages the payment incident) and then its
 * hourly run (which merges into that alert and raises the latency one), so that their alerts appear within about
 * a minute. Resolves once the alerts are shown; the live stream goes on until `stop()`.
 */
export async function runDemo(options: DemoOptions): Promise<Demo> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const say = (line = '') => write(`${line}\n`);
  const historyDays = options.historyDays ?? HISTORY_DAYS;
  const liveSpeed = options.liveSpeed ?? LIVE_SPEED;
  const config = demoConfig(loadConfig(options.env), options.env);
  say('ratewatch demo');
  await checkServices(config);
  await resetDemoState(config);
  say(`  MySQL  ${redactUrl(config.mysqlUrl)} (a fresh demo database)`);
  say(`  Redis  ${redactUrl(config.redisUrl)} (queue prefix ${config.queuePrefix})`);

  const now = Date.now();
  const liveHour = floorHour(now - HOUR_MS).getTime();
  const historyFrom = liveHour - historyDays * DAY_MS;
  const { incident, rows } = demoTraffic(historyFrom, liveHour, historyDays + 2);
  const api = demoApiTraffic(historyFrom, liveHour, historyDays + 2);

  say(`[1/5] starting ratewatch (web, worker, scheduler) with ${DEMO_SOURCES.length} demo sources:`);
  for (const s of DEMO_SOURCES)
    say(`        ${s.source.padEnd(12)} ${s.timeZone.padEnd(18)} up to ≈${s.peakPerMinute}/min`);
  say(`      and one API source: ${DEMO_API_SOURCE} (Europe/Berlin), 2 APIs posting per-minute summaries`);
  const logger = createLogger({ level: config.logLevel });
  // The scheduler waits until the live stream has caught up with the clock: a tick or an hourly run before that
  // would judge minutes the demo has not posted yet, and page every source as silent.
  const withScheduler = config.roles.includes('scheduler');
  const app = await startRatewatch(
    { ...config, roles: config.roles.filter((role) => role !== 'scheduler') },
    { logger, slackListeners: registerCommands },
  );
  let scheduler: Ratewatch | undefined;
  let stream: ReturnType<typeof streamLive<CountRow>> | undefined;
  let apiStream: ReturnType<typeof streamLive<ApiMinute>> | undefined;
  let watch: AlertWatch | undefined;
  const alertWatch = (started: Ratewatch, c: Config) =>
    watchAlerts({
      alerts: started.storage.alerts,
      baseUrl: started.url as string,
      apiToken: c.apiToken as string,
      links: createPageLinks({
        secret: c.linkSecret as string,
        publicUrl: '',
        emailTtlMs: c.linkTtlHours * HOUR_MS,
        slackTtlMs: c.linkTtlHours * HOUR_MS,
      }),
      outDir: join(tmpdir(), 'ratewatch-demo'),
      say,
      now: () => new Date(),
    });
  try {
    const post = postTo(app.url as string, config.ingestToken as string);
    const postApi = postTo(app.url as string, config.ingestToken as string, '/v1/api-calls');
    say(`[2/5] backfilling ${historyDays} days of history through POST /v1/counts and POST /v1/api-calls`);
    // Side by side: the API source's history must not make the first alert wait longer.
    const [live, liveApi] = await Promise.all([
      backfill(rows, liveHour, post, write, toItem),
      backfill(api.rows, liveHour, postApi, write, toApiItem, 'API-minutes'),
    ]);
    say('[3/5] training the decision trees');
    const cutoff = new Date(modelCutoff(liveHour, config.detection.retrainHours));
    say(
      `      ${await trainModels(app, cutoff)} trees trained on the history before ${cutoff.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    );
    say(`[4/5] streaming live minutes from ${hhmm(liveHour)} UTC (${liveSpeed}× speed until it catches up);`);
    say(
      `      an incident starts on ${incident.source} at ${hhmm(incident.startMs)} UTC: its failed rate ×${incident.magnitude}`,
    );
    say(
      `      and ${api.incident.api} on ${api.incident.source} gets slow at ${hhmm(api.incident.startMs)} UTC: latency ×${api.incident.magnitude}`,
    );
    stream = streamLive(live, rows, post, liveSpeed, toItem);
    apiStream = streamLive(liveApi, api.rows, postApi, liveSpeed, toApiItem);
    await Promise.all([stream.caughtUpWith(liveHour + HOUR_MS), apiStream.caughtUpWith(liveHour + HOUR_MS)]);
    const every = config.detection.everyMinutes;
    if (every < 60) {
      // The last tick of the live hour, as the scheduler runs one every `every` minutes between hourly runs.
      const at = liveHour + HOUR_MS - every * MINUTE_MS;
      say(
        `[5/5] the tick at ${hhmm(at)} UTC judges the live hour's minutes so far (one runs every ${every} minutes)`,
      );
      await tick(app, new Date(at));
      for (const alert of (await app.storage.alerts.list({}, { limit: 20, offset: 0 })).alerts)
        say(
          `      paged at ${hhmm(at)}: ${alert.api ? `${alert.api} on ` : ''}${alert.source} ${alert.metric}, ${minutesBetween(firstIncidentStart(incident, api.incident, alert), at)} minutes after it began`,
        );
      say(
        `      then the hourly run judges ${hhmm(liveHour)}–${hhmm(liveHour + HOUR_MS)} UTC whole: it merges into those alerts and raises what needed the whole hour`,
      );
    } else say(`[5/5] evaluating the hour ${hhmm(liveHour)}–${hhmm(liveHour + HOUR_MS)} UTC`);
    await evaluate(app, new Date(liveHour));
    await showAlerts(app, config, say);
    const caughtUp = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    await Promise.all([stream.caughtUpWith(caughtUp), apiStream.caughtUpWith(caughtUp)]);
    if (withScheduler) scheduler = await startRatewatch({ ...config, roles: ['scheduler'] }, { logger });
    say('\nEvery change of an alert is printed below as it happens, with its chart and its page:');
    watch = alertWatch(app, config);
    await watch.poll();
    whereToLook(app, config, say);
    return {
      app,
      config,
      streaming: Promise.all([stream.done, apiStream.done]).then(() => undefined),
      watch,
      stop: async () => {
        await watch?.stop();
        stream?.stop();
        apiStream?.stop();
        await stream?.done.catch(() => undefined);
        await apiStream?.done.catch(() => undefined);
        await scheduler?.close();
        await app.close();
      },
    };
  } catch (error) {
    await watch?.stop();
    stream?.stop();
    apiStream?.stop();
    await scheduler?.close();
    await app.close();
    throw error;
  }
}

function demoConfig(base: Config, env: Record<string, string | undefined>): Config {
  const url = new URL(base.mysqlUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '') || '/ratewatch'}_demo`;
  const file = join(mkdtempSync(join(tmpdir(), 'ratewatch-demo-')), 'ratewatch.yml');
  const sources = DEMO_SOURCES.map((s) => `  ${s.source}:\n    timezone: ${s.timeZone}`).join('\n');
  writeFileSync(file, `# written by npm run demo\nsources:\n${sources}\n`);
  return loadConfig({
    ...env,
    MYSQL_URL: url.toString(),
    QUEUE_PREFIX: `${base.queuePrefix}-demo`,
    INGEST_TOKEN: base.ingestToken ?? `demo-${randomBytes(12).toString('hex')}`,
    API_TOKEN: base.apiToken ?? `demo-${randomBytes(12).toString('hex')}`,
    // Signs the alert page's links (and the email's action links) the demo prints.
    LINK_SECRET: base.linkSecret ?? `demo-${randomBytes(16).toString('hex')}`,
    LOG_LEVEL: env.LOG_LEVEL ?? 'error',
    RATEWATCH_CONFIG: base.configFile ?? file,
  });
}

/** When the demo's incident behind an alert began (the API's for an API alert). */
function firstIncidentStart(
  payment: SimEvent,
  apiIncident: { readonly startMs: number },
  alert: Alert,
): number {
  return alert.api ? apiIncident.startMs : payment.startMs;
}

function minutesBetween(fromMs: number, toMs: number): number {
  return Math.round((toMs - fromMs) / MINUTE_MS);
}

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

async function main(): Promise<void> {
  // A .env in the directory it runs in configures the demo too; the real environment wins.
  const demo = await runDemo({ env: withEnvFile(process.env) });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await demo.stop();
    process.stdout.write('stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await demo.streaming;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`\ndemo failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
