/**
 * The load generator of bench/ingest.ts, run in a child process of its own so that building bodies and
 * parsing responses does not compete with the servers under test for their event loop.
 * It receives a LoadJob over IPC, drives `POST /v1/counts` at `url` with `concurrency` keep-alive connections
 * for `warmupMs + measureMs`, and answers with a LoadResult measured over the last `measureMs` only.
 *
 * Row keys: request-item number i (0, 1, 2, …) is source `bench-<i % sources>` at minute
 * `anchor − (minuteOffset + ⌊i / sources⌋)` — every row of a run is new, and two runs with the same
 * minuteOffset post exactly the same rows (so ratewatch and the baseline store the same data).
 */
import { Agent, request } from 'node:http';
import { STATUSES } from '../src/simulate/types.js';

export type LoadShape = 'single' | 'batch' | 'api-batch' | 'log-json' | 'log-ndjson';

/** Where each shape posts, and how many of its items share one minute (rows are keyed by item number). */
export const SHAPES: Readonly<Record<LoadShape, { path: string; itemsPerMinute: (job: LoadJob) => number }>> =
  {
    single: { path: '/v1/counts', itemsPerMinute: (job) => job.sources },
    batch: { path: '/v1/counts', itemsPerMinute: (job) => job.sources },
    'api-batch': { path: '/v1/api-calls', itemsPerMinute: (job) => job.sources * API_COUNT },
    'log-json': { path: '/v1/api-calls/log', itemsPerMinute: () => LOG_CALLS_PER_MINUTE },
    'log-ndjson': { path: '/v1/api-calls/log', itemsPerMinute: () => LOG_CALLS_PER_MINUTE },
  };
/** APIs per source in the API-call shapes. */
export const API_COUNT = 10;
/** Sources of the log shapes, and the calls they make a minute together (a busy fleet: 200 API-minutes a minute). */
export const LOG_SOURCES = 20;
export const LOG_CALLS_PER_MINUTE = 20_000;

export interface LoadJob {
  readonly url: string;
  readonly token: string;
  readonly shape: LoadShape;
  /** Items per request: 1 for single-minute posts. */
  readonly itemsPerRequest: number;
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly sources: number;
  /** The newest minute rows may use, epoch ms on a whole minute. */
  readonly anchorMs: number;
  /** Minutes before the anchor this run starts at. */
  readonly minuteOffset: number;
}

export interface LoadResult {
  /** Requests answered 202 within the measured window. */
  readonly requests: number;
  readonly records: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Items answered 202 over the whole run, warm-up and drain included (to divide CPU time by). */
  readonly itemsStored: number;
  /** Minutes (counted from minuteOffset) this run used, warm-up included. */
  readonly minutesUsed: number;
  /** Answers other than 202 (or transport errors), with the first one's text. */
  readonly errors: number;
  readonly firstError?: string;
}

/** The JSON of item i: built as text, since JSON.stringify of objects would make the client the bottleneck. */
function itemJson(job: LoadJob, i: number): string {
  const source = `bench-${i % job.sources}`;
  const minute = new Date(job.anchorMs - (job.minuteOffset + Math.floor(i / job.sources)) * 60_000);
  const counts = STATUSES.map((status, k) => `"${status}":${(i * (k + 7)) % (k === 0 ? 5000 : 97)}`).join(
    ',',
  );
  return `{"source":"${source}","environment":"production","minute":"${minute.toISOString().replace('.000Z', 'Z')}","counts":{${counts}}}`;
}

/**
 * Summary i of the API-call batch shape: source `api-bench-<i mod sources>`, one of API_COUNT APIs, a minute
 * that no earlier item of the run used for that pair; counts that add up as the contract requires.
 */
function apiItemJson(job: LoadJob, i: number): string {
  const source = `api-bench-${i % job.sources}`;
  const api = `GET /v1/resource-${Math.floor(i / job.sources) % API_COUNT}`;
  const minute = new Date(
    job.anchorMs - (job.minuteOffset + Math.floor(i / (job.sources * API_COUNT))) * 60_000,
  );
  const [ok, redirect, client, server, timeout] = [900 + (i % 300), i % 3, i % 17, i % 5, i % 2];
  const responses = ok + redirect + client + server;
  const fast = Math.floor(responses / 2);
  return `{"source":"${source}","environment":"production","api":"${api}","minute":"${minute.toISOString().replace('.000Z', 'Z')}","calls":{"2xx":${ok},"3xx":${redirect},"4xx":${client},"5xx":${server},"timeout":${timeout}},"silent_failures":${i % 4},"latency_ms":{"25":${fast},"50":${responses - fast - 3},"250":2,"inf":1}}`;
}

