import type { PoolConnection } from 'mysql2/promise';
import { Umzug, type UmzugStorage } from 'umzug';
import type { Pool } from './db.js';
import { migrations as allMigrations } from './migrations/index.js';
import type { Migration, MigrationStatement } from './migrations/migration.js';

const LOCK_NAME = 'ratewatch_migrations';
const LOCK_TIMEOUT_SECONDS = 60;

export interface MigrateLogger {
  info(message: string): void;
}

/**
 * Applies pending migrations. Safe when several processes start at once: a MySQL named lock (GET_LOCK)
 * lets one process migrate while the others wait, then find nothing left to do.
 * Returns the names of the migrations this call applied.
 */
export async function migrate(
  pool: Pool,
  options: { logger?: MigrateLogger; migrations?: readonly Migration[] } = {},
): Promise<string[]> {
  const lockConnection = await pool.getConnection();
  try {
    await acquireLock(lockConnection);
    try {
      await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
  name VARCHAR(190) NOT NULL PRIMARY KEY,
  applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
)`);
      const umzug = new Umzug({
        migrations: (options.migrations ?? allMigrations).map((migration) => ({
          name: migration.name,
          up: async () => {
            for (const statement of migration.statements) await runStatement(pool, statement);
          },
        })),
        storage: createMigrationStorage(pool),
        logger: undefined,
      });
      const applied = await umzug.up();
      for (const migration of applied) options.logger?.info(`applied migration ${migration.name}`);
      return applied.map((migration) => migration.name);
    } finally {
      await lockConnection.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]);
    }
  } finally {
    lockConnection.release();
  }
}

/** Runs one statement; an ALTER that finds its work done (a migration interrupted and run again) succeeds. */
async function runStatement(pool: Pool, statement: MigrationStatement): Promise<void> {
  if (typeof statement === 'string') {
    await pool.query(statement);
    return;
  }
  try {
    await pool.query(statement.sql);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!statement.alreadyDone.some((done) => done === code)) throw error;
  }
}

async function acquireLock(connection: PoolConnection): Promise<void> {
  const [rows] = await connection.query<import('mysql2').RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS locked', [
    LOCK_NAME,
    LOCK_TIMEOUT_SECONDS,
  ]);
  if (rows[0]?.locked !== 1) {
    throw new Error(
      `Another process has held the migration lock for over ${LOCK_TIMEOUT_SECONDS}s; try again`,
    );
  }
}

function createMigrationStorage(pool: Pool): UmzugStorage {
  return {
    async executed() {
      const [rows] = await pool.query<import('mysql2').RowDataPacket[]>(
        'SELECT name FROM schema_migrations ORDER BY name',
      );
      return rows.map((row) => String(row.name));
    },
    async logMigration({ name }) {
      await pool.query('INSERT IGNORE INTO schema_migrations (name) VALUES (?)', [name]);
    },
    async unlogMigration({ name }) {
      await pool.query('DELETE FROM schema_migrations WHERE name = ?', [name]);
    },
  };
}
