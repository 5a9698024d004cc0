import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';

/**
 * The baseline ratewatch's ingest is measured against: a bare `node:http` server and a mysql2 pool that
 * parse the same JSON bodies and upsert the same rows into a table shaped like `minute_counts` (counts) or
 * `api_call_minutes` (API-call summaries, and call records summed per API and minute) — one statement per
 * request, in autocommit — and nothing else: no validation beyond JSON, no auth beyond a string compare,
 * no source registry (names map to ids in memory), no Idempotency-Key, no rollup bookkeeping. It is the floor
 * of what any Node service storing these rows must pay, so the ratio ratewatch/baseline is ratewatch's own
 * overhead.
 */
export interface Baseline {
  readonly url: string;
  close(): Promise<void>;
}

export const BASELINE_TABLE = 'bench_baseline_minute_counts';
export const BASELINE_API_TABLE = 'bench_baseline_api_call_minutes';

/** The default catalog's slots (src/storage/migrations/001-foundation.ts). */
const SLOT_OF: Readonly<Record<string, number>> = {
  approved: 0,
  denied: 1,
  reversed: 2,
  failed: 3,
  processing: 4,
  backend_reversed: 5,
  refunded: 6,
};
const SLOT_COUNT = 12;
const SLOT_COLUMNS = Array.from({ length: SLOT_COUNT }, (_, slot) => `n${slot}`);
const UPSERT = `INSERT INTO ${BASELINE_TABLE} (series_id, minute, ${SLOT_COLUMNS.join(', ')}) VALUES ?
  ON DUPLICATE KEY UPDATE ${SLOT_COLUMNS.map((c) => `${c} = VALUES(${c})`).join(', ')}`;

/** The API-call minute's count columns (src/storage/api-call-columns.ts), written out: the baseline imports nothing. */
const API_COLUMNS = [
  ...['2xx', '3xx', '4xx', '5xx', 'timeout'].map((c) => `calls_${c}`),
  'silent_failures',
  ...['25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', 'inf'].map((b) => `le_${b}`),
];
const BOUNDS = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];
const apiUpsert = (add: boolean) =>
  `INSERT INTO ${BASELINE_API_TABLE} (minute, api_series_id, ${API_COLUMNS.join(', ')}) VALUES ?
  ON DUPLICATE KEY UPDATE ${API_COLUMNS.map((c) => (add ? `${c} = ${c} + VALUES(${c})` : `${c} = VALUES(${c})`)).join(', ')}`;

interface PostedApiMinute {
  source: string;
  environment?: string;
  api: string;
  minute: string;
  calls: Record<string, number>;
  silent_failures?: number;
  latency_ms?: Record<string, number>;
}

interface PostedCall {
  at: string;
  source: string;
  environment?: string;
  api: string;
  status?: number;
  timeout?: boolean;
  response_ms?: number;
  payload_valid?: boolean;
}

interface PostedItem {
  source: string;
  environment?: string;
  minute: string;
  counts: Record<string, number>;
}

/** Creates the baseline table (same columns and key as `minute_counts`) and starts the server on a free port. */
export async function startBaseline(options: {
  mysqlUrl: string;
  connectionLimit: number;
  token: string;
}): Promise<Baseline> {
  const pool = mysql.createPool({
    uri: options.mysqlUrl,
    connectionLimit: options.connectionLimit,
    timezone: 'Z',
  });
  await pool.query(`CREATE TABLE IF NOT EXISTS ${BASELINE_TABLE} LIKE minute_counts`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${BASELINE_API_TABLE} LIKE api_call_minutes`);
  const seriesIds = new Map<string, number>();
  const seriesIdOf = (source: string, environment: string, api = '') => {
    const key = `${source}\u0000${environment}\u0000${api}`;
    let id = seriesIds.get(key);
    if (id === undefined) {
      id = seriesIds.size + 1;
      seriesIds.set(key, id);
    }
    return id;
  };
  const expectedAuthorization = `Bearer ${options.token}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => reply(res, 500, { error: error.message }));
  });
  /** `POST /v1/api-calls`: each summary becomes its row; one upsert that replaces. */
  async function handleSummaries(text: string): Promise<number> {
    const body = JSON.parse(text) as PostedApiMinute | { items: PostedApiMinute[] };
    const items = 'items' in body ? body.items : [body];
    const rows = items.map((item) => [
      new Date(item.minute),
      seriesIdOf(item.source, item.environment ?? 'production', item.api),
      ...['2xx', '3xx', '4xx', '5xx', 'timeout'].map((c) => item.calls[c] ?? 0),
      item.silent_failures ?? 0,
      ...[...BOUNDS.map(String), 'inf'].map((b) => item.latency_ms?.[b] ?? 0),
    ]);
    await pool.query(apiUpsert(false), [rows]);
    return rows.length;
  }

  /** `POST /v1/api-calls/log`: the records (JSON array or NDJSON) summed per API and minute; one upsert that adds. */
  async function handleLog(text: string, ndjson: boolean): Promise<number> {
    const records = (
      ndjson
        ? text
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line))
        : JSON.parse(text)
    ) as PostedCall[];
    const minutes = new Map<string, unknown[]>();
    for (const call of records) {
      const minute = Math.floor(Date.parse(call.at) / 60_000) * 60_000;
      const id = seriesIdOf(call.source, call.environment ?? 'production', call.api);
      const key = `${id}\u0000${minute}`;
      let row = minutes.get(key);
      if (!row) {
        row = [new Date(minute), id, ...API_COLUMNS.map(() => 0)];
        minutes.set(key, row);
      }
      const status = call.timeout ? null : (call.status as number);
      const index = 2 + (status === null ? 4 : Math.max(0, Math.floor(status / 100) - 2));
      row[index] = (row[index] as number) + 1;
      if (status !== null && status < 300 && call.payload_valid === false) row[7] = (row[7] as number) + 1;
      if (status !== null) {
        const bucket = BOUNDS.findIndex((bound) => (call.response_ms as number) <= bound);
        const at = 8 + (bucket < 0 ? BOUNDS.length : bucket);
        row[at] = (row[at] as number) + 1;
      }
    }
    await pool.query(apiUpsert(true), [[...minutes.values()]]);
    return records.length;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return reply(res, 404, { error: 'not_found' });
    if (req.headers.authorization !== expectedAuthorization)
      return reply(res, 401, { error: 'unauthorized' });
    if (req.url === '/v1/api-calls')
      return reply(res, 202, { accepted: await handleSummaries(await readBody(req)) });
    if (req.url === '/v1/api-calls/log') {
      const ndjson = req.headers['content-type'] === 'application/x-ndjson';
      return reply(res, 202, { accepted: await handleLog(await readBody(req), ndjson) });
    }
    if (req.url !== '/v1/counts') return reply(res, 404, { error: 'not_found' });
    const body = JSON.parse(await readBody(req)) as PostedItem | { items: PostedItem[] };
    const items = 'items' in body ? body.items : [body];
    const rows = items.map((item) => {
      const slots = new Array<number>(SLOT_COUNT).fill(0);
      for (const [status, count] of Object.entries(item.counts)) slots[SLOT_OF[status] ?? 11] = count;
      return [seriesIdOf(item.source, item.environment ?? 'production'), new Date(item.minute), ...slots];
    });
    await pool.query(UPSERT, [rows]);
    reply(res, 202, { accepted: rows.length });
  }
  // As long as Fastify's default, so neither server drops the client's keep-alive connections.
  server.keepAliveTimeout = 72_000;

  const url = await listen(server);
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}
