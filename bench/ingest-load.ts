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

export type LoadShape = 'single' | 'batch';

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

function bodyOf(job: LoadJob, firstItem: number): string {
  if (job.shape === 'single') return itemJson(job, firstItem);
  const items: string[] = [];
  for (let k = 0; k < job.itemsPerRequest; k++) items.push(itemJson(job, firstItem + k));
  return `{"items":[${items.join(',')}]}`;
}

function post(agent: Agent, job: LoadJob, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${job.url}/v1/counts`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${job.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
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
        const { status, text } = await post(agent, job, body);
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
    minutesUsed: Math.ceil(nextItem / job.sources),
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
