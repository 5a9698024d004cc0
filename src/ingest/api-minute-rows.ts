import type { ApiMinute } from '../api-calls/api-minute.js';
import { flatApiCounts } from '../storage/api-call-columns.js';
import type { ApiMinuteRow } from '../storage/api-calls.js';
import type { Source } from '../storage/sources.js';
import type { ApiSeriesDirectory } from './api-series-directory.js';
import { type SourceDirectory, seriesKey } from './source-directory.js';

export interface RowDirectories {
  readonly directory: Pick<SourceDirectory, 'seriesIds'>;
  readonly apiSeries: ApiSeriesDirectory;
}

/** One (source, environment) of a batch, and its series once looked up. */
interface SeriesEntry {
  readonly sourceId: number;
  readonly environment: string;
  seriesId: number;
}

/**
 * The rows that store minutes of known sources: (source, environment) → series and (series, api) → api series,
 * looked up once per distinct pair (creating what is missing). Per minute it costs two nested map lookups and
 * no string building: a 1,000-item batch often names 1,000 APIs (bench:ingest).
 */
export async function apiMinuteRows(
  deps: RowDirectories,
  minutes: readonly ApiMinute[],
  sources: ReadonlyMap<string, Source>,
): Promise<ApiMinuteRow[]> {
  const bySource = new Map<string, Map<string, SeriesEntry>>();
  const entries: SeriesEntry[] = new Array(minutes.length);
  for (let i = 0; i < minutes.length; i++) {
    const minute = minutes[i] as ApiMinute;
    entries[i] = entryOf(bySource, sources, minute);
  }
  const series = [...bySource.values()].flatMap((byEnvironment) => [...byEnvironment.values()]);
  const seriesIds = await deps.directory.seriesIds(series);
  for (const entry of series) {
    const id = seriesIds.get(seriesKey(entry.sourceId, entry.environment));
    if (id === undefined)
      throw new Error(`series of source ${entry.sourceId}/${entry.environment} is missing`);
    entry.seriesId = id;
  }
  const pairs = minutes.map((minute, i) => ({
    seriesId: (entries[i] as SeriesEntry).seriesId,
    api: minute.api,
  }));
  const apiIds = await deps.apiSeries.ids(pairs);
  return minutes.map((minute, i) => {
    const apiSeriesId = apiIds[i];
    if (apiSeriesId === undefined) throw new Error(`api series of ${minute.api} is missing`);
    const { seriesId } = entries[i] as SeriesEntry;
    return { seriesId, apiSeriesId, minuteMs: minute.minuteMs, counts: flatApiCounts(minute) };
  });
}

function entryOf(
  bySource: Map<string, Map<string, SeriesEntry>>,
  sources: ReadonlyMap<string, Source>,
  minute: ApiMinute,
): SeriesEntry {
  let byEnvironment = bySource.get(minute.source);
  if (!byEnvironment) {
    byEnvironment = new Map();
    bySource.set(minute.source, byEnvironment);
  }
  let entry = byEnvironment.get(minute.environment);
  if (!entry) {
    const source = sources.get(minute.source);
    if (!source) throw new Error(`source "${minute.source}" is missing after onboarding`);
    entry = { sourceId: source.id, environment: minute.environment, seriesId: -1 };
    byEnvironment.set(minute.environment, entry);
  }
  return entry;
}
