import type { ApiCallStore } from '../storage/api-calls.js';

/**
 * Caches (series, api) → api series id, as the source directory caches series: an id never changes once
 * created, and a stream of posts names the same APIs again and again. At most `capacity` pairs are kept
 * (a source whose endpoints carry ids could name millions); past it the cache starts over.
 */
export interface ApiSeriesDirectory {
  /** The id of each pair, in the pairs' order, creating the missing ones. */
  ids(pairs: readonly { seriesId: number; api: string }[]): Promise<number[]>;
}

export function createApiSeriesDirectory(
  store: Pick<ApiCallStore, 'ensureApiSeries'>,
  capacity = 100_000,
): ApiSeriesDirectory {
  // Nested by series, then api: no key strings to build per lookup.
  let cache = new Map<number, Map<string, number>>();
  let size = 0;
  const cached = (seriesId: number, api: string) => cache.get(seriesId)?.get(api);
  const remember = (seriesId: number, api: string, id: number) => {
    let apis = cache.get(seriesId);
    if (!apis) {
      apis = new Map();
      cache.set(seriesId, apis);
    }
    if (!apis.has(api)) size += 1;
    apis.set(api, id);
  };
  return {
    async ids(pairs) {
      let missing = pairs.filter((pair) => cached(pair.seriesId, pair.api) === undefined);
      if (missing.length > 0 && size + missing.length > capacity) {
        cache = new Map();
        size = 0;
        missing = [...pairs];
      }
      if (missing.length > 0)
        for (const row of await store.ensureApiSeries(missing)) remember(row.seriesId, row.api, row.id);
      return pairs.map((pair) => {
        const id = cached(pair.seriesId, pair.api);
        if (id === undefined) throw new Error(`api series of ${pair.api} is missing after it was created`);
        return id;
      });
    },
  };
}
