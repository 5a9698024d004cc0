import { type Metric, MINUTE_MS, type SimEvent } from './types.js';

/** How an event changes one minute: multipliers on volume and on the event metric's share. */
export interface Effect {
  readonly volume: number;
  /** Multiplier on the share of the event's metric (1 for traffic events). */
  readonly share: number;
  /** False: the source posts nothing in this minute (a reporting gap). */
  readonly reports: boolean;
}

/** One kind of event in the catalogue. Adding a kind: add an entry here; README lists the catalogue. */
export interface ScenarioKind {
  readonly kind: string;
  /** The metrics it can affect; each event picks one. */
  readonly metrics: readonly Metric[];
  /** Magnitude range, drawn uniformly and rounded to 2 decimals. */
  readonly magnitude: readonly [number, number];
  /** Duration range in minutes, drawn log-uniformly (short ones more often). */
  readonly durationMinutes: readonly [number, number];
  /** Benign kinds only: expected events per series per day. */
  readonly perDay?: number;
  /** The effect `elapsedMinutes` (0-based) into an event of `durationMinutes`. */
  effect(magnitude: number, elapsedMinutes: number, durationMinutes: number): Effect;
}

const NONE: Effect = { volume: 1, share: 1, reports: true };
const shareTimes = (share: number): Effect => ({ ...NONE, share });
const volumeTimes = (volume: number): Effect => ({ ...NONE, volume });

/** Incidents: labelled in labels.csv; what detection must catch. */
export const INCIDENT_KINDS: readonly ScenarioKind[] = [
  {
    kind: 'failed_step',
    metrics: ['failed'],
    magnitude: [2, 6],
    durationMinutes: [60, 360],
    effect: shareTimes,
  },
  {
    kind: 'denied_spike',
    metrics: ['denied'],
    magnitude: [2, 4],
    durationMinutes: [30, 180],
    effect: shareTimes,
  },
  {
    kind: 'reversed_spike',
    metrics: ['reversed'],
    magnitude: [3, 8],
    durationMinutes: [30, 180],
    effect: shareTimes,
  },
  {
    kind: 'slow_degradation',
    metrics: ['failed'],
    magnitude: [4, 8],
    durationMinutes: [180, 720],
    // A linear ramp from ×1 to ×magnitude, reached in the last minute.
    effect: (magnitude, elapsed, duration) => shareTimes(1 + ((magnitude - 1) * (elapsed + 1)) / duration),
  },
  {
    kind: 'outage',
    metrics: ['traffic'],
    magnitude: [0, 0.1],
    durationMinutes: [20, 180],
    effect: volumeTimes,
  },
  {
    kind: 'surge',
    metrics: ['traffic'],
    magnitude: [2.5, 5],
    durationMinutes: [60, 240],
    effect: volumeTimes,
  },
];

/** Benign events: normal life that must not page anyone; listed in benign.csv for analysis. */
export const BENIGN_KINDS: readonly ScenarioKind[] = [
  {
    kind: 'volume_burst',
    metrics: ['traffic'],
    magnitude: [1.5, 3],
    durationMinutes: [5, 45],
    perDay: 1 / 3,
    effect: volumeTimes,
  },
  {
    kind: 'rate_blip',
    metrics: ['failed', 'denied', 'reversed'],
    magnitude: [2, 4],
    durationMinutes: [2, 8],
    perDay: 1 / 2,
    effect: shareTimes,
  },
  {
    kind: 'reporting_gap',
    metrics: ['traffic'],
    magnitude: [0, 0],
    durationMinutes: [2, 10],
    perDay: 1 / 5,
    effect: () => ({ ...NONE, reports: false }),
  },
];

/**
 * Silence: the source stops posting rows altogether — its poster is down with the payment system — for 20 minutes
 * to 2 hours. Labelled (a traffic incident), planned from its own random stream (plan-events.ts) so the other
 * incidents of a seed stay as they were; named `silence_busy` when the series expected at least
 * BUSY_SILENCE_PER_MINUTE transactions a minute over it, else `silence_quiet`.
 */
export const SILENCE_KIND: ScenarioKind = {
  kind: 'silence',
  metrics: ['traffic'],
  magnitude: [0, 0],
  durationMinutes: [20, 120],
  effect: () => ({ volume: 0, share: 1, reports: false }),
};
/** Transactions a minute a series must expect over a silence for it to count as a busy source's. */
export const BUSY_SILENCE_PER_MINUTE = 10;
const SILENCE_NAMES = ['silence_busy', 'silence_quiet'].map((kind) => ({ ...SILENCE_KIND, kind }));

const KINDS = new Map(
  [...INCIDENT_KINDS, ...BENIGN_KINDS, SILENCE_KIND, ...SILENCE_NAMES].map((kind) => [kind.kind, kind]),
);

/** The catalogue entry of a kind name; throws for an unknown kind (a programmer error). */
export function scenarioKind(kind: string): ScenarioKind {
  const found = KINDS.get(kind);
  if (!found) throw new Error(`unknown scenario kind: ${kind}`);
  return found;
}

/** The event's effect on the minute starting at minuteMs (no effect outside [startMs, endMs)). */
export function effectAt(event: SimEvent, minuteMs: number): Effect {
  if (minuteMs < event.startMs || minuteMs >= event.endMs) return NONE;
  const elapsed = (minuteMs - event.startMs) / MINUTE_MS;
  const duration = (event.endMs - event.startMs) / MINUTE_MS;
  return scenarioKind(event.kind).effect(event.magnitude, elapsed, duration);
}
