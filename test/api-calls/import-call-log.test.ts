import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateCalls } from '../../src/api-calls/aggregate-calls.js';
import {
  type ApiMinute,
  addApiMinute,
  apiMinuteKey,
  compareApiMinutes,
  emptyApiMinute,
} from '../../src/api-calls/api-minute.js';
import {
  CallLogFormatError,
  type ImportOptions,
  importCallLog,
} from '../../src/api-calls/import-call-log.js';
import type { LogChunk } from '../../src/api-calls/minute-chunker.js';
import { parseCallLogsJson } from '../../src/ingest/parse-call-logs.js';

const dir = mkdtempSync(join(tmpdir(), 'ratewatch-import-'));
let files = 0;
function file(...lines: string[]): string {
  const path = join(dir, `log-${files++}.txt`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
const window = { now: new Date('2026-12-04T19:00:00Z'), retentionDays: 35 };
const HEADER = 'timestamp,method,endpoint,status_code,size,response_time';

async function importAll(path: string, options: Partial<ImportOptions> = {}) {
  const chunks: LogChunk[] = [];
  const summary = await importCallLog(path, {
    source: 'checkout-api',
    environment: 'production',
    window,
    onChunk: (chunk) => {
      chunks.push(chunk);
    },
    ...options,
  });
  return { summary, chunks, minutes: sumChunks(chunks) };
}

/** What storage would hold after adding every chunk: the minutes summed per key, sorted. */
function sumChunks(chunks: readonly LogChunk[]): ApiMinute[] {
  const byKey = new Map<string, ReturnType<typeof emptyApiMinute>>();
  for (const minute of chunks.flatMap((chunk) => chunk.minutes)) {
    const key = apiMinuteKey(minute.source, minute.environment, minute.api, minute.minuteMs);
    const sum =
      byKey.get(key) ?? emptyApiMinute(minute.source, minute.environment, minute.api, minute.minuteMs);
    addApiMinute(sum, minute);
    byKey.set(key, sum);
  }
  return [...byKey.values()].sort(compareApiMinutes);
}

describe('importCallLog', () => {
  describe('with the CSV log format', () => {
    const csv = file(
      HEADER,
      '2026-12-04 18:04:13,POST,/v1/payments,200,512,132',
      '2026-12-04T18:04:20.5Z,post,/v1/payments,503,0,2500',
      '2026-12-04 18:04:30,GET,"/v1/search?q=a,b",200,80,20',
      '2026-12-04 18:04:40,GET,/v1/search,0,0,',
      '2026-12-04 19:05:41+01:00,POST,/v1/payments,,,',
      '2026-12-04 18:06:00,POST,/v1/payments,302,0,45',
    );

    it('aggregates per minute and API (METHOD endpoint, no query), timeouts from 0 or empty', async () => {
      const { minutes } = await importAll(csv);
      expect(
        minutes.map((m) => [new Date(m.minuteMs).toISOString(), m.api, m.calls, m.latency.join('')]),
      ).toEqual([
        ['2026-12-04T18:04:00.000Z', 'GET /v1/search', [1, 0, 0, 0, 1], '1000000000'],
        ['2026-12-04T18:04:00.000Z', 'POST /v1/payments', [1, 0, 0, 1, 0], '0001001000'],
        ['2026-12-04T18:05:00.000Z', 'POST /v1/payments', [0, 0, 0, 0, 1], '0000000000'],
        ['2026-12-04T18:06:00.000Z', 'POST /v1/payments', [0, 1, 0, 0, 0], '0100000000'],
      ]);
    });

    it('round-trips into the same minutes as the equivalent log posts', async () => {
      const posted = parseCallLogsJson(
        [
          { at: '2026-12-04T18:04:13Z', api: 'POST /v1/payments', status: 200, response_ms: 132 },
          { at: '2026-12-04T18:04:20.5Z', api: 'POST /v1/payments', status: 503, response_ms: 2500 },
          { at: '2026-12-04T18:04:30Z', api: 'GET /v1/search', status: 200, response_ms: 20 },
          { at: '2026-12-04T18:04:40Z', api: 'GET /v1/search', timeout: true },
          { at: '2026-12-04T18:05:41Z', api: 'POST /v1/payments', timeout: true },
          { at: '2026-12-04T18:06:00Z', api: 'POST /v1/payments', status: 302, response_ms: 45 },
        ].map((record) => ({ source: 'checkout-api', ...record })),
        window,
      );
      expect(posted.problems).toEqual([]);
      expect((await importAll(csv)).minutes).toEqual(aggregateCalls(posted.records));
    });

    it('sums it up', async () => {
      expect((await importAll(csv)).summary).toEqual({
        format: 'csv',
        lines: 7,
        calls: 6,
        minutes: 3,
        apis: 2,
        chunks: 3,
        lateChunks: 0,
        firstMinuteMs: Date.parse('2026-12-04T18:04:00Z'),
        lastMinuteMs: Date.parse('2026-12-04T18:06:00Z'),
        rejected: { count: 0, first: [] },
      });
    });

    it('counts the lines it refuses, keeping their numbers and reasons', async () => {
      const { summary } = await importAll(
        file(
          HEADER,
          '2026-12-04 18:04:13,POST,/v1/payments,200,512,132',
          '04/12/2026 18:04:13,POST,/v1/payments,200,512,132',
          '2026-12-04 18:04:13,POST,/v1/payments,200,512',
          '2026-12-04 18:04:13,POST,/v1/payments,700,512,132',
          '2026-12-04 18:04:13,POST,/v1/payments,200,512,',
          '2026-12-04 18:04:13,P O,/v1/payments,200,512,1',
          '2026-12-04 19:04:13,POST,/v1/payments,200,512,1',
          '2026-10-01 18:04:13,POST,/v1/payments,200,512,1',
          '',
          '2026-12-04 18:04:13,POST,"/v1/payments,200,512,1',
        ),
      );
      expect(summary.calls).toBe(1);
      expect(summary.rejected).toEqual({
        count: 8,
        first: [
          { line: 3, reason: 'timestamp "04/12/2026 18:04:13" is neither ISO-8601 nor YYYY-MM-DD HH:MM:SS' },
          { line: 4, reason: `expected 6 fields (${HEADER}), found 5` },
          { line: 5, reason: 'status_code "700" is not an HTTP status (100-599; 0 or empty: a timeout)' },
          { line: 6, reason: 'response_time "" is not a number of milliseconds from 0 to 86400000' },
          { line: 7, reason: 'method "P O" is not an HTTP method' },
          { line: 8, reason: 'timestamp must not be more than 2 minutes in the future' },
          { line: 9, reason: 'timestamp must not be older than the 35-day retention' },
          { line: 11, reason: 'broken quoting: a quoted field must end with " before a comma' },
        ],
      });
    });

    it('keeps only the first line numbers, but counts them all', async () => {
      const bad = Array.from({ length: 5 }, () => 'not,a,line');
      const { summary } = await importAll(file(HEADER, ...bad), { keepRejected: 2 });
      expect([summary.rejected.count, summary.rejected.first.map((r) => r.line)]).toEqual([5, [2, 3]]);
    });

    it('refuses the APIs past the limit: endpoints with ids in them', async () => {
      const lines = [1, 2, 3].map((id) => `2026-12-04 18:04:13,GET,/v1/orders/${id},200,1,5`);
      const { summary } = await importAll(file(HEADER, ...lines), { maxApis: 2 });
      expect([summary.apis, summary.rejected.count]).toEqual([2, 1]);
      expect(summary.rejected.first[0]?.reason).toMatch(/^more than 2 distinct APIs/);
    });
  });

  describe('with JSON lines of call records', () => {
    it('reads them, the import environment as default, and refuses another source', async () => {
      const { summary, minutes } = await importAll(
        file(
          '{"at":"2026-12-04T18:04:13.120Z","source":"checkout-api","api":"POST /v1/payments","status":200,"response_ms":132,"payload_valid":false}',
          '{"at":"2026-12-04T18:04:14Z","source":"checkout-api","environment":"staging","api":"POST /v1/payments","timeout":true}',
          '{"at":"2026-12-04T18:04:15Z","source":"ledger-api","api":"POST /v1/payments","status":200,"response_ms":1}',
          '{"at":"2026-12-04T18:04:16Z","source":"checkout-api","api":"POST /v1/payments","status":"ok","response_ms":1}',
        ),
        { environment: 'eu-prod' },
      );
      expect(minutes.map((m) => [m.environment, m.calls, m.silentFailures])).toEqual([
        ['eu-prod', [1, 0, 0, 0, 0], 1],
        ['staging', [0, 0, 0, 0, 1], 0],
      ]);
      expect(summary.format).toBe('jsonl');
      expect(summary.rejected.first).toEqual([
        { line: 3, reason: 'source "ledger-api" is not the import\'s source "checkout-api"' },
        { line: 4, reason: 'status: must be an HTTP status from 100 to 599' },
      ]);
    });
  });

  it('refuses a file that is no call log, and an empty one', async () => {
    await expect(importAll(file('minute,source,environment'))).rejects.toThrow(CallLogFormatError);
    await expect(importAll(file(''))).rejects.toThrow('the file is empty');
  });

  describe('importing the same file again', () => {
    const lines = Array.from({ length: 300 }, (_, i) => {
      // Mostly in order, with a few lines 7–9 minutes late: beyond the 5-minute window.
      const minute = i % 50 === 49 ? Math.floor(i / 10) - 8 : Math.floor(i / 10);
      const at = new Date(Date.parse('2026-12-04T17:00:00Z') + minute * 60_000 + (i % 10) * 1000);
      return `${at.toISOString()},GET,/v1/balance,${i % 7 === 0 ? 500 : 200},10,${(i * 37) % 700}`;
    });
    const path = file(HEADER, ...lines);

    it('gives the same chunk keys, also from a copy under another name', async () => {
      const copy = join(dir, 'copy-of-the-log.csv');
      copyFileSync(path, copy);
      const first = await importAll(path);
      expect(first.summary.lateChunks).toBeGreaterThan(0);
      expect((await importAll(path)).chunks).toEqual(first.chunks);
      expect((await importAll(copy)).chunks.map((c) => c.key)).toEqual(first.chunks.map((c) => c.key));
    });

    it('adds up, late chunks and all, to every call exactly once', async () => {
      const { minutes, summary } = await importAll(path);
      expect(minutes.reduce((n, m) => n + m.calls.reduce((a, b) => a + b, 0), 0)).toBe(300);
      expect(summary.calls).toBe(300);
    });

    it('gives other keys for another file, source or environment', async () => {
      const keys = async (p: string, options: Partial<ImportOptions> = {}) =>
        new Set((await importAll(p, options)).chunks.map((c) => c.key));
      const original = await keys(path);
      const others = [
        await keys(file(HEADER, ...lines.slice(1))),
        await keys(path, { source: 'ledger-api' }),
        await keys(path, { environment: 'staging' }),
      ];
      for (const other of others) expect([...other].filter((key) => original.has(key))).toEqual([]);
    });
  });

  it('reports progress as it goes', async () => {
    const progress: number[] = [];
    const lines = Array.from({ length: 25 }, () => '2026-12-04 18:04:13,GET,/x,200,1,5');
    await importAll(file(HEADER, ...lines), {
      progressEveryLines: 10,
      onProgress: (p) => progress.push(p.lines),
    });
    expect(progress).toEqual([10, 20]);
  });
});
