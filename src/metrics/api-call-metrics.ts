import { Counter, type Registry } from 'prom-client';

/** The Prometheus metrics of the API-calls endpoints, on the process's registry (as counts' in metrics.ts). */
export interface ApiCallMetrics {
  /** A post stored: `minutes` API-minutes replaced (summaries) or added into (log), `records` call records. */
  accepted(endpoint: 'summaries' | 'log', minutes: number, records: number): void;
  /** A log post whose Idempotency-Key was applied before: answered 200, nothing added. */
  repeated(): void;
  rejected(endpoint: 'summaries' | 'log', reason: string): void;
}

export function createApiCallMetrics(registry: Registry): ApiCallMetrics {
  const posts = new Counter({
    name: 'ratewatch_api_call_posts_total',
    help: 'POST /v1/api-calls (endpoint="summaries") and /v1/api-calls/log (endpoint="log") requests, by outcome (accepted, repeated, rejected) and reason of a rejection',
    labelNames: ['endpoint', 'outcome', 'reason'],
    registers: [registry],
  });
  const minutes = new Counter({
    name: 'ratewatch_api_call_rows_stored_total',
    help: 'Minutes of APIs stored: replaced by summaries, added into by log records (re-posts included)',
    labelNames: ['endpoint'],
    registers: [registry],
  });
  const records = new Counter({
    name: 'ratewatch_api_call_records_total',
    help: 'Raw call records added through POST /v1/api-calls/log',
    registers: [registry],
  });
  return {
    accepted: (endpoint, count, calls) => {
      posts.inc({ endpoint, outcome: 'accepted', reason: '' });
      minutes.inc({ endpoint }, count);
      if (calls > 0) records.inc(calls);
    },
    repeated: () => posts.inc({ endpoint: 'log', outcome: 'repeated', reason: '' }),
    rejected: (endpoint, reason) => posts.inc({ endpoint, outcome: 'rejected', reason }),
  };
}
