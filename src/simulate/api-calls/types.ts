/** What detection judges per (source, environment, api) — product.md, "API calls". */
export const API_METRICS = ['errors', 'silent_failures', 'latency', 'traffic'] as const;
export type ApiMetric = (typeof API_METRICS)[number];

/** An injected event: an incident (labelled) or a benign one (listed for analysis only). */
export interface ApiSimEvent {
  readonly source: string;
  readonly environment: string;
  /** The API it is labelled on; `*` while a source-wide event is planned (expanded per API for labels). */
  readonly api: string;
  readonly metric: ApiMetric;
  readonly kind: string;
  /** Epoch milliseconds, whole minutes; the window is [startMs, endMs). */
  readonly startMs: number;
  readonly endMs: number;
  /** The kind's multiplier (on a share, the latency median or volume). */
  readonly magnitude: number;
  readonly incident: boolean;
}

/** What to simulate: the same options always give the same data. */
export interface ApiSimulationOptions {
  readonly seed: number;
  readonly days: number;
  /** Services (sources); each has 2–5 APIs and sometimes a staging environment. */
  readonly sources: number;
  /** First minute, epoch milliseconds (UTC, whole minute). */
  readonly startMs: number;
}

/** Every API the source-wide events apply to. */
export const ALL_APIS = '*';
