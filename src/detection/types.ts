/** The metrics evaluated for every series: the rate of each watched status, and total volume. */
export const RATE_METRICS = ['failed', 'denied', 'reversed'] as const;
export type RateMetric = (typeof RATE_METRICS)[number];
export type Metric = RateMetric | 'traffic';
export const METRICS: readonly Metric[] = [...RATE_METRICS, 'traffic'];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type ModelName = 'zscore' | 'tree' | 'absolute';

/** Transactions in a window: the total of all statuses, and the count of each watched status. */
export interface WindowCounts {
  /** Minutes that were reported (had a row) in the window. */
  readonly minutes: number;
  readonly total: number;
  readonly failed: number;
  readonly denied: number;
  readonly reversed: number;
}

/** One past hour of a series, with its calendar position in the source's time zone. */
export interface HistoryHour extends WindowCounts {
  /** Start of the hour, epoch milliseconds (UTC). */
  readonly hourStart: number;
  /** Hour of day in the source's time zone, 0–23. */
  readonly localHour: number;
  /** Day of week in the source's time zone, 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  readonly holiday: boolean;
  /** Metrics that produced a finding for this hour; left out of baselines and training. */
  readonly alerting: ReadonlySet<Metric>;
  /**
   * Set (by withLostPostsOut) on an every-minute poster's hour with rows in under half its minutes: its rows are
   * not the hour's traffic, so every traffic baseline leaves it out, even where it is the only sample.
   */
  readonly thin?: boolean;
}

/** Where the evaluated window sits in the source's calendar. */
export interface CalendarPosition {
  readonly localHour: number;
  readonly weekday: number;
  readonly holiday: boolean;
}

/** What a model expects of a rate metric at this hour: the rate (it may depend on volume) and its spread. */
export interface RateExpectation {
  readonly model: ModelName;
  /** Expected rate (fraction) for a window whose volume, scaled to an hour, is `hourlyVolume`. */
  expectedRate(hourlyVolume: number): number;
  /** Extra-sampling variance of the hourly log rate around the expectation (see overdispersion). */
  readonly logVariance: number;
}

/** What a model expects of traffic at this hour: transactions per hour and their day-to-day spread. */
export interface TrafficExpectation {
  readonly model: ModelName;
  readonly expectedHourly: number;
  /** Extra-Poisson variance of hourly log volume around the expectation (see overdispersion). */
  readonly logVariance: number;
  /** True while the weekly cycle is unknown (first week): only gross changes should count. */
  readonly provisional?: boolean;
}

/** What one model thinks of one metric in one window. `score` is a z-like number: ≥ 4 is unusual. */
export interface ModelVerdict {
  readonly model: ModelName;
  readonly direction: 'up' | 'down';
  /** Expected rate (rate metrics) or expected transactions in the window (traffic). */
  readonly expected: number;
  /** How many standard errors the observation is past the expectation, in the alerting direction. */
  readonly score: number;
}

/**
 * A metric that left normal behaviour in a window. For rate metrics `observedRate`/`expectedRate` are
 * fractions (0.031 = 3.1 %); for traffic they are transactions per window.
 */
export interface Finding {
  readonly source: string;
  readonly environment: string;
  readonly metric: Metric;
  readonly windowStart: Date;
  /** When the evaluation ran (the window closes at the hour; late posts get a grace period before it runs). */
  readonly windowEnd: Date;
  readonly direction: 'up' | 'down';
  readonly models: readonly ModelName[];
  readonly observedRate: number;
  readonly expectedRate: number;
  readonly score: number;
  readonly severity: Severity;
  readonly counts: {
    /** Transactions of the metric's status (rates) or of all statuses (traffic) in the window. */
    readonly observed: number;
    readonly expected: number;
    /** observed − expected, rounded: "≈ 1,240 more declines than expected" (negative for a traffic drop). */
    readonly excess: number;
    /** All transactions in the window. */
    readonly total: number;
  };
  /** Every model's score, including those that did not fire. */
  readonly scores: Readonly<Partial<Record<ModelName, number>>>;
  /**
   * Set on a silence finding (traffic, down, observed 0): the minutes the series, which posts every minute, has
   * posted no row — "no reports for 23 minutes; ≈ 4,100 transactions expected".
   */
  readonly silentMinutes?: number;
}
