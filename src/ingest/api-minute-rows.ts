import type { ApiMinute } from '../api-calls/api-minute.js';
import { flatApiCounts } from '../storage/api-call-columns.js';
import type { ApiMinuteRow } from '../storage/api-calls.js';
import type { Source } from '../storage/sources.js';
import { type ApiSeriesDirectory, apiSeriesKey } from './api-series-directory.js';
import { type SourceDirectory, seriesKey } from './source-directory.js';

export interface RowDirectories {
  readonly directory: Pick<SourceDirectory, 'seriesIds'>;
  readonly apiSeries: ApiSeriesDirectory;
}

/**
 * The rows that store minutes of known sources: (source, environment) → series and (series, api) → api series,
 * one lookup per distinct pair (a batch names few), creating what is missing.
 */
export async function apiMinuteRows(
  deps: RowDirectories,
  minutes: readonly ApiMinute[],
  sources: ReadonlyMap<string, Source>,
): Promise<ApiMinuteRow[]> {
  const seriesPairs = new Map<string, { sourceId: number; environment: string }>();
  for (const minute of minutes) {
    const sourceId = sourceOf(sources, minute.source).id;
    seriesPairs.set(seriesKey(sourceId, minute.environment), { sourceId, environment: minute.environment });
  }
  const seriesIds = await deps.directory.seriesIds([...seriesPairs.values()]);
  const seriesOf = (minute: ApiMinute) => {
    const id = seriesIds.get(seriesKey(sourceOf(sources, minute.source).id, minute.environment));
    if (id === undefined) throw new Error(`series of ${minute.source}/${minute.environment} is missing`);
    return id;
  };
  const apiPairs = new Map<string, { seriesId: number; api: string }>();
  for (const minute of minutes) {
    const seriesId = seriesOf(minute);
    apiPairs.set(apiSeriesKey(seriesId, minute.api), { seriesId, api: minute.api });
  }
  const apiIds = await deps.apiSeries.ids([...apiPairs.values()]);
  return minutes.map((minute) => {
    const apiSeriesId = apiIds.get(apiSeriesKey(seriesOf(minute), minute.api));
    if (apiSeriesId === undefined) throw new Error(`api series of ${minute.api} is missing`);
    return { apiSeriesId, minuteMs: minute.minuteMs, counts: flatApiCounts(minute) };
  });
}

function sourceOf(sources: ReadonlyMap<string, Source>, name: string): Source {
  const source = sources.get(name);
  if (!source) throw new Error(`source "${name}" is missing after onboarding`);
  return source;
}