/** Call record i of the log shapes: LOG_CALLS_PER_MINUTE a minute over LOG_SOURCES sources × API_COUNT APIs. */
function logRecordJson(job: LoadJob, i: number): string {
  const minute = job.minuteOffset + Math.floor(i / LOG_CALLS_PER_MINUTE);
  const at = new Date(
    job.anchorMs - minute * 60_000 + Math.floor(((i % LOG_CALLS_PER_MINUTE) * 60_000) / LOG_CALLS_PER_MINUTE),
  );
  const source = `log-bench-${i % LOG_SOURCES}`;
  const api = `POST /v1/resource-${Math.floor(i / LOG_SOURCES) % API_COUNT}`;
  const outcome =
    i % 97 === 0
      ? '"timeout":true'
      : `"status":${i % 53 === 0 ? 503 : i % 19 === 0 ? 404 : 200},"response_ms":${(i * 37) % 1800}`;
  return `{"at":"${at.toISOString()}","source":"${source}","api":"${api}",${outcome}${i % 211 === 0 ? ',"payload_valid":false' : ''}}`;
}

function bodyOf(job: LoadJob, firstItem: number): string {
  if (job.shape === 'single') return itemJson(job, firstItem);
  const items: string[] = [];
  const item = job.shape === 'batch' ? itemJson : job.shape === 'api-batch' ? apiItemJson : logRecordJson;
  for (let k = 0; k < job.itemsPerRequest; k++) items.push(item(job, firstItem + k));
  if (job.shape === 'log-ndjson') return `${items.join('\n')}\n`;
  if (job.shape === 'log-json') return `[${items.join(',')}]`;
  return `{"items":[${items.join(',')}]}`;
}

/** Log posts carry an Idempotency-Key, as a shipper that retries should: the measured path is the full one. */
function post(
  agent: Agent,
  job: LoadJob,
  body: string,
  firstItem: number,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string | number> = {
    authorization: `Bearer ${job.token}`,
    'content-type': job.shape === 'log-ndjson' ? 'application/x-ndjson' : 'application/json',
    'content-length': Buffer.byteLength(body),
  };
  if (job.shape.startsWith('log-')) headers['idempotency-key'] = `bench-${job.minuteOffset}-${firstItem}`;
  return new Promise((resolve, reject) => {
    const req = request(`${job.url}${SHAPES[job.shape].path}`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const start = performance.now();
  const measureFrom = start + job.warmupMs;
  const stopAt = measureFrom + job.measureMs;
  const latencies: number[] = [];
  let nextItem = 0;
  let errors = 0;
  let itemsStored = 0;
  let firstError: string | undefined;

  const connection = async () => {
    while (performance.now() < stopAt) {
      const firstItem = nextItem;
      nextItem += job.itemsPerRequest;
      const body = bodyOf(job, firstItem);
      const sent = performance.now();
      let failure: string | undefined;
      try {
        const { status, text } = await post(agent, job, body, firstItem);
        if (status !== 202) failure = `${status} ${text.slice(0, 300)}`;
      } catch (error) {
        failure = (error as Error).message;
      }
      const done = performance.now();
      if (failure !== undefined) {
        errors++;
        firstError ??= failure;
        continue;
      }
      itemsStored += job.itemsPerRequest;
      if (done >= measureFrom && done <= stopAt) latencies.push(done - sent);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, connection));
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const seconds = job.measureMs / 1000;
  return {
    requests: latencies.length,
    records: latencies.length * job.itemsPerRequest,
    seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    itemsStored,
    minutesUsed: Math.ceil(nextItem / SHAPES[job.shape].itemsPerMinute(job)),
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

// Child-process entry: one job per message, one result per job.
if (process.send) {
  process.on('message', (job: LoadJob) => {
    runLoad(job).then(
      (result) => process.send?.({ result }),
      (error: Error) => process.send?.({ error: error.stack ?? error.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
