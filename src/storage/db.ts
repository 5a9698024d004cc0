import mysql, { type Pool, type PoolOptions } from 'mysql2/promise';
import { StorageUnavailableError } from '../errors.js';

export type { Pool } from 'mysql2/promise';

export interface PoolSettings {
  readonly url: string;
  readonly connectionLimit?: number;
  /** How long to wait for a TCP connection before the request fails as "storage unavailable". */
  readonly connectTimeoutMs?: number;
}

/**
 * Creates a mysql2 pool whose every connection runs in UTC and at READ COMMITTED.
 * READ COMMITTED because our upserts and rollup reads must not take gap locks that block ingest.
 */
export function createPool(settings: PoolSettings): Pool {
  const options: PoolOptions = {
    uri: settings.url,
    connectionLimit: settings.connectionLimit ?? 10,
    connectTimeout: settings.connectTimeoutMs ?? 5000,
    timezone: 'Z',
    decimalNumbers: true,
    supportBigNumbers: true,
    enableKeepAlive: true,
  };
  const pool = mysql.createPool(options);
  // timezone: 'Z' only affects how mysql2 converts dates; the session itself must be told.
  pool.pool.on('connection', (connection) => {
    connection.query("SET time_zone = '+00:00'");
    connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
  });
  return pool;
}

/** The database name in a mysql:// URL. */
export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(name))
    throw new Error('MYSQL_URL must name a database, e.g. mysql://root@127.0.0.1:3306/ratewatch');
  return name;
}

/** Creates the database named in the URL if it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const serverUrl = new URL(url);
  serverUrl.pathname = '/';
  const connection = await mysql.createConnection({ uri: serverUrl.toString(), connectTimeout: 5000 });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } finally {
    await connection.end();
  }
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_OPTION_PREVENTS_STATEMENT',
]);

/** True when a mysql2 error means the server cannot be reached or cannot take writes right now. */
export function isStorageUnavailable(error: unknown): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  if (error.message === 'Pool is closed.' || /connect ETIMEDOUT|Connection lost/i.test(error.message))
    return true;
  const errors = (error as { errors?: unknown[] }).errors; // AggregateError from net.connect (IPv4 + IPv6)
  return Array.isArray(errors) && errors.some(isStorageUnavailable);
}

/** MySQL error codes that mean the server answered and refused who we logged in as. */
const LOGIN_REFUSED_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_NOT_SUPPORTED_AUTH_MODE',
]);

/**
 * What went wrong reaching MySQL at start-up, said so that the person can act on it: the server refused the
 * login (it answered: the user or password in MYSQL_URL is wrong), or it does not answer (start it, or point
 * MYSQL_URL at it). Undefined for other errors. The URL's password is never repeated.
 */
export function explainMysqlError(error: unknown, url: string): string | undefined {
  const code = (error as { code?: string })?.code;
  const { host, user } = mysqlEndpoint(url);
  if (code && LOGIN_REFUSED_CODES.has(code)) {
    return (
      `MySQL refused the login at ${host} as "${user}" (${(error as Error).message}): check the user and ` +
      'password in MYSQL_URL (the docker-compose.yml MySQL takes root without a password)'
    );
  }
  if (isStorageUnavailable(error)) {
    return (
      `MySQL does not answer at ${host} (${code ?? 'no answer'}): start it (docker compose up -d mysql redis ` +
      'mailpit) or point MYSQL_URL at yours'
    );
  }
  return undefined;
}

function mysqlEndpoint(url: string): { host: string; user: string } {
  try {
    const parsed = new URL(url);
    return {
      host: `${parsed.hostname}:${parsed.port || 3306}`,
      user: decodeURIComponent(parsed.username) || 'root',
    };
  } catch {
    return { host: 'MYSQL_URL', user: '?' };
  }
}

/** True for a deadlock, which InnoDB resolves by rolling one transaction back: retrying it is safe. */
export function isDeadlock(error: unknown): boolean {
  return (error as { errno?: number })?.errno === 1213;
}

/**
 * Runs `work` in a transaction on one connection; retries it on deadlock up to `attempts` times, after a short
 * random pause that grows with each attempt (two writers that deadlocked once, retried at once, often meet again).
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (connection: mysql.PoolConnection) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      const result = await work(connection);
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      if (!isDeadlock(error) || attempt >= attempts) throw error;
    } finally {
      connection.release();
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
  }
}
