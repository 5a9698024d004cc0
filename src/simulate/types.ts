/** The statuses of the default catalog, in the order of the counts CSV columns. */
export const STATUSES = [
  'approved',
  'denied',
  'reversed',
  'failed',
  'processing',
  'backend_reversed',
  'refunded',
] as const;
export type Status = (typeof STATUSES)[number];
/** Every status but `approved`: their shares are modelled, approved is what is left. */
export type OtherStatus = Exclude<Status, 'approved'>;
export const OTHER_STATUSES = STATUSES.slice(1) as readonly OtherStatus[];

/** What detection watches: the rate of three bad statuses, and the volume (`traffic`). */
export const METRICS = ['failed', 'denied', 'reversed', 'traffic'] as const;
export type Metric = (typeof METRICS)[number];
export type RateMetric = Exclude<Metric, 'traffic'>;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** One reported minute of one source and environment: the counts CSV's row. */
export interface CountRow {
  /** Start of the minute, epoch milliseconds (UTC). */
  readonly minuteMs: number;
  readonly source: string;
  readonly environment: string;
  /** Transactions per status in STATUSES order. */
  readonly counts: readonly number[];
}

/** An injected event: an incident (labelled) or a benign one (listed for analysis only). */
export interface SimEvent {
  readonly source: string;
  readonly environment: string;
  readonly metric: Metric;
  readonly kind: string;
  /** Epoch milliseconds, whole minutes; the window is [startMs, endMs). */
  readonly startMs: number;
  readonly endMs: number;
  /** The kind's multiplier (rate or volume); for an outage, the share of volume left (0–0.1). */
  readonly magnitude: number;
  readonly incident: boolean;
}

/** What to simulate: the same options always give the same data. */
export interface SimulationOptions {
  readonly seed: number;
  readonly days: number;
  readonly sources: number;
  /** First minute, epoch milliseconds (UTC, whole minute). */
  readonly startMs: number;
}
