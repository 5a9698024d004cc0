import { aggregateCalls, type CallRecord } from '../api-calls/aggregate-calls.js';
import type { ApiMinute } from '../api-calls/api-minute.js';
import { ConflictError, ForbiddenError, InvalidInputError, type Problem } from '../errors.js';
import type { ApiCallStore, ApiMinuteRow } from '../storage/api-calls.js';
import type { Source } from '../storage/sources.js';
import { apiMinuteRows, type RowDirectories } from './api-minute-rows.js';
import { coalesceWrites } from './coalesce-writes.js';
import type { Identity } from './ingest-counts.js';
import {
  checkIdempotencyKey,
  IDEMPOTENCY_HEADER,
  idempotencyBatchKey,
  minutesHash,
} from './log-idempotency.js';
import { isSourceName } from './names.js';
import { parseApiCallsBody } from './parse-api-calls.js';
import { parseCallLogsJson, parseCallLogsNdjson } from './parse-call-logs.js';
import { DEFAULT_ENVIRONMENT, MAX_BATCH_ITEMS } from './parse-counts.js';
import type { SourceDirectory } from './source-directory.js';

export interface ApiCallsIngestDeps extends RowDirectories {
  readonly directory: SourceDirectory;
  readonly store: Pick<ApiCallStore, 'replaceMinutes' | 'addMinutes' | 'addBatchesOnce'>;
  /** Creates sources first seen with the shared token; returns the names it created. */
  readonly onboard: (names: readonly string[]) => Promise<string[]>;
  readonly retentionDays: number;
  readonly now: () => Date;
}

export interface SummariesResult {
  /** Minutes of APIs stored. */
  readonly accepted: number;
  readonly onboarded: readonly string[];
}

export interface LogRequest {
  /** The parsed JSON array, or the raw text of an NDJSON body. */
  readonly body: unknown;
  readonly ndjson: boolean;
  /** The Idempotency-Key header, if sent. */
  readonly idempotencyKey: string | undefined;
}

export interface LogResult {
  /** Call records added (0 for a repeat). */
  readonly accepted: number;
  /** Minutes of APIs they were added into. */
  readonly minutes: number;
  readonly onboarded: readonly string[];
  /** The Idempotency-Key was applied before: nothing was added this time. */
  readonly repeated: boolean;
}

export interface ApiCallsIngestor {
  /** `POST /v1/api-calls`: validates everything, then replaces all the posted minutes or none. */
  ingestSummaries(identity: Identity, body: unknown): Promise<SummariesResult>;
  /** `POST /v1/api-calls/log`: validates every record, sums them per minute and API, adds all or none. */
  ingestLog(identity: Identity, request: LogRequest): Promise<LogResult>;
}

/** Concurrent summary posts share transactions, as counts do (see coalesceWrites and ingest-counts.ts). */
const WRITE_LANES = 4;
const MAX_MERGED_MINUTES = 2000;
/*
 * Records that name no environment take their source's default, known only once the sources are looked up,
 * after parsing: the parser marks them with '' (never a valid environment name) and that is replaced below.
 */
const SOURCE_DEFAULT = '';

