import { InvalidInputError, NotFoundError, type Problem } from '../errors.js';
import type { ApiAuth } from '../http/auth.js';
import type { Routes } from '../http/server.js';
import { ENVIRONMENT_NAME_RULE, isEnvironmentName } from '../ingest/names.js';
import type { Catalog } from '../storage/catalogs.js';
import type { CountStore, HourRow } from '../storage/counts.js';
import type { SourceStore } from '../storage/sources.js';

const HOUR_MS = 3_600_000;
const MAX_RANGE_DAYS = 400;

export interface RatesRouteDeps {
  readonly auth: ApiAuth;
  readonly sources: SourceStore;
  readonly counts: CountStore;
  readonly catalogs: ReadonlyMap<number, Catalog>;
  readonly now: () => Date;
}

/** One hour of a series as the API shows it. Rates are count / total of all statuses; null when the hour had no traffic. */
export interface HourRates {
  readonly hour_start: string;
  readonly minutes_reported: number;
  readonly total: number;
  readonly counts: Record<string, number>;
  readonly rates: Record<string, number | null>;
}

/**
 * `GET /v1/sources/{source}/rates?environment=&from=&to=` — hourly counts and rates per status, oldest first,
 * for hours with at least one reported minute. `to` defaults to the end of the current hour, `from` to 24 h before it.
 */
export function ratesRoutes(deps: RatesRouteDeps): Routes {
  return (app) => {
    app.get<{ Params: { source: string }; Querystring: Record<string, string | undefined> }>(
      '/v1/sources/:source/rates',
      async (request) => {
        const caller = await deps.auth.caller(request.headers.authorization);
        const name = request.params.source;
        deps.auth.requireSource(caller, name);
        const problems = unknownParameters(request.query, ['environment', 'from', 'to']);
        const asked = request.query.environment || undefined;
        if (asked !== undefined && !isEnvironmentName(asked))
          problems.push({ path: 'environment', message: ENVIRONMENT_NAME_RULE });
        const range = parseRange(request.query, deps.now(), problems);
        const source = await deps.sources.findByName(name);
        if (!source) throw new NotFoundError(`no source named "${name}"`);
        const environment = asked ?? source.defaultEnvironment;
        const catalog = deps.catalogs.get(source.catalogId) as Catalog;
        const series = await deps.sources.findSeries(source.id, environment);
        let hours: HourRow[] = [];
        if (series) {
          await deps.counts.flushRollups({ seriesIds: [series.id] });
          hours = await deps.counts.readHours(series.id, range.from, range.to);
        }
        return {
          source: name,
          environment,
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          statuses: catalog.statuses.map((s) => s.status),
          hours: hours.map((hour) => toHourRates(hour, catalog)),
        };
      },
    );
  };
}

export function toHourRates(hour: HourRow, catalog: Catalog): HourRates {
  const total = catalog.statuses.reduce((sum, s) => sum + (hour.slots[s.slot] ?? 0), 0);
  const counts: Record<string, number> = {};
  const rates: Record<string, number | null> = {};
  for (const { status, slot } of catalog.statuses) {
    const count = hour.slots[slot] ?? 0;
    counts[status] = count;
    rates[status] = total > 0 ? count / total : null;
  }
  return {
    hour_start: hour.hourStart.toISOString(),
    minutes_reported: hour.minutesReported,
    total,
    counts,
    rates,
  };
}

/** A problem for each query parameter that is not one of `known` (a misspelt filter must not read as none). */
export function unknownParameters(query: Record<string, unknown>, known: readonly string[]): Problem[] {
  return Object.keys(query)
    .filter((name) => !known.includes(name))
    .map((name) => ({ path: name, message: `is not a known parameter (${known.join(', ')})` }));
}

/** `from` and `to` of a read (24 hours to the end of the current hour by default); throws with every problem, `problems` too. */
export function parseRange(
  query: Record<string, string | undefined>,
  now: Date,
  problems: Problem[] = [],
): { from: Date; to: Date } {
  const before = problems.length;
  const parse = (name: 'from' | 'to') => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
      problems.push({ path: name, message: 'must be an ISO-8601 time such as 2026-11-21T00:00:00Z' });
      return undefined;
    }
    return at;
  };
  const to = parse('to') ?? new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = parse('from') ?? new Date(to.getTime() - 24 * HOUR_MS);
  const datesRead = problems.length === before;
  if (datesRead && from.getTime() >= to.getTime())
    problems.push({ path: 'from', message: 'must be before to' });
  else if (datesRead && to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    problems.push({ path: 'from', message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { from, to };
}
