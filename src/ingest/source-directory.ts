import type { Series, Source, SourceStore } from '../storage/sources.js';
import { hashToken } from './tokens.js';

/**
 * Caches what every ingest request looks up — token → source, name → source, source+environment → series —
 * so that a steady stream of posts costs one database write each, not four round trips.
 * Sources and tokens are cached for `ttlMs` (a rotated token stops working within that time);
 * series never change once created, so they are cached for the life of the process.
 */
export interface SourceDirectory {
  sourceForToken(token: string): Promise<Source | undefined>;
  sourcesByName(names: readonly string[]): Promise<Map<string, Source>>;
  seriesIds(pairs: readonly { sourceId: number; environment: string }[]): Promise<Map<string, number>>;
  forget(): void;
}

export function seriesKey(sourceId: number, environment: string): string {
  return `${sourceId}\u0000${environment}`;
}

interface Cached<T> {
  readonly value: T;
  readonly until: number;
}

export function createSourceDirectory(
  store: SourceStore,
  options: { ttlMs?: number; now?: () => number } = {},
) {
  const ttlMs = options.ttlMs ?? 10_000;
  const now = options.now ?? Date.now;
  const byToken = new Map<string, Cached<Source>>();
  const byName = new Map<string, Cached<Source>>();
  const series = new Map<string, number>();
  const fresh = <T>(entry: Cached<T> | undefined) => (entry && entry.until > now() ? entry.value : undefined);
  const remember = (source: Source) => byName.set(source.name, { value: source, until: now() + ttlMs });

  const directory: SourceDirectory = {
    async sourceForToken(token) {
      const hash = hashToken(token);
      const cached = fresh(byToken.get(hash));
      if (cached) return cached;
      const source = await store.findByTokenHash(hash);
      if (source) byToken.set(hash, { value: source, until: now() + ttlMs });
      return source;
    },

    async sourcesByName(names) {
      const found = new Map<string, Source>();
      const missing: string[] = [];
      for (const name of new Set(names)) {
        const cached = fresh(byName.get(name));
        if (cached) found.set(name, cached);
        else missing.push(name);
      }
      for (const source of await store.findByNames(missing)) {
        remember(source);
        found.set(source.name, source);
      }
      return found;
    },

    async seriesIds(pairs) {
      const ids = new Map<string, number>();
      const missing: { sourceId: number; environment: string }[] = [];
      for (const pair of pairs) {
        const key = seriesKey(pair.sourceId, pair.environment);
        const id = series.get(key);
        if (id === undefined) missing.push(pair);
        else ids.set(key, id);
      }
      const created: Series[] = await store.ensureSeries(dedupe(missing));
      for (const row of created) {
        const key = seriesKey(row.sourceId, row.environment);
        series.set(key, row.id);
        ids.set(key, row.id);
      }
      return ids;
    },

    forget() {
      byToken.clear();
      byName.clear();
    },
  };
  return directory;
}

function dedupe(pairs: { sourceId: number; environment: string }[]) {
  const unique = new Map(pairs.map((pair) => [seriesKey(pair.sourceId, pair.environment), pair]));
  return [...unique.values()];
}
