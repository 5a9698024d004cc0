import { isDetectable } from './detectability.js';
import { createRandom, type Random } from './random.js';
import { samplePoisson } from './sampling.js';
import {
  BENIGN_KINDS,
  BUSY_SILENCE_PER_MINUTE,
  INCIDENT_KINDS,
  type ScenarioKind,
  SILENCE_KIND,
} from './scenarios.js';
import type { SeriesModel } from './series-model.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, type SimEvent, type SimulationOptions } from './types.js';

/** No incident starts in the first days: detection needs history first. */
export const INCIDENT_FREE_DAYS = 5;
/** Mean days between incidents of one series: production, and the tiny staging series. */
export const DAYS_PER_INCIDENT = { production: 10, staging: 30 } as const;
/** Mean days between silences (the source stops posting) of one production series; staging has none. */
export const DAYS_PER_SILENCE = 60;
/** Quiet time kept around each incident on the same source (both environments): no other incident, no benign event. */
const INCIDENT_SPACING_MS = 12 * HOUR_MS;
const BENIGN_SPACING_MS = 2 * HOUR_MS;
/** Attempts to draw an incident that does not overlap another and is detectable at all, before giving up. */
const PLACEMENT_ATTEMPTS = 25;

/** Incidents and benign events for every series, sorted by start; each series draws from its own stream. */
export function planEvents(models: readonly SeriesModel[], options: SimulationOptions) {
  const incidents: SimEvent[] = [];
  const bySource = new Map<string, SimEvent[]>();
  for (const model of models) {
    const taken = bySource.get(model.profile.source) ?? [];
    bySource.set(model.profile.source, taken);
    for (const event of planIncidents(model, options, taken)) {
      incidents.push(event);
      taken.push(event);
    }
  }
  // Silences come from their own random streams, after the other incidents: adding them left those as they were.
  for (const model of models) {
    const taken = bySource.get(model.profile.source) ?? [];
    for (const event of planSilences(model, options, taken)) {
      incidents.push(event);
      taken.push(event);
    }
  }
  const benign = models.flatMap((model) =>
    planBenign(model, options, bySource.get(model.profile.source) ?? []),
  );
  const byStart = (a: SimEvent, b: SimEvent) => a.startMs - b.startMs;
  return { incidents: incidents.sort(byStart), benign: benign.sort(byStart) };
}

function planIncidents(
  model: SeriesModel,
  options: SimulationOptions,
  taken: readonly SimEvent[],
): SimEvent[] {
  const { source, environment } = model.profile;
  const random = createRandom(options.seed, 'incidents', source, environment);
  const earliest = options.startMs + INCIDENT_FREE_DAYS * DAY_MS;
  const latest = options.startMs + options.days * DAY_MS - 2 * HOUR_MS;
  if (latest <= earliest) return [];
  const perDay =
    1 / (environment === 'production' ? DAYS_PER_INCIDENT.production : DAYS_PER_INCIDENT.staging);
  const wanted = samplePoisson(random, ((latest - earliest) / DAY_MS) * perDay);
  const planned: SimEvent[] = [];
  for (let i = 0; i < wanted; i += 1) {
    // The kind is drawn once per slot, so redrawing undetectable ones does not favour the easy kinds.
    const kind = random.pick(INCIDENT_KINDS);
    for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt += 1) {
      const event = drawEvent(random, model, kind, [earliest, latest], true);
      if (isClear(event, [...taken, ...planned], INCIDENT_SPACING_MS) && isDetectable(model, event)) {
        planned.push(event);
        break;
      }
    }
  }
  return planned;
}

function planSilences(
  model: SeriesModel,
  options: SimulationOptions,
  taken: readonly SimEvent[],
): SimEvent[] {
  const { source, environment } = model.profile;
  if (environment !== 'production') return [];
  const random = createRandom(options.seed, 'silences', source, environment);
  const earliest = options.startMs + INCIDENT_FREE_DAYS * DAY_MS;
  const latest = options.startMs + options.days * DAY_MS - 2 * HOUR_MS;
  if (latest <= earliest) return [];
  const wanted = samplePoisson(random, (latest - earliest) / DAY_MS / DAYS_PER_SILENCE);
  const planned: SimEvent[] = [];
  for (let i = 0; i < wanted; i += 1) {
    for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt += 1) {
      const event = drawEvent(random, model, SILENCE_KIND, [earliest, latest], true);
      if (isClear(event, [...taken, ...planned], INCIDENT_SPACING_MS) && isDetectable(model, event)) {
        planned.push({ ...event, kind: isBusy(model, event) ? 'silence_busy' : 'silence_quiet' });
        break;
      }
    }
  }
  return planned;
}

/** Whether the series expected at least BUSY_SILENCE_PER_MINUTE transactions a minute over the event. */
function isBusy(model: SeriesModel, event: SimEvent): boolean {
  let volume = 0;
  for (let minute = event.startMs; minute < event.endMs; minute += MINUTE_MS)
    volume += model.expectedVolume(minute);
  return volume >= (BUSY_SILENCE_PER_MINUTE * (event.endMs - event.startMs)) / MINUTE_MS;
}

function planBenign(
  model: SeriesModel,
  options: SimulationOptions,
  incidents: readonly SimEvent[],
): SimEvent[] {
  const { source, environment } = model.profile;
  const random = createRandom(options.seed, 'benign', source, environment);
  const window: [number, number] = [options.startMs, options.startMs + options.days * DAY_MS];
  const planned: SimEvent[] = [];
  for (const kind of BENIGN_KINDS) {
    const wanted = samplePoisson(random, options.days * (kind.perDay ?? 0));
    for (let i = 0; i < wanted; i += 1) {
      const event = drawEvent(random, model, kind, window, false);
      if (isClear(event, incidents, BENIGN_SPACING_MS)) planned.push(event);
    }
  }
  return planned;
}

/** One event of the kind, starting at a random minute (never on the hour) and ending inside the window. */
function drawEvent(
  random: Random,
  model: SeriesModel,
  kind: ScenarioKind,
  [earliestMs, latestEndMs]: readonly [number, number],
  incident: boolean,
): SimEvent {
  const [minDuration, maxDuration] = kind.durationMinutes;
  const durationMs = Math.round(random.logUniform(minDuration, maxDuration + 1e-9)) * MINUTE_MS;
  // Rounding the hour up keeps the start at or after earliestMs; the 2-hour margin absorbs it at the end.
  const lastHour = Math.max(earliestMs, latestEndMs - durationMs - 2 * HOUR_MS);
  const hourMs = Math.ceil(random.uniform(earliestMs, lastHour) / HOUR_MS) * HOUR_MS;
  const startMs = hourMs + random.int(1, 59) * MINUTE_MS;
  const [low, high] = kind.magnitude;
  return {
    source: model.profile.source,
    environment: model.profile.environment,
    metric: random.pick(kind.metrics),
    kind: kind.kind,
    startMs,
    endMs: startMs + durationMs,
    magnitude: Math.round(random.uniform(low, high) * 100) / 100,
    incident,
  };
}

/** True when the event keeps `spacingMs` away from every event in `others`. */
function isClear(event: SimEvent, others: readonly SimEvent[], spacingMs: number): boolean {
  return others.every((o) => event.endMs + spacingMs <= o.startMs || o.endMs + spacingMs <= event.startMs);
}
