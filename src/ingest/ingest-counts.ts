import { ForbiddenError, InvalidInputError, type Problem, UnauthorizedError } from '../errors.js';
import { type Catalog, DEFAULT_CATALOG_ID } from '../storage/catalogs.js';
import type { CountStore, MinuteRow } from '../storage/counts.js';
import { SLOT_COUNT } from '../storage/slots.js';
import type { Source } from '../storage/sources.js';
import { coalesceWrites } from './coalesce-writes.js';
import { ENVIRONMENT_NAME, isEnvironmentName, isSourceName, SOURCE_NAME } from './names.js';
import {
  DEFAULT_ENVIRONMENT,
  MAX_BATCH_ITEMS,
  type ParsedCounts,
  type PostedMinute,
  parseCountsBody,
  type StatusSet,
} from './parse-counts.js';
import { type SourceDirectory, seriesKey } from './source-directory.js';
import { bearerToken, tokensMatch } from './tokens.js';

/** Who is posting: the shared ingest token (any source, onboards new ones) or one source's own token. */
export type Identity = { readonly kind: 'shared' } | { readonly kind: 'source'; readonly source: Source };

export interface IngestQuery {
  readonly source?: string | undefined;
  readonly environment?: string | undefined;
}

export interface IngestResult {
  readonly accepted: number;
  readonly shape: ParsedCounts['shape'];
  /** Sources created by this post (shared token, first time seen). */
  readonly onboarded: readonly string[];
}

export interface CountsIngestor {
  /** UnauthorizedError when the header is missing or the token matches nothing. */
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** Validates everything, then stores all minutes or none. InvalidInputError lists every problem; ForbiddenError for another source's data. */
  ingest(identity: Identity, body: unknown, query: IngestQuery): Promise<IngestResult>;
}

export interface IngestDeps {
  readonly directory: SourceDirectory;
  readonly counts: CountStore;
  readonly catalogs: ReadonlyMap<number, Catalog>;
  readonly onboard: (names: readonly string[]) => Promise<string[]>;
  readonly ingestToken: string | undefined;
  readonly retentionDays: number;
  readonly now: () => Date;
}

/**
 * Concurrent posts are stored by at most this many transactions at a time, merged (see coalesceWrites): enough
 * to keep MySQL busy, few enough to leave pool connections for everything else.
 */
const WRITE_LANES = 4;
/** Posts are merged into one transaction while they add up to at most this many minutes. */
const MAX_MERGED_MINUTES = 2000;

export function createCountsIngestor(deps: IngestDeps): CountsIngestor {
  const upsertMinutes = coalesceWrites<MinuteRow>((rows) => deps.counts.upsertMinutes(rows), {
    lanes: WRITE_LANES,
    maxRows: MAX_MERGED_MINUTES,
  });
  return {
    async authenticate(authorization) {
      const token = bearerToken(authorization);
      if (!token) throw new UnauthorizedError('send the source token as "Authorization: Bearer <token>"');
      if (tokensMatch(token, deps.ingestToken)) return { kind: 'shared' };
      const source = await deps.directory.sourceForToken(token);
      if (!source)
        throw new UnauthorizedError('the bearer token matches no source and is not the ingest token');
      return { kind: 'source', source };
    },

    async ingest(identity, body, query) {
      const problems: Problem[] = [];
      const legacySource = Array.isArray(body) ? legacySourceOf(identity, query, problems) : undefined;
      const known = await deps.directory.sourcesByName(postedSourceNames(body, legacySource));
      const parsed = parseCountsBody(body, {
        now: deps.now(),
        retentionDays: deps.retentionDays,
        legacySource,
        legacyEnvironment: query.environment || undefined,
        statusesFor: (source) => statusSet(catalogFor(deps.catalogs, source ? known.get(source) : undefined)),
        defaultEnvironmentOf: (source) => known.get(source)?.defaultEnvironment ?? DEFAULT_ENVIRONMENT,
      });
      problems.push(...parsed.problems);
      const minutes = parsed.minutes;
      assertOwnSource(identity, minutes);
      if (problems.length > 0 || minutes.length === 0) throw new InvalidInputError(problems);

      const names = minutes.map((m) => m.source as string);
      const unknown = [...new Set(names)].filter((name) => !known.has(name));
      const onboarded = unknown.length > 0 ? await deps.onboard(unknown) : [];
      const sources = unknown.length > 0 ? await deps.directory.sourcesByName(names) : known;
      const rows = await toRows(deps, minutes, sources);
      await upsertMinutes(rows);
      // What was stored: one row per source, environment and minute (the parser refused repeats).
      return { accepted: rows.length, shape: parsed.shape, onboarded };
    },
  };
}

