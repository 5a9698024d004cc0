import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import type { Config } from '../config.js';
import { QUEUE } from '../queue/names.js';
import { databaseName, explainMysqlError } from '../storage/db.js';

/** Stops the demo with a clear instruction when MySQL or Redis does not answer, or MySQL refuses the login. */
export async function checkServices(config: Config): Promise<void> {
  const problems: string[] = [];
  try {
    const server = new URL(config.mysqlUrl);
    server.pathname = '/';
    const connection = await mysql.createConnection({ uri: server.toString(), connectTimeout: 3000 });
    await connection.end();
  } catch (error) {
    problems.push(
      explainMysqlError(error, config.mysqlUrl) ?? `MySQL at ${hostOf(config.mysqlUrl)}: ${error}`,
    );
  }
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    problems.push(
      `Redis does not answer at ${hostOf(config.redisUrl)}: start it (docker compose up -d mysql redis mailpit) or point REDIS_URL at yours`,
    );
  } finally {
    redis.disconnect();
  }
  if (problems.length === 0) return;
  throw new Error(problems.join('.\n'));
}

/** Drops the demo database and empties the demo queues, so every run starts from the same clean state. */
export async function resetDemoState(config: Config): Promise<void> {
  const server = new URL(config.mysqlUrl);
  server.pathname = '/';
  const connection = await mysql.createConnection({ uri: server.toString() });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${databaseName(config.mysqlUrl)}\``);
  } finally {
    await connection.end();
  }
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  try {
    for (const name of Object.values(QUEUE)) {
      const queue = new Queue(name, { connection: redis, prefix: config.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
  } finally {
    redis.disconnect();
  }
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol.startsWith('redis') ? 6379 : 3306)}`;
}
