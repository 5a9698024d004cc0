import type { Pool, RowDataPacket } from 'mysql2/promise';
import { API_TOKEN, type TestApp } from './app.js';

/** product.md's example minute of `POST /v1/payments`, word for word. */
export const EXAMPLE_MINUTE = {
  source: 'checkout-api',
  environment: 'production',
  api: 'POST /v1/payments',
  minute: '2026-12-04T18:04:00Z',
  calls: { '2xx': 1180, '3xx': 0, '4xx': 31, '5xx': 4, timeout: 1 },
  silent_failures: 2,
  latency_ms: {
    '25': 300,
    '50': 610,
    '100': 250,
    '250': 40,
    '500': 10,
    '1000': 3,
    '2500': 1,
    '5000': 0,
    '10000': 0,
    inf: 1,
  },
};

/** One hour of one API as `GET /v1/sources/{source}/api-calls` answers it. */
export interface ApiHourAnswer {
  hour_start: string;
  minutes_reported: number;
  calls: Record<string, number>;
  total: number;
  silent_failures: number;
  error_rate: number | null;
  silent_failure_rate: number | null;
  latency_ms: {
    p50: number;
    p95: number;
    p99: number;
    calls: number;
    interpolated: true;
    above_range: string[];
  } | null;
  latency_buckets: Record<string, number>;
}

export interface ApiCallsAnswer {
  source: string;
  environment: string;
  from: string;
  to: string;
  latency_note: string;
  apis: { api: string; hours: ApiHourAnswer[] }[];
}

/** POSTs summaries (`/v1/api-calls`) with the shared ingest token unless told. */
export function postSummaries(app: TestApp, json: unknown, token?: string | null): Promise<Response> {
  return app.request('/v1/api-calls', { method: 'POST', json, token });
}

/** POSTs call records to `/v1/api-calls/log`: a JSON array, or NDJSON text when `ndjson` is given. */
export function postLog(
  app: TestApp,
  body: { records?: unknown; ndjson?: string },
  options: { key?: string; token?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers['idempotency-key'] = options.key;
  if (body.ndjson !== undefined) {
    headers['content-type'] = 'application/x-ndjson';
    return app.request('/v1/api-calls/log', {
      method: 'POST',
      headers,
      body: body.ndjson,
      token: options.token,
    });
  }
  return app.request('/v1/api-calls/log', {
    method: 'POST',
    headers,
    json: body.records,
    token: options.token,
  });
}

/** GETs a source's hourly API calls (API_TOKEN unless told); the answer must be 200. */
export async function readApiCalls(app: TestApp, source: string, query: string, token = API_TOKEN) {
  const response = await app.request(`/v1/sources/${source}/api-calls?${query}`, { token });
  if (response.status !== 200) throw new Error(`reading: ${response.status} ${await response.text()}`);
  return (await response.json()) as ApiCallsAnswer;
}

/** A fingerprint of everything API-call ingest stores: unchanged means nothing was stored. */
export async function storedApiCalls(db: Pool) {
  const [[minutes]] = await db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n, COALESCE(SUM(calls_2xx + calls_3xx + calls_4xx + calls_5xx + calls_timeout + silent_failures + le_25 + le_inf), 0) AS calls
     FROM api_call_minutes`,
  );
  const [[others]] = await db.query<RowDataPacket[]>(
    `SELECT (SELECT COUNT(*) FROM sources) AS sources, (SELECT COUNT(*) FROM api_series) AS apis,
       (SELECT COUNT(*) FROM api_call_batches) AS batches`,
  );
  return {
    minutes: Number(minutes?.n),
    calls: Number(minutes?.calls),
    sources: Number(others?.sources),
    apis: Number(others?.apis),
    batches: Number(others?.batches),
  };
}
