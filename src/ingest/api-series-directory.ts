import type { ApiCallStore } from '../storage/api-calls.js';

/**
 * Caches (series, api) → api series id, as the source directory caches series: an id never changes once
 * created, and a stream of posts names the same few APIs again and again. At most `capacity` pairs are kept
 * (a source whose endpoints carry ids could name millions); past it the cache starts over.
 */
export interface ApiSeriesDirectory {
  /** Ids by apiSeriesKey(seriesId, api), creating the missing pairs. */
  ids(pairs: readonly { seriesId: number; api: string }[]): Promise<Map<string, number>>;
}

export function apiSeriesKey(seriesId: number, api: string): string {
  return `${seriesId}\u0000${api}`;
}

export function createApiSeriesDirectory(
  store: Pick<ApiCallStore, 'ensureApiSeries'>,
  capacity = 100_000,
): ApiSeriesDirectory {
  const cache = new Map<string, number>();
  return {
    async ids(pairs) {
      const ids = new Map<string, number>();
      const missing = new Map<string, { seriesId: number; api: string }>();
      for (const pair of pairs) {
        const key = apiSeriesKey(pair.seriesId, pair.api);
        const id = cache.get(key);
        if (id === undefined) missing.set(key, pair);
        else ids.set(key, id);
      }
      if (missing.size === 0) return ids;
      if (cache.size + missing.size > capacity) cache.clear();
      for (const row of await store.ensureApiSeries([...missing.values()])) {
        const key = apiSeriesKey(row.seriesId, row.api);
        cache.set(key, row.id);
        ids.set(key, row.id);
      }
      return ids;
    },
  };
}
