import { MINUTE_MS } from '../types.js';
import type { ApiMetric, ApiSimEvent } from './types.js';

/** How an event changes one minute of an API: multipliers, or no post at all. */
export interface ApiEffect {
  readonly volume: number;
  readonly fiveXx: number;
  readonly timeout: number;
  /** Multiplier on the silent-failure share of the 2xx. */
  readonly silent: number;
  /** Multiplier on the latency median (body and tail alike). */
  readonly latency: number;
  /** False: the source posts nothing for this minute. */
  readonly reports: boolean;
}

/** One kind of event in the catalogue. Adding one: an entry here, a line in the README's table. */
export interface ApiScenarioKind {
  readonly kind: string;
  readonly metric: ApiMetric;
  /** `api`: one API; `source`: every API of the source and environment (a source that stops posting). */
  readonly scope: 'api' | 'source';
  /** Magnitude range, drawn uniformly and rounded to 2 decimals. */
  readonly magnitude: readonly [number, number];
  /** Duration range in minutes, drawn log-uniformly. */
  readonly durationMinutes: readonly [number, number];
  /** Benign kinds only: expected events per API (or source) per day. */
  readonly perDay?: number;
  effect(magnitude: number, elapsedMinutes: number, durationMinutes: number): ApiEffect;
}

export const NO_EFFECT: ApiEffect = {
  volume: 1,
  fiveXx: 1,
  timeout: 1,
  silent: 1,
  latency: 1,
  reports: true,
};
const times = (field: keyof Omit<ApiEffect, 'reports'>) => (magnitude: number) => ({
  ...NO_EFFECT,
  [field]: magnitude,
});

/** Incidents: labelled in labels.csv; what detection must catch. */
export const API_INCIDENT_KINDS: readonly ApiScenarioKind[] = [
  {
    kind: 'error_spike',
    metric: 'errors',
    scope: 'api',
    magnitude: [4, 20],
    durationMinutes: [10, 180],
    effect: times('fiveXx'),
  },
  {
    kind: 'timeout_spike',
    metric: 'errors',
    scope: 'api',
    magnitude: [5, 40],
    durationMinutes: [10, 120],
    effect: times('timeout'),
  },
  {
    kind: 'silent_failure_rise',
    metric: 'silent_failures',
    scope: 'api',
    magnitude: [4, 15],
    durationMinutes: [30, 360],
    effect: times('silent'),
  },
  {
    kind: 'latency_surge',
    metric: 'latency',
    scope: 'api',
    magnitude: [2, 5],
    durationMinutes: [10, 120],
    effect: times('latency'),
  },
  {
    kind: 'latency_creep',
    metric: 'latency',
    scope: 'api',
    magnitude: [2, 4],
    durationMinutes: [180, 720],
    // A linear ramp of the median from ×1 to ×magnitude, reached in the last minute.
    effect: (magnitude, elapsed, duration) =>
      times('latency')(1 + ((magnitude - 1) * (elapsed + 1)) / duration),
  },
  {
    kind: 'traffic_drop',
    metric: 'traffic',
    scope: 'api',
    magnitude: [0, 0.3],
    durationMinutes: [20, 180],
    effect: times('volume'),
  },
  {
    kind: 'source_silent',
    metric: 'traffic',
    scope: 'source',
    magnitude: [0, 0],
    durationMinutes: [30, 240],
    effect: () => ({ ...NO_EFFECT, reports: false }),
  },
];

/** Benign events: normal life that must not page anyone; listed in benign.csv. */
export const API_BENIGN_KINDS: readonly ApiScenarioKind[] = [
  {
    kind: 'call_burst',
    metric: 'traffic',
    scope: 'api',
    magnitude: [1.5, 3],
    durationMinutes: [5, 45],
    perDay: 1 / 3,
    effect: times('volume'),
  },
  {
    kind: 'error_blip',
    metric: 'errors',
    scope: 'api',
    magnitude: [3, 10],
    durationMinutes: [1, 5],
    perDay: 1 / 2,
    effect: times('fiveXx'),
  },
  {
    kind: 'latency_blip',
    metric: 'latency',
    scope: 'api',
    magnitude: [1.5, 3],
    durationMinutes: [1, 5],
    perDay: 1 / 2,
    effect: times('latency'),
  },
  {
    kind: 'reporting_gap',
    metric: 'traffic',
    scope: 'source',
    magnitude: [0, 0],
    durationMinutes: [2, 10],
    perDay: 1 / 5,
    effect: () => ({ ...NO_EFFECT, reports: false }),
  },
];

const KINDS = new Map([...API_INCIDENT_KINDS, ...API_BENIGN_KINDS].map((kind) => [kind.kind, kind]));

/** The catalogue entry of a kind name; throws for an unknown kind (a programmer error). */
export function apiScenarioKind(kind: string): ApiScenarioKind {
  const found = KINDS.get(kind);
  if (!found) throw new Error(`unknown API scenario kind: ${kind}`);
  return found;
}

/** The event's effect on the minute starting at minuteMs (none outside [startMs, endMs)). */
export function apiEffectAt(event: ApiSimEvent, minuteMs: number): ApiEffect {
  if (minuteMs < event.startMs || minuteMs >= event.endMs) return NO_EFFECT;
  const elapsed = (minuteMs - event.startMs) / MINUTE_MS;
  const duration = (event.endMs - event.startMs) / MINUTE_MS;
  return apiScenarioKind(event.kind).effect(event.magnitude, elapsed, duration);
}

/** Several events' effects on one minute, combined (multipliers multiply; any gap silences). */
export function combineEffects(effects: readonly ApiEffect[]): ApiEffect {
  if (effects.length === 1) return effects[0] as ApiEffect;
  let combined = NO_EFFECT;
  for (const e of effects)
    combined = {
      volume: combined.volume * e.volume,
      fiveXx: combined.fiveXx * e.fiveXx,
      timeout: combined.timeout * e.timeout,
      silent: combined.silent * e.silent,
      latency: combined.latency * e.latency,
      reports: combined.reports && e.reports,
    };
  return combined;
}
