import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, runDemo } from '../../src/demo/run-demo.js';
import { FakeSlack } from '../fakes/slack-api.js';
import { createTestDatabase, MYSQL_SERVER_URL, type TestDatabase } from '../helpers/mysql.js';
import { slackEnv } from '../helpers/slack.js';
import { waitFor } from '../helpers/wait-for.js';

let fake: FakeSlack;
let database: TestDatabase;
let demo: Demo | undefined;
let printed = '';

const t0 = Date.now();
beforeAll(async () => {
  fake = await FakeSlack.start();
  database = await createTestDatabase('demo');
  demo = await runDemo({
    env: {
      ...slackEnv(fake),
      MYSQL_URL: database.url,
      QUEUE_PREFIX: `rwtest-demo-${process.pid}`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    },
    historyDays: 8,
    liveSpeed: 400,
    write: (text) => {
      printed += text;
      if (process.env.DEMO_TIMING) process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)}s ${text}`);
    },
  });
}, 240_000);

afterAll(async () => {
  await demo?.stop();
  await fake?.close();
  const connection = await mysql.createConnection({ uri: MYSQL_SERVER_URL });
  await connection.query(`DROP DATABASE IF EXISTS \`${database.name}_demo\``);
  await connection.end();
  await database?.drop();
});

/** The alert card (the new sources were announced too, in their own message). */
const isCard = (blocks: string | undefined) =>
  blocks?.includes('card-eu') && blocks.includes('failed') && blocks.includes('Acknowledge');

describe('npm run demo, on a small scale', () => {
  it('backfills history, trains the trees, streams an incident and tells what it is doing', () => {
    expect(printed).toMatch(/\[2\/5\] backfilling 8 days of history/);
    expect(printed).toMatch(/16 trees trained/);
    expect(printed).toMatch(/an incident starts on card-eu/);
    expect(printed).toMatch(/POST \/v1\/payments on checkout-api gets slow at \d\d:\d\d UTC: latency ×4/);
  });

  it('raises a latency alert for the API source too, with its card text, its chart file and its page', async () => {
    const alerts =
      (await demo?.app.storage.alerts.list({ source: 'checkout-api' }, { limit: 5, offset: 0 }))?.alerts ??
      [];
    expect(alerts).toEqual([
      expect.objectContaining({ metric: 'latency', api: 'POST /v1/payments', source: 'checkout-api' }),
    ]);
    const id = alerts[0]?.id as number;
    expect(printed).toMatch(
      /POST \/v1\/payments on checkout-api \(production\): p99 \d[\d.]* m?s \(normal \d+ ms\), slow calls/,
    );
    const chart = new RegExp(`alert #${id} chart: (\\S+\\.png)`).exec(printed);
    expect(
      readFileSync(chart?.[1] as string)
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    const pageUrl = new RegExp(`alert #${id} page: (\\S+)`).exec(printed)?.[1] as string;
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('POST /v1/payments on checkout-api (production): p99');
  });

  it('pages the incident at a tick 25 minutes after it began, and the hourly run merges into that alert', async () => {
    expect(printed).toMatch(/\[5\/5\] the tick at \d\d:50 UTC judges the live hour's minutes so far/);
    expect(printed).toMatch(/paged at \d\d:50: card-eu failed, 25 minutes after it began/);
    const alerts =
      (await demo?.app.storage.alerts.list({ source: 'card-eu' }, { limit: 5, offset: 0 }))?.alerts ?? [];
    expect(alerts).toEqual([expect.objectContaining({ metric: 'failed', source: 'card-eu' })]);
    expect(alerts[0]?.occurrences).toBeGreaterThanOrEqual(2);
  });

  it('raises the alert for the incident and its card reaches Slack', async () => {
    const alerts =
      (await demo?.app.storage.alerts.list({ source: 'card-eu' }, { limit: 5, offset: 0 }))?.alerts ?? [];
    expect(alerts).toEqual([expect.objectContaining({ metric: 'failed', source: 'card-eu' })]);
    const cards = () => fake.callsOf('chat.postMessage').filter((call) => isCard(call.args.blocks));
    await waitFor(() => cards().length > 0, 'the card in Slack', 60_000);
    expect(cards()).toHaveLength(1);
    expect(printed).toContain('The card went to Slack');
  });

  it('writes the chart to a file, prints its path and the alert page, and goes on printing every change', async () => {
    const [card] =
      (await demo?.app.storage.alerts.list({ source: 'card-eu' }, { limit: 1, offset: 0 }))?.alerts ?? [];
    const id = card?.id as number;
    const chartPath = new RegExp(`alert #${id} chart: (\\S+\\.png)`).exec(printed);
    expect(chartPath).not.toBeNull();
    expect(
      readFileSync(chartPath?.[1] as string)
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
    const pageUrl = new RegExp(`alert #${id} page: (\\S+)`).exec(printed)?.[1] as string;
    const page = await fetch(pageUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('card-eu (production) · failed rate');
    const acked = await fetch(`${demo?.app.url}/v1/alerts/${id}/acknowledge`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo?.config.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ actor: 'ana@example.com' }),
    });
    expect(acked.status).toBe(200);
    await demo?.watch.poll();
    expect(printed).toMatch(
      new RegExp(`alert #${id} card-eu \\(production\\) · failed rate [^:]+: Acknowledged`),
    );
  });
});
