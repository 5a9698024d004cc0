import type { Severity } from '../detection/types.js';

/**
 * One bucket of the observed series: what happened in [start, start + minutes). The chart draws it at the
 * bucket's middle, so hourly points far back and 5- or 10-minute points near the incident share one time axis.
 */
export interface ObservedPoint {
  /** Start of the bucket, epoch milliseconds (UTC). */
  readonly start: number;
  /** Length of the bucket in minutes: 60 for hourly rollups, 10 or 5 for blocks near the incident. */
  readonly minutes: number;
  /**
   * The observed value: a rate as a fraction (0.038 = 3.8 %) or a volume in `valueAxis.unit`.
   * `null` = no data for the bucket (drawn as a gap, as is a bucket the caller left out).
   */
  readonly value: number | null;
}

/**
 * What the models expected of one bucket: the expected value and the band within which they would not alert.
 * Give the band for a bucket of this length (a 10-minute block's band is wider than an hour's).
 */
export interface ExpectedPoint {
  /** Start of the bucket, epoch milliseconds (UTC). */
  readonly start: number;
  readonly minutes: number;
  /** The expected value, same unit as the observed one; `null` when unknown. */
  readonly expected: number | null;
  /** Lower and upper edge of the band; `null` while the models have none (cold start): no shading there. */
  readonly low: number | null;
  readonly high: number | null;
}

/** How the y axis reads: rates in % (fractions in, "3.8 %" out), or volumes with the caller's unit. */
export type ValueAxis =
  | { readonly kind: 'rate' }
  | {
      readonly kind: 'count';
      /** What one unit is, shown at the axis: `transactions per hour`, `transactions per 10 min`, `calls per hour`. */
      readonly unit: string;
    };

/** Everything the alert chart shows. Plain data: the caller assembles it from rollups, minutes and detection. */
export interface AlertChartInput {
  /** The headline, e.g. `card-eu (production) · failed rate` or `checkout-api (production) · POST /v1/payments · errors`. */
  readonly title: string;
  /** Colours the accent stripe, the badge and the alert window. */
  readonly severity: Severity;
  readonly valueAxis: ValueAxis;
  /** The source's IANA time zone: the time axis is labelled in it (DST-correct) and names it. */
  readonly timeZone: string;
  /** The time range shown, epoch milliseconds: usually [now − 48 h, now]. */
  readonly from: number;
  readonly to: number;
  /** Observed buckets, oldest first (sorted again here); anything outside [from, to] is clipped. */
  readonly observed: readonly ObservedPoint[];
  /** Expected values and bands, oldest first; may be empty (no models yet). */
  readonly expected: readonly ExpectedPoint[];
  /** The alert's window (incident start → last data), epoch milliseconds; a start before `from` is clamped. */
  readonly alertWindow?: { readonly start: number; readonly end: number } | undefined;
}
