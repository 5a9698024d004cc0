import { randomBytes } from 'node:crypto';
import { registerCommands } from '../../commands/index.js';
import { type Ratewatch, type StartOptions, startRatewatch } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './mysql.js';

export const INGEST_TOKEN = 'test-ingest-token-0123456789';
export const API_TOKEN = 'test-api-token-0123456789';

export interface TestApp extends Ratewatch {
  readonly url: string;
  readonly queuePrefix: string;
  readonly database: TestDatabase;
  /** Calls the app's HTTP API. */
  request(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** Posts count items through POST /v1/counts in batches of 5,000 (the API takes up to 10,000); each must be accepted. */
export async function postCounts(app: TestApp, items: readonly unknown[]): Promise<void> {
  for (let i = 0; i < items.length; i += 5000) {
    const response = await app.request('/v1/counts', {
      method: 'POST',
      json: { items: items.slice(i, i + 5000) },
    });
    if (response.status !== 202)
      throw new Error(`posting counts: ${response.status} ${await response.text()}`);
  }
}

/**
 * Starts the real ratewatch (HTTP on a free port, real MySQL in a fresh database, real Redis) with the
 * given environment on top of test defaults. `mysqlPort` reaches MySQL through another port (a TcpProxy).
 * `stop()` closes it and drops the database.
 */
export async function startTestApp(
  label: string,
  env: Record<string, string> = {},
  options: StartOptions & { mysqlPort?: number } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(label);
  const mysqlUrl = new URL(database.url);
  if (options.mysqlPort) mysqlUrl.port = String(options.mysqlPort);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MYSQL_URL: mysqlUrl.toString(),
    INGEST_TOKEN,
    API_TOKEN,
    ROLES: 'web',
    QUEUE_PREFIX: `rwtest-${label.replace(/[^a-z0-9]/gi, '')}-${randomBytes(3).toString('hex')}`,
    ...env,
  });
  const logger = createLogger({ level: config.logLevel });
  // As the process entry does: Slack's commands and buttons are registered (they answer only when Slack is on).
  const app = await startRatewatch(config, { logger, slackListeners: registerCommands, ...options });
  const url = app.url as string;
  return {
    ...app,
    url,
    queuePrefix: config.queuePrefix,
    database,
    request: (path, init = {}) => {
      const { token = INGEST_TOKEN, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        headers,
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      });
    },
    stop: async () => {
      await Promise.all(Object.values(app.queues.byName).map((queue) => queue.obliterate({ force: true })));
      await app.close();
      await database.drop();
    },
  };
}
