import { generateCountRows } from '../simulate/generate-counts.js';
import { createSeriesModel } from '../simulate/series-model.js';
import type { CountRow, SimEvent } from '../simulate/types.js';
import { STATUSES } from '../simulate/types.js';
import { DEMO_SOURCES } from './demo-sources.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The demo's traffic: four weeks of history before `liveFrom`, then live minutes with an incident in them. */
export interface DemoTraffic {
  /** The incident the live stream carries: card-eu's failed rate ×5 from `startMs`. */
  readonly incident: SimEvent;
  /** Every minute from `historyFrom` on, sorted by minute (generated lazily). */
  readonly rows: Generator<CountRow>;
}

export function demoTraffic(historyFrom: number, liveFrom: number, days: number): DemoTraffic {
  const options = { seed: 2026, days, sources: DEMO_SOURCES.length, startMs: historyFrom };
  const models = DEMO_SOURCES.map((profile) => createSeriesModel(profile, options));
  const incident: SimEvent = {
    source: 'card-eu',
    environment: 'production',
    metric: 'failed',
    kind: 'failed_step',
    startMs: liveFrom + 25 * MINUTE_MS,
    endMs: liveFrom + DAY_MS,
    magnitude: 5,
    incident: true,
  };
  return { incident, rows: generateCountRows(models, [incident], options) };
}

/** A generated row as a `POST /v1/counts` batch item. */
export function toItem(row: CountRow): Record<string, unknown> {
  return {
    source: row.source,
    environment: row.environment,
    minute: new Date(row.minuteMs).toISOString(),
    counts: Object.fromEntries(STATUSES.map((status, i) => [status, row.counts[i] ?? 0])),
  };
}
