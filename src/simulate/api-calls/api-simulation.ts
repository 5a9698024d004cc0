import type { ApiMinute } from '../../api-calls/api-minute.js';
import { createSeriesModel } from '../series-model.js';
import { createApiModel } from './api-model.js';
import { createServiceProfiles, type ServiceProfile } from './api-profiles.js';
import { generateApiMinutes } from './generate-api-minutes.js';
import { planApiEvents, type ServiceModel } from './plan-api-events.js';
import type { ApiSimEvent, ApiSimulationOptions } from './types.js';

/** A planned API-calls simulation: who the services and APIs are, what happens to them; rows on demand. */
export interface ApiSimulation {
  readonly options: ApiSimulationOptions;
  /** One profile per service and environment, sorted by source then environment (APIs sorted within). */
  readonly services: readonly ServiceProfile[];
  /** Labelled incidents, one per API they are detectable on, sorted by start. */
  readonly incidents: readonly ApiSimEvent[];
  /** Benign events (bursts, blips, reporting gaps with api `*`), sorted by start. */
  readonly benign: readonly ApiSimEvent[];
  /** A fresh generator of the minutes, sorted by minute, source, environment and api. */
  rows(): Generator<ApiMinute>;
}

/** Plans a simulation; pure and deterministic: the same options give the same profiles, events and rows. */
export function createApiSimulation(options: ApiSimulationOptions): ApiSimulation {
  const services: ServiceModel[] = createServiceProfiles(options.seed, options.sources).map((profile) => {
    const volume = createSeriesModel(profile.volume, { ...options, sources: 1 });
    return { profile, volume, apis: profile.apis.map((api) => createApiModel(api, volume)) };
  });
  const { injected, incidents, benign } = planApiEvents(services, options);
  return {
    options,
    services: services.map((service) => service.profile),
    incidents,
    benign,
    rows: () => generateApiMinutes(services, injected, options),
  };
}
