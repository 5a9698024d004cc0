import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import { ConflictError, NotFoundError } from '../errors.js';
import { DEFAULT_CATALOG_ID } from './catalogs.js';
import type { Pool } from './db.js';

export type OnboardedVia = 'cli' | 'ingest_token';

/** A payment system that posts counts. */
export interface Source {
  readonly id: number;
  readonly name: string;
  readonly defaultEnvironment: string;
  readonly catalogId: number;
  readonly onboardedVia: OnboardedVia;
  readonly hasToken: boolean;
  readonly createdAt: Date;
  readonly announcedAt: Date | null;
  /** Since when `sources pause` has kept it from being judged; null while it is judged. */
  readonly pausedAt: Date | null;
}

/** One source+environment: the unit counts, rollups, models and alerts are kept for. */
export interface Series {
  readonly id: number;
  readonly sourceId: number;
  readonly environment: string;
}

/** A series with what evaluating it needs to know about its source. */
export interface SeriesInfo extends Series {
  readonly source: string;
  readonly catalogId: number;
}

export interface SourceSummary extends Source {
  readonly environments: readonly { environment: string; lastMinute: Date | null }[];
}

export interface SourceStore {
  /** Creates a source with a token; ConflictError if the name is taken. */
  addSource(input: { name: string; defaultEnvironment: string; tokenHash: string }): Promise<Source>;
  /** Creates sources first seen with the shared ingest token; names that exist are left alone. Returns the created names. */
  onboardSources(names: readonly string[]): Promise<string[]>;
  /** Replaces a source's token hash; NotFoundError if there is no such source. */
  rotateToken(name: string, tokenHash: string): Promise<void>;
  findByName(name: string): Promise<Source | undefined>;
  findByNames(names: readonly string[]): Promise<Source[]>;
  findByTokenHash(tokenHash: string): Promise<Source | undefined>;
  listSources(): Promise<SourceSummary[]>;
  /**
   * Every series of a source not paused with a reported minute still kept, and its latest one: one index lookup
   * per series on minute_counts' primary key (series, minute), so it stays cheap at 10,000 sources. A paused
   * source is left out, so its reporting lag stops counting (and RatewatchSourceSilent stops firing).
   */
  lastReportedMinutes(): Promise<{ source: string; environment: string; lastMinute: Date }[]>;
  /** Ids of the given source+environment pairs, creating the missing ones. */
  ensureSeries(pairs: readonly { sourceId: number; environment: string }[]): Promise<Series[]>;
  findSeries(sourceId: number, environment: string): Promise<Series | undefined>;
  /**
   * Series with at least one hourly rollup since `since`, with their source, in id order — except those of
   * paused sources: they are judged by neither the hourly run nor the ticks.
   */
  listActiveSeries(since: Date): Promise<SeriesInfo[]>;
  /**
   * Pauses (`at`) or resumes (null) judging a source. Pausing a paused source keeps its first pause time;
   * resuming a judged one changes nothing. NotFoundError if there is no such source.
   */
  setPaused(name: string, at: Date | null): Promise<Source>;
  /** Sources onboarded automatically and not announced yet, oldest first. */
  listUnannounced(): Promise<Source[]>;
  markAnnounced(sourceId: number, at: Date): Promise<boolean>;
}

const SOURCE_COLUMNS =
  'id, name, default_environment, catalog_id, onboarded_via, token_hash IS NOT NULL AS has_token, created_at, announced_at, paused_at';

