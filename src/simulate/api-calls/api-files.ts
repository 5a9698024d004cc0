import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { API_CALLS_CSV_HEADER, createApiCallsCsvFormatter } from '../../api-calls/api-calls-csv.js';
import { csvField } from '../../api-calls/csv-fields.js';
import { formatIsoMinute } from '../csv-format.js';
import type { ApiSimulation } from './api-simulation.js';
import type { ApiSimEvent } from './types.js';

/** Header of the API simulation's labels.csv and benign.csv: the payments columns plus `api`. */
export const API_EVENTS_HEADER = 'source,environment,api,metric,kind,start,end,magnitude';
const CHUNK_CHARS = 1 << 18;

/** One labels.csv / benign.csv line (with the newline); `api` quoted when it holds a comma. */
export function formatApiEventLine(event: ApiSimEvent): string {
  const when = [formatIsoMinute(event.startMs), formatIsoMinute(event.endMs)];
  const fields = [event.source, event.environment, csvField(event.api), event.metric, event.kind, ...when];
  return `${[...fields, event.magnitude].join(',')}\n`;
}

/** The text of labels.csv or benign.csv. */
export function apiEventsCsv(events: readonly ApiSimEvent[]): string {
  return `${API_EVENTS_HEADER}\n${events.map(formatApiEventLine).join('')}`;
}

/** The API-calls CSV as text chunks of about 256 KiB, header first: what `api-calls.csv` holds. */
export function* apiCallsCsvChunks(simulation: ApiSimulation): Generator<string> {
  const format = createApiCallsCsvFormatter();
  let chunk = `${API_CALLS_CSV_HEADER}\n`;
  for (const row of simulation.rows()) {
    chunk += format(row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

/** The sources.json document: the options, and every service with its APIs and what shapes their traffic. */
export function describeApiSimulation(simulation: ApiSimulation): object {
  const { options } = simulation;
  return {
    kind: 'api-calls',
    seed: options.seed,
    start: formatIsoMinute(options.startMs),
    days: options.days,
    // The unit detection judges and scoring counts: one (source, environment, api).
    series: simulation.services.reduce((n, service) => n + service.apis.length, 0),
    sources: simulation.services.map((service) => ({
      name: service.source,
      environment: service.environment,
      time_zone: service.volume.timeZone,
      posts_when_idle: service.postsWhenIdle,
      weekend_factor: round(service.volume.weekendFactor, 3),
      growth_per_30_days: round(service.volume.growthPer30Days, 3),
      day_level_sigma: round(service.volume.dayLevelSigma, 3),
      diurnal: Object.fromEntries(Object.entries(service.volume.diurnal).map(([k, v]) => [k, round(v, 3)])),
      apis: service.apis.map((api) => ({
        api: api.api,
        peak_per_minute: round(api.peakPerMinute, 4),
        shares: Object.fromEntries(Object.entries(api.shares).map(([k, v]) => [k, round(v, 5)])),
        silent_share: round(api.silentShare, 5),
        share_sigma: round(api.shareSigma, 3),
        hour_volume_sigma: round(api.hourVolumeSigma, 3),
        latency: Object.fromEntries(Object.entries(api.latency).map(([k, v]) => [k, round(v, 4)])),
      })),
    })),
  };
}

/**
 * Writes the simulation into `dir` (created if missing): `api-calls.csv` (streamed), `labels.csv`,
 * `benign.csv` and `sources.json`; resolves to the number of rows. What `simulate --kind api-calls` calls.
 */
export async function writeApiSimulation(simulation: ApiSimulation, dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'labels.csv'), apiEventsCsv(simulation.incidents));
  await writeFile(join(dir, 'benign.csv'), apiEventsCsv(simulation.benign));
  await writeFile(
    join(dir, 'sources.json'),
    `${JSON.stringify(describeApiSimulation(simulation), null, 2)}\n`,
  );
  let rows = 0;
  const counted = function* () {
    for (const chunk of apiCallsCsvChunks(simulation)) {
      rows += chunk.match(/\n/g)?.length ?? 0;
      yield chunk;
    }
  };
  await pipeline(Readable.from(counted()), createWriteStream(join(dir, 'api-calls.csv')));
  return rows - 1;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
