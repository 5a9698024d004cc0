import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';

/**
 * The baseline ratewatch's ingest is measured against: a bare `node:http` server and a mysql2 pool that
 * parse the same JSON bodies and upsert the same rows into a table shaped like `minute_counts` — one statement
 * per request, in autocommit — and nothing else: no validation beyond JSON, no auth beyond a string compare,
 * no source registry (names map to ids in memory), no rollup bookkeeping. It is the floor of what any
 * Node service storing these rows must pay, so the ratio ratewatch/baseline is ratewatch's own overhead.
 */
export interface Baseline {
  readonly url: string;
  close(): Promise<void>;
}

export const BASELINE_TABLE = 'bench_baseline_minute_counts';

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
  const seriesIds = new Map<string, number>();
  const seriesIdOf = (source: string, environment: string) => {
    const key = `${source}\u0000${environment}`;
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
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/v1/counts') return reply(res, 404, { error: 'not_found' });
    if (req.headers.authorization !== expectedAuthorization)
      return reply(res, 401, { error: 'unauthorized' });
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
