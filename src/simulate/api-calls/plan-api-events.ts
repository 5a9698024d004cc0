import { createRandom, type Random } from '../random.js';
import { samplePoisson } from '../sampling.js';
import type { SeriesModel } from '../series-model.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../types.js';
import { isApiEventDetectable } from './api-detectability.js';
import type { ApiModel } from './api-model.js';
import type { ServiceProfile } from './api-profiles.js';
import { API_BENIGN_KINDS, API_INCIDENT_KINDS, type ApiScenarioKind } from './api-scenarios.js';
import { ALL_APIS, type ApiSimEvent, type ApiSimulationOptions } from './types.js';

/** A service and its models: what planning and generation work on. */
export interface ServiceModel {
  readonly profile: ServiceProfile;
  readonly volume: SeriesModel;
  readonly apis: readonly ApiModel[];
}

/** No incident in the first days: detection needs history first. */
export const API_INCIDENT_FREE_DAYS = 5;
/** Mean days between incidents of one API: production, and the small staging environments. */
export const API_DAYS_PER_INCIDENT = { production: 10, staging: 30 } as const;
/** Quiet time around each incident on the same source (every API and environment of it). */
const INCIDENT_SPACING_MS = 6 * HOUR_MS;
const BENIGN_SPACING_MS = 2 * HOUR_MS;
const PLACEMENT_ATTEMPTS = 25;

export interface PlannedApiEvents {
  /** What the generator applies: source-wide events carry api `*`. */
  readonly injected: readonly ApiSimEvent[];
  /** labels.csv: one line per API an incident is detectable on, sorted by start. */
  readonly incidents: readonly ApiSimEvent[];
  readonly benign: readonly ApiSimEvent[];
}

/** Incidents and benign events of every service, each service+environment drawing from its own streams. */
export function planApiEvents(
  services: readonly ServiceModel[],
  options: ApiSimulationOptions,
): PlannedApiEvents {
  const bySource = new Map<string, ApiSimEvent[]>();
  const injected: ApiSimEvent[] = [];
  const incidents: ApiSimEvent[] = [];
  for (const service of services) {
    const taken = bySource.get(service.profile.source) ?? [];
    bySource.set(service.profile.source, taken);
    for (const event of planIncidents(service, options, taken)) {
      taken.push(event);
      injected.push(event);
      incidents.push(...labelsOf(service, event));
    }
  }
  const benign = services.flatMap((service) =>
    planBenign(service, options, bySource.get(service.profile.source) ?? []),
  );
  const byStart = (a: ApiSimEvent, b: ApiSimEvent) => a.startMs - b.startMs;
  benign.sort(byStart);
  return { injected: [...injected, ...benign].sort(byStart), incidents: incidents.sort(byStart), benign };
}

function planIncidents(service: ServiceModel, options: ApiSimulationOptions, taken: readonly ApiSimEvent[]) {
  const { source, environment } = service.profile;
  const random = createRandom(options.seed, 'api-incidents', source, environment);
  const window: [number, number] = [
    options.startMs + API_INCIDENT_FREE_DAYS * DAY_MS,
    options.startMs + options.days * DAY_MS - 2 * HOUR_MS,
  ];
  if (window[1] <= window[0]) return [];
  const daysPer =
    environment === 'production' ? API_DAYS_PER_INCIDENT.production : API_DAYS_PER_INCIDENT.staging;
  const planned: ApiSimEvent[] = [];
  for (const api of service.apis) {
    const wanted = samplePoisson(random, (window[1] - window[0]) / DAY_MS / daysPer);
    for (let i = 0; i < wanted; i += 1) {
      // The kind is drawn once per slot, so redrawing undetectable ones does not favour the easy kinds.
      const kind = random.pick(API_INCIDENT_KINDS);
      for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt += 1) {
        const event = drawEvent(random, service, api.profile.api, kind, window, true);
        if (
          isClear(event, [...taken, ...planned], INCIDENT_SPACING_MS) &&
          labelsOf(service, event).length > 0
        ) {
          planned.push(event);
          break;
        }
      }
    }
  }
  return planned;
}

/** The labels of an incident: itself when detectable, or, source-wide, one per API it is detectable on. */
function labelsOf(service: ServiceModel, event: ApiSimEvent): ApiSimEvent[] {
  const day = service.profile.volume.dayLevelSigma;
  const apis =
    event.api === ALL_APIS ? service.apis : service.apis.filter((a) => a.profile.api === event.api);
  return apis
    .filter((api) => isApiEventDetectable(api, { ...event, api: api.profile.api }, day))
    .map((api) => ({ ...event, api: api.profile.api }));
}

function planBenign(service: ServiceModel, options: ApiSimulationOptions, incidents: readonly ApiSimEvent[]) {
  const { source, environment } = service.profile;
  const random = createRandom(options.seed, 'api-benign', source, environment);
  const window: [number, number] = [options.startMs, options.startMs + options.days * DAY_MS];
  const planned: ApiSimEvent[] = [];
  for (const kind of API_BENIGN_KINDS) {
    const targets = kind.scope === 'source' ? [ALL_APIS] : service.apis.map((api) => api.profile.api);
    for (const api of targets) {
      const wanted = samplePoisson(random, options.days * (kind.perDay ?? 0));
      for (let i = 0; i < wanted; i += 1) {
        const event = drawEvent(random, service, api, kind, window, false);
        if (isClear(event, incidents, BENIGN_SPACING_MS)) planned.push(event);
      }
    }
  }
  return planned;
}

/** One event of the kind, starting at a random minute (never on the hour) and ending inside the window. */
function drawEvent(
  random: Random,
  service: ServiceModel,
  api: string,
  kind: ApiScenarioKind,
  [earliestMs, latestEndMs]: readonly [number, number],
  incident: boolean,
): ApiSimEvent {
  const [minDuration, maxDuration] = kind.durationMinutes;
  const durationMs = Math.round(random.logUniform(minDuration, maxDuration + 1e-9)) * MINUTE_MS;
  const lastHour = Math.max(earliestMs, latestEndMs - durationMs - 2 * HOUR_MS);
  const hourMs = Math.ceil(random.uniform(earliestMs, lastHour) / HOUR_MS) * HOUR_MS;
  const startMs = hourMs + random.int(1, 59) * MINUTE_MS;
  const [low, high] = kind.magnitude;
  return {
    source: service.profile.source,
    environment: service.profile.environment,
    api: kind.scope === 'source' ? ALL_APIS : api,
    metric: kind.metric,
    kind: kind.kind,
    startMs,
    endMs: startMs + durationMs,
    magnitude: Math.round(random.uniform(low, high) * 100) / 100,
    incident,
  };
}

/** True when the event keeps `spacingMs` away from every event in `others`. */
function isClear(event: ApiSimEvent, others: readonly ApiSimEvent[], spacingMs: number): boolean {
  return others.every((o) => event.endMs + spacingMs <= o.startMs || o.endMs + spacingMs <= event.startMs);
}