export function createSourceStore(pool: Pool): SourceStore {
  const selectSources = async (where: string, params: unknown[]) => {
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT ${SOURCE_COLUMNS} FROM sources WHERE ${where}`,
      params,
    );
    return rows.map(toSource);
  };

  return {
    async addSource({ name, defaultEnvironment, tokenHash }) {
      try {
        await pool.query(
          `INSERT INTO sources (name, default_environment, catalog_id, token_hash, token_created_at, onboarded_via)
           VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP(3), 'cli')`,
          [name, defaultEnvironment, DEFAULT_CATALOG_ID, tokenHash],
        );
      } catch (error) {
        if ((error as { code?: string }).code === 'ER_DUP_ENTRY') {
          throw new ConflictError(
            `source "${name}" already exists; use "sources rotate-token ${name}" for a new token`,
          );
        }
        throw error;
      }
      const [source] = await selectSources('name = ?', [name]);
      if (!source) throw new Error(`source "${name}" vanished after insert`);
      return source;
    },

    async onboardSources(names) {
      if (names.length === 0) return [];
      const existing = new Set((await selectSources('name IN (?)', [names])).map((s) => s.name));
      const missing = [...new Set(names)].filter((name) => !existing.has(name)).sort();
      const created: string[] = [];
      for (const name of missing) {
        const [result] = await pool.query<ResultSetHeader>(
          `INSERT IGNORE INTO sources (name, catalog_id, onboarded_via) VALUES (?, ?, 'ingest_token')`,
          [name, DEFAULT_CATALOG_ID],
        );
        if (result.affectedRows === 1) created.push(name);
      }
      return created;
    },

    async rotateToken(name, tokenHash) {
      const [result] = await pool.query<ResultSetHeader>(
        'UPDATE sources SET token_hash = ?, token_created_at = CURRENT_TIMESTAMP(3) WHERE name = ?',
        [tokenHash, name],
      );
      if (result.affectedRows === 0) throw new NotFoundError(`no source named "${name}"`);
    },

    async findByName(name) {
      return (await selectSources('name = ?', [name]))[0];
    },

    async findByNames(names) {
      return names.length === 0 ? [] : selectSources('name IN (?)', [names]);
    },

    async findByTokenHash(tokenHash) {
      return (await selectSources('token_hash = ?', [tokenHash]))[0];
    },

    async listSources() {
      const sources = await selectSources('1 = 1 ORDER BY name', []);
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT s.source_id, s.environment,
           (SELECT MAX(m.minute) FROM minute_counts m WHERE m.series_id = s.id) AS last_minute
         FROM series s ORDER BY s.source_id, s.environment`,
      );
      return sources.map((source) => ({
        ...source,
        environments: rows
          .filter((row) => row.source_id === source.id)
          .map((row) => ({ environment: row.environment, lastMinute: row.last_minute ?? null })),
      }));
    },

    async lastReportedMinutes() {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT name, environment, last_minute FROM (
           SELECT o.name, s.environment,
             (SELECT MAX(m.minute) FROM minute_counts m WHERE m.series_id = s.id) AS last_minute
           FROM series s JOIN sources o ON o.id = s.source_id WHERE o.paused_at IS NULL) latest
         WHERE last_minute IS NOT NULL`,
      );
      return rows.map((row) => ({
        source: String(row.name),
        environment: String(row.environment),
        lastMinute: row.last_minute as Date,
      }));
    },

    async ensureSeries(pairs) {
      if (pairs.length === 0) return [];
      const rows = pairs.map((p) => [p.sourceId, p.environment]);
      await pool.query('INSERT IGNORE INTO series (source_id, environment) VALUES ?', [rows]);
      const [found] = await pool.query<RowDataPacket[]>(
        'SELECT id, source_id, environment FROM series WHERE (source_id, environment) IN (?)',
        [rows],
      );
      return found.map((row) => ({ id: row.id, sourceId: row.source_id, environment: row.environment }));
    },

    async findSeries(sourceId, environment) {
      const [rows] = await pool.query<RowDataPacket[]>(
        'SELECT id, source_id, environment FROM series WHERE source_id = ? AND environment = ?',
        [sourceId, environment],
      );
      const row = rows[0];
      return row ? { id: row.id, sourceId: row.source_id, environment: row.environment } : undefined;
    },

    async listActiveSeries(since) {
      // EXISTS walks each series' primary-key range instead of scanning the whole rollup table.
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT s.id, s.source_id, s.environment, o.name, o.catalog_id FROM series s JOIN sources o ON o.id = s.source_id
         WHERE o.paused_at IS NULL
           AND EXISTS (SELECT 1 FROM hourly_counts h WHERE h.series_id = s.id AND h.hour_start >= ?)
         ORDER BY s.id`,
        [since],
      );
      return rows.map((row) => ({
        id: row.id,
        sourceId: row.source_id,
        environment: row.environment,
        source: row.name,
        catalogId: row.catalog_id,
      }));
    },

    async setPaused(name, at) {
      // COALESCE keeps the first pause time when a paused source is paused again.
      await pool.query(
        at === null
          ? 'UPDATE sources SET paused_at = NULL WHERE name = ?'
          : 'UPDATE sources SET paused_at = COALESCE(paused_at, ?) WHERE name = ?',
        at === null ? [name] : [at, name],
      );
      const [source] = await selectSources('name = ?', [name]);
      if (!source) throw new NotFoundError(`no source named "${name}"`);
      return source;
    },

    async listUnannounced() {
      return selectSources(
        `onboarded_via = 'ingest_token' AND announced_at IS NULL ORDER BY created_at, id`,
        [],
      );
    },

    async markAnnounced(sourceId, at) {
      const [result] = await pool.query<ResultSetHeader>(
        'UPDATE sources SET announced_at = ? WHERE id = ? AND announced_at IS NULL',
        [at, sourceId],
      );
      return result.affectedRows === 1;
    },
  };
}

function toSource(row: RowDataPacket): Source {
  return {
    id: row.id,
    name: row.name,
    defaultEnvironment: row.default_environment,
    catalogId: row.catalog_id,
    onboardedVia: row.onboarded_via,
    hasToken: row.has_token === 1,
    createdAt: row.created_at,
    announcedAt: row.announced_at,
    pausedAt: row.paused_at ?? null,
  };
}
