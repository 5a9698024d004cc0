import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** The MySQL server tests run against; MYSQL_TEST_URL overrides it (no database in the path). */
export const MYSQL_SERVER_URL = process.env.MYSQL_TEST_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A database of its own for one test file: `rw_test_<label>_<random>`, created empty and dropped afterwards. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `rw_test_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const url = new URL(MYSQL_SERVER_URL);
  url.pathname = `/${name}`;
  await serverQuery(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  return { name, url: url.toString(), drop: () => serverQuery(`DROP DATABASE IF EXISTS \`${name}\``) };
}

async function serverQuery(sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: MYSQL_SERVER_URL });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}
