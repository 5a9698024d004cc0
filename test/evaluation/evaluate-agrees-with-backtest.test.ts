import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { postCountsCsv } from '../helpers/post-csv.js';

// Across the US's switch back from summer time (2026-11-01, 06:00 UTC in New York): pix-us-west keeps local time,
// so from the cut-off of 2026-11-02 both infer its clock from its traffic (daylight-saving.ts) and must agree on it.
const START = '2026-10-24T00:00:00Z';
const END = '2026-11-05T00:00:00Z';
let app: TestApp;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rw-agree-'));
  const simulated = await cli(
    ['simulate', '--seed', '11', '--days', '12', '--sources', '4', '--start', START, '--out', dir],
    {},
  );
  expect(simulated.code).toBe(0);
  const prefix = `rwtest-agree-${process.pid}`;
  app = await startTestApp(
    'agree',
    { QUEUE_PREFIX: prefix },
    { now: () => new Date('2026-11-05T00:05:00Z') },
  );
  env = { MYSQL_URL: app.database.url, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' };
  await postCountsCsv(app, join(dir, 'counts.csv'));
}, 120_000);

afterAll(async () => {
  await app?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A finding without its window_end, which is when each ran (now for evaluate, hour end + grace for backtest). */
function comparable(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const { window_end: _ignored, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(rest);
    })
    .sort();
}

/** The findings `evaluate --at` prints for each instant, run two minutes after it as the tick job would. */
async function liveTicks(instants: readonly number[]): Promise<string[]> {
  const live: string[] = [];
  for (const at of instants) {
    const tick = await cli(['evaluate', '--at', new Date(at).toISOString()], env, {
      now: () => new Date(at + 120_000),
    });
    expect(tick.code).toBe(0);
    live.push(...tick.stdout.split('\n').filter((line) => line.trim().length > 0));
  }
  return live;
}

describe('evaluate and backtest', () => {
  it('find exactly the same things in the same data, hour by hour', async () => {
    const live = await cli(['evaluate', '--from', START, '--to', END], env);
    expect(live.stderr).toContain('288 hour(s)');
    expect(live.code).toBe(0);
    // Hour by hour: the hourly runs of both (ticks are compared by the evaluate --at tests).
    const replayed = await cli(['backtest', join(dir, 'counts.csv')], {
      ...env,
      EVALUATE_EVERY_MINUTES: '60',
    });
    expect(replayed.code).toBe(0);
    const findings = comparable(live.stdout);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings).toEqual(comparable(replayed.stdout));
  }, 180_000);

  it('find exactly the same things at the ticks: evaluate --at as the backtest at the live cadence', async () => {
    // The hourly runs above stored every hour's band, as the live scheduler's runs would have.
    const replayed = await cli(['backtest', join(dir, 'counts.csv')], {
      ...env,
      EVALUATE_EVERY_MINUTES: '10',
    });
    expect(replayed.code).toBe(0);
    const isTick = (line: string) =>
      new Date(JSON.parse(line).window_end as string).getUTCMinutes() % 10 === 0;
    const replayedTicks = replayed.stdout
      .trim()
      .split('\n')
      .filter((line) => line.length > 0 && isTick(line));
    // Ticks that found something in the last four days, and the tick before each (which may have found nothing).
    const since = Date.parse(END) - 4 * 86_400_000;
    const found = [...new Set(replayedTicks.map((line) => Date.parse(JSON.parse(line).window_end as string)))]
      .filter((at) => at >= since)
      .slice(0, 8);
    expect(found.length).toBeGreaterThan(0);
    // An instant on the hour is the closing tick of the hour before it (silence only), as live.
    const instants = [...new Set(found.flatMap((at) => [at, at - 600_000]))];
    const live = await liveTicks(instants);
    const chosen = new Set(instants);
    const expected = replayedTicks.filter((line) =>
      chosen.has(Date.parse(JSON.parse(line).window_end as string)),
    );
    expect(live.sort()).toEqual(expected.sort());
  }, 180_000);

  it('find exactly the same things at ticks between block boundaries (EVALUATE_EVERY_MINUTES=5)', async () => {
    const replayed = await cli(['backtest', join(dir, 'counts.csv')], {
      ...env,
      EVALUATE_EVERY_MINUTES: '5',
    });
    expect(replayed.code).toBe(0);
    const endOf = (line: string) => Date.parse(JSON.parse(line).window_end as string);
    const between = (at: number) => new Date(at).getUTCMinutes() % 10 === 5;
    const lines = replayed.stdout
      .trim()
      .split('\n')
      .filter((line) => line.length > 0 && between(endOf(line)));
    const since = Date.parse(END) - 4 * 86_400_000;
    const found = [...new Set(lines.map(endOf))].filter((at) => at >= since).slice(0, 6);
    expect(found.length).toBeGreaterThan(0);
    // Each such tick, and the one ten minutes before it (which may have found nothing).
    const instants = [...new Set(found.flatMap((at) => [at, at - 600_000]))];
    const live = await liveTicks(instants);
    const chosen = new Set(instants);
    expect(live.sort()).toEqual(lines.filter((line) => chosen.has(endOf(line))).sort());
  }, 180_000);
});
