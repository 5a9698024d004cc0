import type { RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** One status of a catalog and the slot (column `n<slot>`) that stores its count. */
export interface CatalogStatus {
  readonly slot: number;
  readonly status: string;
  /** Whether detection evaluates this status's rate (failed, denied, reversed in the payments catalog). */
  readonly watched: boolean;
}

/** A named set of statuses a source reports, e.g. the seven payment statuses. */
export interface Catalog {
  readonly id: number;
  readonly name: string;
  readonly statuses: readonly CatalogStatus[];
  readonly slotOf: ReadonlyMap<string, number>;
}

export const DEFAULT_CATALOG_ID = 1;

export interface CatalogStore {
  loadCatalogs(): Promise<Map<number, Catalog>>;
}

export function createCatalogStore(pool: Pool): CatalogStore {
  return {
    async loadCatalogs() {
      const [rows] = await pool.query<RowDataPacket[]>(
        `SELECT c.id, c.name, s.slot, s.status, s.watched
         FROM status_catalogs c JOIN catalog_statuses s ON s.catalog_id = c.id
         ORDER BY c.id, s.slot`,
      );
      const grouped = new Map<number, { name: string; statuses: CatalogStatus[] }>();
      for (const row of rows) {
        const entry = grouped.get(row.id) ?? { name: String(row.name), statuses: [] as CatalogStatus[] };
        entry.statuses.push({ slot: row.slot, status: row.status, watched: row.watched === 1 });
        grouped.set(row.id, entry);
      }
      return new Map(
        [...grouped].map(([id, { name, statuses }]) => [
          id,
          { id, name, statuses, slotOf: new Map(statuses.map((s) => [s.status, s.slot])) },
        ]),
      );
    },
  };
}
