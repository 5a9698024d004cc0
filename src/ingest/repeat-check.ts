import type { ApiMinute } from '../api-calls/api-minute.js';

/**
 * Remembers where each (source, environment, api, minute) was first seen. Nested maps rather than one
 * joined string key: building and hashing 10,000 long keys was a large part of a batch's parse time.
 */
export function createRepeatCheck() {
  const byMinute = new Map<number, Map<string, Map<string, Map<string, string>>>>();
  const child = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      map.set(key, value);
    }
    return value;
  };
  return {
    /** The path of the earlier item with the same key, or undefined (and this one is remembered). */
    firstPath(
      minute: Pick<ApiMinute, 'source' | 'environment' | 'api' | 'minuteMs'>,
      path: string,
    ): string | undefined {
      const sources = child(
        byMinute,
        minute.minuteMs,
        () => new Map<string, Map<string, Map<string, string>>>(),
      );
      const environments = child(sources, minute.source, () => new Map<string, Map<string, string>>());
      const apis = child(environments, minute.environment, () => new Map<string, string>());
      const first = apis.get(minute.api);
      if (first === undefined) apis.set(minute.api, path);
      return first;
    },
  };
}
