import type { Metric, Severity } from './types.js';

/** One row of the severity table: a finding gets the highest severity whose every condition holds. */
export interface SeverityRule {
  readonly severity: Severity;
  /** Combined model score at least this. */
  readonly minScore: number;
  /** Observed / expected (rises) or expected / observed (traffic drops) at least this. */
  readonly minFactor: number;
}

/**
 * Every knob of detection, with defaults chosen on simulated labelled traffic (`npm run eval`).
 * Rates are fractions (0.002 = 0.2 percentage points); counts are transactions per window.
 */
export interface DetectionSettings {
  /** Days of hourly history the z-score model looks back over. */
  readonly historyDays: number;
  /** Hours with traffic a series needs before its own history is trusted (before that: absolute rules only). */
  readonly minHistoryHours: number;
  /** Comparable past hours the z-score model needs for a verdict. */
  readonly minComparableHours: number;
  /** Score a finding needs. */
  readonly threshold: number;
  /** When both models have a verdict, the weaker must reach this (so one model alone cannot page on a hunch). */
  readonly confirmThreshold: number;
  /**
   * Extra score a half-hour window needs over the hour (every window is one more look at the same data); other
   * sub-hour windows scale it by their multiscale shape (×0.29 at 50 minutes … ×1.49 at 20, ×2.23 at 10).
   */
  readonly spanPenalty: number;
  /** The shortest sub-hour window judged (minutes, a multiple of 10, at most 30): shorter catches late starts sooner. */
  readonly shortestWindowMinutes: number;
  /** The same for traffic drops, which no benign burst mimics: an outage in the hour's last minutes pages sooner. */
  readonly shortestDropWindowMinutes: number;
  /**
   * Extra score every window judged at a tick (between the hourly runs) needs on top of its window penalty: a
   * tick every 10 minutes is five more looks an hour at nested, strongly correlated windows.
   */
  readonly tickPenalty: number;
  /**
   * Minutes without a row before a series that posts every minute counts as silent at a tick (its silence is
   * then judged as a traffic outage when the traffic expected in it is large).
   */
  readonly silenceMinutes: number;
  /** The longest window judged for rate metrics, in hours (the hour and the hours before it; 1: the hour only). */
  readonly multiHourWindows: number;
  /** Extra score a window of several hours needs (one more look at the same data). */
  readonly multiHourPenalty: number;
  /** Of a window's 10-minute blocks, at least this share must deviate too: short bursts are not incidents. */
  readonly minSustainedShare: number;
  /** The same for traffic surges: a burst is short, a surge lasts. */
  readonly surgeSustainedShare: number;
  /** A surge found in a half-hour span must be at least this many times expected (bursts are short; big surges page early). */
  readonly spanSurgeFactor: number;
  /** A rate must be at least this many times what is expected … */
  readonly minRateFactor: number;
  /** … and at least this much above it (absolute) … */
  readonly minRateRise: number;
  /** … and at least this many transactions above it. */
  readonly minExcessTransactions: number;
  /** Traffic must fall below this fraction of what is expected to count as a drop … */
  readonly trafficDropFactor: number;
  /** … or rise above this multiple to count as a surge … */
  readonly trafficSurgeFactor: number;
  /** … and differ from it by at least this many transactions. */
  readonly minTrafficExcess: number;
  /** In a series' first week its weekly cycle is unknown (a quiet Sunday looks like a drop): the drop and … */
  readonly provisionalDropFactor: number;
  /** … surge factors that apply then. */
  readonly provisionalSurgeFactor: number;
  /** Cold start: absolute ceilings per rate metric, applied while a series has too little history. */
  readonly coldStartCeilings: Readonly<Record<string, number>>;
  /** Cold start: transactions a window needs before absolute ceilings apply. */
  readonly coldStartMinTotal: number;
  readonly tree: {
    readonly trainingDays: number;
    readonly maxDepth: number;
    readonly minNumSamples: number;
  };
  readonly severity: readonly SeverityRule[];
  /**
   * The metrics judged, in this order (default: all of METRICS). An adapter that maps another kind of series
   * onto the core judges only the slots it uses (src/api-detection's latency pass uses `failed` alone).
   */
  readonly metrics?: readonly Metric[];
}

export const DEFAULT_SEVERITY: readonly SeverityRule[] = [
  { severity: 'critical', minScore: 12, minFactor: 5 },
  { severity: 'high', minScore: 8, minFactor: 3 },
  { severity: 'medium', minScore: 6, minFactor: 2 },
  { severity: 'low', minScore: 0, minFactor: 0 },
];

export const DEFAULT_DETECTION: DetectionSettings = {
  historyDays: 28,
  minHistoryHours: 72,
  minComparableHours: 6,
  threshold: 4,
  confirmThreshold: 3,
  spanPenalty: 0.75,
  shortestWindowMinutes: 20,
  shortestDropWindowMinutes: 10,
  // Calibrated with npm run eval (src/detection/README.md, "Young models"): once the models' spreads were widened
  // for short histories, the window penalties alone keep ticks and hourly runs together under the false episodes
  // the hourly runs alone paged before; an extra bar of 1 only delayed catches.
  tickPenalty: 0,
  // Longer than a lost post or a poster's restart (the simulator's benign reporting gaps: 2–10 minutes): the
  // first tick after 12 silent minutes pages a busy silence, in 12–22 minutes (src/quality/README.md).
  silenceMinutes: 12,
  multiHourWindows: 3,
  multiHourPenalty: 0.5,
  minSustainedShare: 0.5,
  surgeSustainedShare: 0.8,
  spanSurgeFactor: 3.5,
  minRateFactor: 1.5,
  minRateRise: 0.002,
  minExcessTransactions: 5,
  trafficDropFactor: 0.6,
  trafficSurgeFactor: 2,
  minTrafficExcess: 10,
  provisionalDropFactor: 0.1,
  provisionalSurgeFactor: 5,
  coldStartCeilings: { failed: 0.05, denied: 0.3, reversed: 0.05 },
  coldStartMinTotal: 100,
  tree: { trainingDays: 28, maxDepth: 5, minNumSamples: 12 },
  severity: DEFAULT_SEVERITY,
};

/** How one series is judged: its detection settings and its source's calendar (time zone, holidays). */
export interface SeriesProfile {
  readonly settings: DetectionSettings;
  readonly timeZone: string;
  /** Local dates (`YYYY-MM-DD`) treated as holidays. */
  readonly holidays: readonly string[];
  /**
   * No time zone was configured (`timeZone` is the UTC default): detection follows the daylight-saving switches
   * the source's own traffic shows (`daylight-saving.ts`, `clockOf`).
   */
  readonly clockFromTraffic?: boolean;
}