/** Source names a body mentions, read before full validation so their catalogs can be looked up. */
function postedSourceNames(body: unknown, legacySource: string | undefined): string[] {
  if (legacySource) return [legacySource];
  if (typeof body !== 'object' || body === null) return [];
  const items = (body as { items?: unknown }).items;
  const candidates = Array.isArray(items) ? items.slice(0, MAX_BATCH_ITEMS) : [body];
  const names = candidates.map((item) => (item as { source?: unknown } | null)?.source);
  return [...new Set(names.filter((name): name is string => typeof name === 'string' && isSourceName(name)))];
}

const statusSets = new WeakMap<Catalog, StatusSet>();

function statusSet(catalog: Catalog): StatusSet {
  let set = statusSets.get(catalog);
  if (!set) {
    set = { catalogName: catalog.name, statuses: new Set(catalog.slotOf.keys()) };
    statusSets.set(catalog, set);
  }
  return set;
}

/** The legacy array carries no source: it comes from the token, or `?source=` with the shared token. */
function legacySourceOf(identity: Identity, query: IngestQuery, problems: Problem[]): string | undefined {
  if (query.environment && !isEnvironmentName(query.environment)) {
    problems.push({ path: 'environment', message: ENVIRONMENT_NAME.message });
  }
  if (identity.kind === 'source') {
    if (query.source && query.source !== identity.source.name) {
      throw new ForbiddenError(
        `this token belongs to source "${identity.source.name}", not "${query.source}"`,
      );
    }
    return identity.source.name;
  }
  if (!query.source) {
    problems.push({ path: 'source', message: 'is required: use a source token or add ?source=<name>' });
    return undefined;
  }
  if (!isSourceName(query.source)) {
    problems.push({ path: 'source', message: SOURCE_NAME.message });
    return undefined;
  }
  return query.source;
}

function assertOwnSource(identity: Identity, minutes: readonly PostedMinute[]): void {
  if (identity.kind !== 'source') return;
  const foreign = minutes.filter((m) => m.source !== identity.source.name);
  if (foreign.length === 0) return;
  const where = foreign
    .slice(0, 5)
    .map((m) => `${m.path ? `${m.path}.` : ''}source "${m.source}"`)
    .join(', ');
  throw new ForbiddenError(
    `this token belongs to source "${identity.source.name}" and cannot post for another source (${where}${foreign.length > 5 ? ', …' : ''})`,
  );
}

function catalogFor(catalogs: ReadonlyMap<number, Catalog>, source: Source | undefined): Catalog {
  const catalog = catalogs.get(source?.catalogId ?? DEFAULT_CATALOG_ID);
  if (!catalog) throw new Error(`status catalog ${source?.catalogId ?? DEFAULT_CATALOG_ID} is not loaded`);
  return catalog;
}

async function toRows(
  deps: IngestDeps,
  minutes: readonly PostedMinute[],
  sources: ReadonlyMap<string, Source>,
) {
  const pairs = new Map<string, { sourceId: number; environment: string }>();
  const resolved = minutes.map((minute) => {
    const source = sources.get(minute.source as string);
    if (!source) throw new Error(`source "${minute.source}" is missing after onboarding`);
    const environment = minute.environment ?? source.defaultEnvironment ?? DEFAULT_ENVIRONMENT;
    const key = seriesKey(source.id, environment);
    if (!pairs.has(key)) pairs.set(key, { sourceId: source.id, environment });
    return { minute, source, environment, key };
  });
  // One lookup per distinct series, not per minute: a batch is often one series over many minutes.
  const ids = await deps.directory.seriesIds([...pairs.values()]);
  return resolved.map(({ minute, source, environment, key }): MinuteRow => {
    const slots = new Array<number>(SLOT_COUNT).fill(0);
    const { slotOf } = catalogFor(deps.catalogs, source);
    for (const status in minute.counts) slots[slotOf.get(status) as number] = minute.counts[status] as number;
    const seriesId = ids.get(key);
    if (seriesId === undefined) throw new Error(`series for ${source.name}/${environment} is missing`);
    return { seriesId, minute: minute.minute, slots };
  });
}
