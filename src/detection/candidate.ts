import type { RateExpectation, RateMetric, TrafficExpectation, WindowCounts } from './types.js';

/** A window of the evaluated hour: the whole hour or a tail of it. */
export interface Candidate {
  readonly kind: 'hour' | 'span' | 'hours';
  /** Epoch ms. */
  readonly start: number;
  /** Length as a fraction of an hour. */
  readonly fraction: number;
  readonly counts: WindowCounts;
  /** Its 10-minute blocks, when minute data is at hand. */
  readonly blocks: readonly WindowCounts[] | undefined;
  /**
   * Transactions in the window for judging traffic, with unreported minutes of a source that reports every
   * minute filled in at the window's own pace (a reporting gap is not an outage); undefined when too little of
   * the window was reported to judge. `blockTotals` likewise per block (undefined: block not reported).
   * `dropOnly`: under half the window's rows were reported, but some were, and they are filled in all the same —
   * the rows a source did post show how much traffic it had, so a fill-in far below what was expected is a drop
   * (an outage leaves a busy source posting a stray minute now and then), while a fill-in above it proves nothing.
   */
  readonly traffic:
    | {
        readonly total: number;
        readonly blockTotals: readonly (number | undefined)[];
        readonly dropOnly?: boolean;
      }
    | undefined;
  /** Added to the threshold: every extra window looked at is another chance of a false alarm. */
  readonly penalty: number;
  /** The share of the hour's traffic expected in the window (`fraction` if traffic were even), and in each block. */
  readonly share: number;
  readonly blockShares: readonly number[];
  /** Extra log-variance of traffic in the window: how unsure its share of the hour is (0 for the whole hour). */
  readonly shareLogVariance: number;
}

export type MetricModel =
  | ({ readonly kind: 'rate'; readonly metric: RateMetric } & RateExpectation)
  | ({ readonly kind: 'traffic' } & TrafficExpectation);
export type MetricModels = readonly MetricModel[];
