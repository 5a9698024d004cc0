import type { RowDataPacket } from 'mysql2';
import type { Pool } from './db.js';

/** Values every process shares and that are made once (table settings, migration 005). */
export interface SettingStore {
  /**
   * The value stored under `name`, made by `make` and stored first if there is none. Race-safe across processes:
   * INSERT IGNORE, then read back — whichever process inserted first, every process gets its value.
   */
  ensure(name: string, make: () => string): Promise<string>;
}

export function createSettingStore(pool: Pool): SettingStore {
  return {
    async ensure(name, make) {
      await pool.query('INSERT IGNORE INTO settings (name, value) VALUES (?, ?)', [name, make()]);
      const [rows] = await pool.query<RowDataPacket[]>('SELECT value FROM settings WHERE name = ?', [name]);
      const value = rows[0]?.value;
      if (typeof value !== 'string') throw new Error(`setting ${name} is missing after it was stored`);
      return value;
    },
  };
}
