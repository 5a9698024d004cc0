import type { ApiSeriesSummary } from '../storage/api-calls.js';
import type { SourceSummary } from '../storage/sources.js';

/** One environment of a source as `sources list` shows it: counts' last minute, and its API calls. */
export interface EnvironmentListing {
  readonly environment: string;
  /** The newest minute of counts, or null when it posts none. */
  readonly lastMinute: Date | null;
  /** Distinct APIs it posted calls of (0: none), and the newest minute of them. */
  readonly apis: number;
  readonly lastApiMinute: Date | null;
}

export interface SourceListing {
  readonly source: SourceSummary;
  /** Which kinds of data it posts: `counts`, `api_calls`, both, or neither yet. */
  readonly posts: readonly ('counts' | 'api_calls')[];
  readonly environments: readonly EnvironmentListing[];
}

/** The sources with their environments' counts and API calls put side by side. */
export function listSources(
  sources: readonly SourceSummary[],
  apiSummaries: readonly ApiSeriesSummary[],
): SourceListing[] {
  const apiOf = new Map(apiSummaries.map((s) => [`${s.sourceId}\u0000${s.environment}`, s]));
  return sources.map((source) => {
    const environments = source.environments.map((e): EnvironmentListing => {
      const api = apiOf.get(`${source.id}\u0000${e.environment}`);
      return {
        environment: e.environment,
        lastMinute: e.lastMinute,
        apis: api?.apis ?? 0,
        lastApiMinute: api?.lastMinute ?? null,
      };
    });
    const posts: ('counts' | 'api_calls')[] = [];
    if (environments.some((e) => e.lastMinute !== null)) posts.push('counts');
    if (environments.some((e) => e.apis > 0)) posts.push('api_calls');
    return { source, posts, environments };
  });
}

/** `sources list --json`: one object per source. */
export function listingJson({ source, posts, environments }: SourceListing) {
  return {
    name: source.name,
    default_environment: source.defaultEnvironment,
    onboarded_via: source.onboardedVia,
    has_token: source.hasToken,
    created_at: source.createdAt.toISOString(),
    paused_at: source.pausedAt?.toISOString() ?? null,
    posts,
    environments: environments.map((e) => ({
      environment: e.environment,
      last_minute: e.lastMinute?.toISOString() ?? null,
      apis: e.apis,
      last_api_minute: e.lastApiMinute?.toISOString() ?? null,
    })),
  };
}

/** The cells of one row of the `sources list` table. */
export function listingRow({ source, posts, environments }: SourceListing): string[] {
  return [
    source.name,
    source.defaultEnvironment,
    source.onboardedVia === 'cli' ? 'cli' : 'ingest token',
    source.hasToken ? 'yes' : 'no',
    posts.map((kind) => (kind === 'counts' ? 'counts' : 'api calls')).join(', ') || '-',
    environments.map((e) => `${e.environment} (${environmentFacts(e)})`).join(', ') || '-',
    source.pausedAt ? `paused since ${source.pausedAt.toISOString()}` : 'judged',
  ];
}

function environmentFacts(e: EnvironmentListing): string {
  const api =
    e.apis > 0
      ? `${e.apis} API${e.apis === 1 ? '' : 's'}, last ${e.lastApiMinute?.toISOString() ?? 'never'}`
      : '';
  if (e.lastMinute && api) return `counts ${e.lastMinute.toISOString()}; ${api}`;
  return e.lastMinute?.toISOString() ?? (api || 'never');
}
