/**
 * `npx tsx bench/api-calls-parse.ts` — how fast the pure API-calls parsers are, without HTTP or storage:
 * a 10,000-item `POST /v1/api-calls` batch (and the same batch of counts through parse-counts, for scale),
 * a batch whose every item is wrong (zod words each problem), and 10,000 raw call records (a JSON array
 * and NDJSON) parsed and summed into per-minute rows. Prints the median and best of BENCH_ROUNDS rounds (15).
 */
import { aggregateCalls } from '../src/api-calls/aggregate-calls.js';
import { parseApiCallsBody } from '../src/ingest/parse-api-calls.js';
import { parseCallLogsJson, parseCallLogsNdjson } from '../src/ingest/parse-call-logs.js';
import { parseCountsBody } from '../src/ingest/parse-counts.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ITEMS = 10_000;
const now = new Date('2026-12-04T18:05:30Z');
const context = { now, retentionDays: 35 };
const minuteOf = (i: number) => new Date(now.getTime() - (1 + (i % 600)) * 60_000 - 30_000).toISOString();
const wholeMinute = (i: number) => `${minuteOf(i).slice(0, 17)}00Z`;
const API_NAMES = Array.from({ length: 20 }, (_, i) => `${i % 2 ? 'GET' : 'POST'} /v1/resource-${i}`);

function summaryBatch(wrong: boolean): unknown {
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    source: `service-${i % 100}`,
    environment: 'production',
    api: API_NAMES[Math.floor(i / 100) % 20],
    minute: wholeMinute(Math.floor(i / 2000)),
    calls: { '2xx': 1180, '3xx': 0, '4xx': 31, '5xx': 4, timeout: 1 },
    silent_failures: wrong ? 2000 : 2,
    latency_ms: { '25': 300, '50': 610, '100': 250, '250': 40, '500': 10, '1000': 3, '2500': 1, inf: 1 },
  }));
  return JSON.parse(JSON.stringify({ items }));
}

function countsBatch(): unknown {
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    source: `service-${i % 100}`,
    environment: 'production',
    minute: wholeMinute(Math.floor(i / 100)),
    counts: { approved: 1180, denied: 31, failed: 4, reversed: 1 },
  }));
  return JSON.parse(JSON.stringify({ items }));
}

function callRecords(): Record<string, unknown>[] {
  return Array.from({ length: ITEMS }, (_, i) => ({
    at: minuteOf(i * 7),
    source: 'checkout-api',
    environment: 'production',
    api: API_NAMES[i % 20],
    ...(i % 97 === 0 ? { timeout: true } : { status: i % 31 === 0 ? 503 : 200, response_ms: (i * 37) % 900 }),
    payload_valid: i % 211 !== 0,
  }));
}

/** Items per second of `run`: the median and the best round (after two warm-up rounds). */
function measure(run: () => number): { median: number; best: number } {
  const rates: number[] = [];
  for (let round = -2; round < ROUNDS; round++) {
    const started = performance.now();
    const items = run();
    const seconds = (performance.now() - started) / 1000;
    if (round >= 0) rates.push(items / seconds);
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)] as number, best: rates[rates.length - 1] as number };
}

function main(): void {
  const good = summaryBatch(false);
  const bad = summaryBatch(true);
  const counts = countsBatch();
  const statuses = {
    catalogName: 'payments',
    statuses: new Set(['approved', 'denied', 'reversed', 'failed']),
  };
  const records = callRecords();
  const ndjson = records.map((r) => JSON.stringify(r)).join('\n');
  const checkAll = (problems: number, expected: number) => {
    if (problems !== expected) throw new Error(`expected ${expected} problems, got ${problems}`);
  };
  const rows: [string, { median: number; best: number }, string][] = [
    [
      'summaries, 10,000 valid items',
      measure(() => {
        checkAll(parseApiCallsBody(good, context).problems.length, 0);
        return ITEMS;
      }),
      'items/s',
    ],
    [
      'counts (parse-counts), 10,000 items',
      measure(() => {
        checkAll(parseCountsBody(counts, { ...context, statusesFor: () => statuses }).problems.length, 0);
        return ITEMS;
      }),
      'items/s',
    ],
    [
      'summaries, 10,000 wrong items (zod)',
      measure(() => {
        checkAll(parseApiCallsBody(bad, context).problems.length, ITEMS);
        return ITEMS;
      }),
      'items/s',
    ],
    [
      'call records, JSON array: parse + aggregate',
      measure(() => {
        const parsed = parseCallLogsJson(records, context);
        checkAll(parsed.problems.length, 0);
        aggregateCalls(parsed.records);
        return ITEMS;
      }),
      'calls/s',
    ],
    [
      'call records, NDJSON text: parse + aggregate',
      measure(() => {
        const parsed = parseCallLogsNdjson(ndjson, context);
        checkAll(parsed.problems.length, 0);
        aggregateCalls(parsed.records);
        return ITEMS;
      }),
      'calls/s',
    ],
  ];
  const format = (rate: number) => Math.round(rate).toLocaleString('en-US').padStart(12);
  process.stdout.write(
    `${ROUNDS} rounds, one process, no HTTP and no storage; a shared machine: look at the best\n`,
  );
  process.stdout.write(`${'parser'.padEnd(46)} ${'median'.padStart(12)} ${'best'.padStart(12)}\n`);
  for (const [what, rate, unit] of rows)
    process.stdout.write(`${what.padEnd(46)} ${format(rate.median)} ${format(rate.best)} ${unit}\n`);
}

main();