export function createApiCallsIngestor(deps: ApiCallsIngestDeps): ApiCallsIngestor {
  const replaceMinutes = coalesceWrites<ApiMinuteRow>((rows) => deps.store.replaceMinutes(rows), {
    lanes: WRITE_LANES,
    maxRows: MAX_MERGED_MINUTES,
  });
  return {
    async ingestSummaries(identity, body) {
      const known = await deps.directory.sourcesByName(postedSourceNames(body));
      const parsed = parseApiCallsBody(body, {
        now: deps.now(),
        retentionDays: deps.retentionDays,
        defaultEnvironment: (source) => known.get(source)?.defaultEnvironment ?? DEFAULT_ENVIRONMENT,
      });
      assertOwnSource(
        identity,
        parsed.minutes.map((m) => ({ source: m.source, where: `${m.path ? `${m.path}.` : ''}source` })),
      );
      if (parsed.problems.length > 0 || parsed.minutes.length === 0)
        throw new InvalidInputError(parsed.problems);
      const { sources, onboarded } = await onboardUnknown(deps, parsed.minutes, known);
      await replaceMinutes(await apiMinuteRows(deps, parsed.minutes, sources));
      return { accepted: parsed.minutes.length, onboarded };
    },

    async ingestLog(identity, request) {
      const problems: Problem[] = [];
      const key = checkIdempotencyKey(request.idempotencyKey, problems);
      const context = {
        now: deps.now(),
        retentionDays: deps.retentionDays,
        defaultEnvironment: () => SOURCE_DEFAULT,
      };
      const parsed = request.ndjson
        ? parseCallLogsNdjson(String(request.body), context)
        : parseCallLogsJson(request.body, context);
      problems.push(...parsed.problems);
      assertOwnSource(
        identity,
        parsed.records.map((r) => ({ source: r.source, where: 'source' })),
      );
      if (problems.length > 0 || parsed.records.length === 0) throw new InvalidInputError(problems);
      const names = [...new Set(parsed.records.map((r) => r.source))];
      const known = await deps.directory.sourcesByName(names);
      const minutes = aggregateCalls(withDefaultEnvironments(parsed.records, known));
      const { sources, onboarded } = await onboardUnknown(deps, minutes, known);
      const rows = await apiMinuteRows(deps, minutes, sources);
      const stored = { accepted: parsed.records.length, minutes: minutes.length, onboarded, repeated: false };
      if (key === undefined) {
        await deps.store.addMinutes(rows);
        return stored;
      }
      const batch = { key: idempotencyBatchKey(names, key), bodyHash: minutesHash(minutes), rows };
      const [outcome] = await deps.store.addBatchesOnce([batch]);
      if (outcome === 'conflict')
        throw new ConflictError(
          `${IDEMPOTENCY_HEADER} "${key}" was already used for other call records; nothing was stored (a new request needs a new key)`,
        );
      return outcome === 'repeated' ? { ...stored, accepted: 0, minutes: 0, repeated: true } : stored;
    },
  };
}

/** Source names a summaries body mentions, read before validation so their default environments are known. */
function postedSourceNames(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const items = (body as { items?: unknown }).items;
  const candidates = Array.isArray(items) ? items.slice(0, MAX_BATCH_ITEMS) : [body];
  const names = candidates.map((item) => (item as { source?: unknown } | null)?.source);
  return [...new Set(names.filter((name): name is string => typeof name === 'string' && isSourceName(name)))];
}

function withDefaultEnvironments(
  records: readonly CallRecord[],
  known: ReadonlyMap<string, Source>,
): CallRecord[] {
  return records.map((record) =>
    record.environment === SOURCE_DEFAULT
      ? { ...record, environment: known.get(record.source)?.defaultEnvironment ?? DEFAULT_ENVIRONMENT }
      : record,
  );
}

/** A source token posts for its own source only (as for counts): 403 naming the first few others. */
function assertOwnSource(identity: Identity, items: readonly { source: string; where: string }[]): void {
  if (identity.kind !== 'source') return;
  const foreign = items.filter((item) => item.source !== identity.source.name);
  if (foreign.length === 0) return;
  const where = [...new Set(foreign.map((item) => `${item.where} "${item.source}"`))];
  throw new ForbiddenError(
    `this token belongs to source "${identity.source.name}" and cannot post for another source (${where.slice(0, 5).join(', ')}${where.length > 5 ? ', …' : ''})`,
  );
}

/** Onboards the sources not known yet (only the shared token gets this far with them) and loads them all. */
async function onboardUnknown(
  deps: ApiCallsIngestDeps,
  minutes: readonly Pick<ApiMinute, 'source'>[],
  known: ReadonlyMap<string, Source>,
): Promise<{ sources: ReadonlyMap<string, Source>; onboarded: string[] }> {
  const names = [...new Set(minutes.map((m) => m.source))];
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length === 0) return { sources: known, onboarded: [] };
  const onboarded = await deps.onboard(unknown);
  return { sources: await deps.directory.sourcesByName(names), onboarded };
}
