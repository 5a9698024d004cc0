import { generateCountRows } from './generate-counts.js';
import { planEvents } from './plan-events.js';
import { createSeriesModel } from './series-model.js';
import { createSeriesProfiles, type SeriesProfile } from './source-profiles.js';
import type { CountRow, SimEvent, SimulationOptions } from './types.js';

/** A planned simulation: who the series are and what happens to them; rows are generated on demand. */
export interface Simulation {
  readonly options: SimulationOptions;
  /** One profile per source+environment series, sorted by source then environment. */
  readonly series: readonly SeriesProfile[];
  /** Labelled incidents, sorted by start. */
  readonly incidents: readonly SimEvent[];
  /** Benign events (bursts, blips, reporting gaps), sorted by start. */
  readonly benign: readonly SimEvent[];
  /** A fresh generator of the counts rows, sorted by minute then source and environment. */
  rows(): Generator<CountRow>;
}

/** Plans a simulation; pure and deterministic: the same options give the same profiles, events and rows. */
export function createSimulation(options: SimulationOptions): Simulation {
  const models = createSeriesProfiles(options.seed, options.sources).map((profile) =>
    createSeriesModel(profile, options),
  );
  const { incidents, benign } = planEvents(models, options);
  return {
    options,
    series: models.map((model) => model.profile),
    incidents,
    benign,
    rows: () => generateCountRows(models, [...incidents, ...benign], options),
  };
}
