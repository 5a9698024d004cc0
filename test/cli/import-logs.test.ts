import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateCalls, type CallRecord } from '../../src/api-calls/aggregate-calls.js';
import { LATENCY_BUCKETS } from '../../src/api-calls/latency.js';
import { postLog, postSummaries, readApiCalls, storedApiCalls } from '../helpers/api-calls.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';

const NOW = new Date('2026-12-04T18:05:30Z');
const DAY = 'from=2026-12-04T00:00:00Z&to=2026-12-05T00:00:00Z';
const START = Date.parse('2026-12-04T16:50:00Z');
let app: TestApp;
let db: mysql.Pool;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'rw-import-'));

beforeAll(async () => {
  app = await startTestApp('cli_import_logs', {}, { now: () => NOW });
  db = mysql.createPool({ uri: app.database.url, timezone: 'Z' });
  env = { MYSQL_URL: app.database.url, LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await db?.end();
  await app?.stop();
});

const importLogs = (...args: string[]) => cli(['import-logs', ...args], env, { now: () => NOW });

interface Call {
  readonly atMs: number;
  readonly method: string;
  readonly endpoint: string;
  readonly status: number | null;
  readonly ms: number;
}

/** 20 minutes of three APIs, every class and a spread of latencies; deterministic. */
function calls(): Call[] {
  const endpoints = [
    ['GET', '/v1/orders'],
    ['POST', '/v1/orders'],
    ['GET', '/v1/search?q=a,b'],
  ] as const;
  return Array.from({ length: 600 }, (_, i) => {
    const [method, endpoint] = endpoints[i % 3] as (typeof endpoints)[number];
    const status = i % 37 === 0 ? null : i % 23 === 0 ? 503 : i % 11 === 0 ? 404 : i % 29 === 0 ? 302 : 200;
    return { atMs: START + i * 2000 + (i % 7) * 13, method, endpoint, status, ms: (i * 97) % 3000 };
  });
}

/** The calls as the CSV log format writes them; minute 16:52's lines moved to the end (late by > 5 minutes). */
function csvLog(all: readonly Call[], extra: readonly string[] = []): string {
  const line = (c: Call) => {
    const at = new Date(c.atMs).toISOString();
    const endpoint = c.endpoint.includes(',') ? `"${c.endpoint}"` : c.endpoint;
    return `${at.slice(0, 10)} ${at.slice(11, 23)},${c.method},${endpoint},${c.status ?? ''},512,${c.status === null ? '' : c.ms}`;
  };
  const late = (c: Call) => new Date(c.atMs).getUTCMinutes() === 52;
  const ordered = [...all.filter((c) => !late(c)), ...all.filter(late)];
  return [
    'timestamp,method,endpoint,status_code,size,response_time',
    ...ordered.map(line),
    ...extra,
    '',
  ].join('\n');
}

/** The same calls as `POST /v1/api-calls/log` records of a source. */
function records(source: string, all: readonly Call[]) {
  return all.map((c) => ({
    at: new Date(c.atMs).toISOString(),
    source,
    api: `${c.method} ${c.endpoint.split('?')[0]}`,
    ...(c.status === null ? { timeout: true } : { status: c.status, response_ms: c.ms }),
  }));
}

/** The same calls summed per minute and API, as `POST /v1/api-calls` items of a source. */
function summaries(source: string, all: readonly Call[]) {
  const callRecords: CallRecord[] = all.map((c) => ({
    atMs: c.atMs,
    source,
    environment: 'production',
    api: `${c.method} ${c.endpoint.split('?')[0]}`,
    status: c.status,
    responseMs: c.status === null ? null : c.ms,
    payloadValid: true,
  }));
  return aggregateCalls(callRecords).map((m) => ({
    source,
    api: m.api,
    minute: new Date(m.minuteMs).toISOString(),
    calls: {
      '2xx': m.calls[0],
      '3xx': m.calls[1],
      '4xx': m.calls[2],
      '5xx': m.calls[3],
      timeout: m.calls[4],
    },
    latency_ms: Object.fromEntries(LATENCY_BUCKETS.map((bound, i) => [bound, m.latency[i]])),
  }));
}

function writeLog(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('npm run cli -- import-logs', () => {
  const all = calls();
  const csv = () => writeLog('access.csv', csvLog(all, ['2026-12-04 17:00:00,GET,/v1/orders,200,1,fast']));

  it('imports a CSV log into the same hourly stats as posting the same calls, as summaries or as records', async () => {
    const imported = await importLogs(csv(), '--source', 'imported-svc');
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('source "imported-svc" did not exist: created it');
    expect((await postSummaries(app, { items: summaries('posted-svc', all) })).status).toBe(202);
    expect((await postLog(app, { records: records('logged-svc', all) })).status).toBe(202);
    const answer = async (source: string) => (await readApiCalls(app, source, DAY)).apis;
    const fromImport = await answer('imported-svc');
    expect(fromImport.map((a) => a.api)).toEqual(['GET /v1/orders', 'GET /v1/search', 'POST /v1/orders']);
    expect(fromImport.flatMap((a) => a.hours).reduce((n, h) => n + h.total, 0)).toBe(600);
    expect(await answer('posted-svc')).toEqual(fromImport);
    expect(await answer('logged-svc')).toEqual(fromImport);
  });

  it('prints calls, minutes, APIs and each rejected line with its number', async () => {
    const { stdout } = await importLogs(csv(), '--source', 'imported-svc');
    expect(stdout).toContain('calls     600');
    expect(stdout).toContain('minutes   20, 2026-12-04T16:50Z to 2026-12-04T17:09Z');
    expect(stdout).toContain('APIs      3');
    expect(stdout).toContain('rejected  1 line:');
    expect(stdout).toContain('line 602: response_time "fast" is not a number of milliseconds');
  });

  it('changes nothing when the same file is imported again, under any name', async () => {
    const before = await storedApiCalls(db);
    const again = await importLogs(
      writeLog('renamed.csv', csvLog(all, ['2026-12-04 17:00:00,GET,/v1/orders,200,1,fast'])),
      '--source',
      'imported-svc',
      '--json',
    );
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as {
      stored: { calls: number };
      skipped: { calls: number };
      late_chunks: number;
    };
    expect(report.stored.calls).toBe(0);
    expect(report.skipped.calls).toBe(600);
    expect(report.late_chunks).toBeGreaterThan(0);
    expect(await storedApiCalls(db)).toEqual(before);
  });

  it('imports the same file into another environment as other data', async () => {
    const staged = await importLogs(csv(), '--source', 'imported-svc', '--environment', 'staging', '--json');
    expect((JSON.parse(staged.stdout) as { stored: { calls: number } }).stored.calls).toBe(600);
    const { apis } = await readApiCalls(app, 'imported-svc', `environment=staging&${DAY}`);
    expect(apis.map((a) => a.api)).toHaveLength(3);
  });

  it('imports JSON lines of call records, which take --environment when they name none', async () => {
    const lines = records('jsonl-svc', all.slice(0, 30)).map((r, i) =>
      JSON.stringify(i === 0 ? { ...r, environment: 'canary' } : r),
    );
    const path = writeLog(
      'calls.jsonl',
      `${lines.join('\n')}\n{"at":"2026-12-04T17:00:00Z","source":"other-svc"}\n`,
    );
    const result = await importLogs(path, '--source', 'jsonl-svc', '--environment', 'eu', '--json');
    const report = JSON.parse(result.stdout) as {
      calls: number;
      rejected: { first: { line: number; reason: string }[] };
    };
    expect(report.calls).toBe(30);
    expect(report.rejected.first).toEqual([{ line: 31, reason: expect.stringContaining('is required') }]);
    const eu = await readApiCalls(app, 'jsonl-svc', `environment=eu&${DAY}`);
    const canary = await readApiCalls(app, 'jsonl-svc', `environment=canary&${DAY}`);
    const total = (answer: typeof eu) => answer.apis.flatMap((a) => a.hours).reduce((n, h) => n + h.total, 0);
    expect([total(eu), total(canary)]).toEqual([29, 1]);
  });

  it('refuses a file that is no call log, and a call without --source', async () => {
    const notALog = await importLogs(writeLog('counts.csv', 'minute,source\n1,2\n'), '--source', 'x-svc');
    expect(notALog.code).toBe(1);
    expect(notALog.stderr).toContain('is not a call log');
    const noSource = await importLogs(csv());
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('--source is required');
    const missing = await importLogs(join(dir, 'nothing-here.csv'), '--source', 'x-svc');
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('cannot read')]);
  });
});

describe('npm run cli -- sources list', () => {
  it('says which kind each source posts, and how many APIs', async () => {
    const listed = await cli(['sources', 'list', '--json'], env);
    const sources = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; posts: string[]; environments: unknown[] });
    expect(sources.find((s) => s.name === 'imported-svc')).toMatchObject({
      posts: ['api_calls'],
      environments: [
        {
          environment: 'production',
          last_minute: null,
          apis: 3,
          last_api_minute: '2026-12-04T17:09:00.000Z',
        },
        { environment: 'staging', last_minute: null, apis: 3, last_api_minute: '2026-12-04T17:09:00.000Z' },
      ],
    });
    const table = await cli(['sources', 'list'], env);
    expect(table.stdout).toMatch(/^SOURCE\s+DEFAULT ENV\s+ONBOARDED BY\s+OWN TOKEN\s+POSTS/);
    expect(table.stdout).toMatch(
      /imported-svc .* api calls .* production \(3 APIs, last 2026-12-04T17:09:00.000Z\)/,
    );
  });
});
