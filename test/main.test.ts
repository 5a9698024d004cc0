import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, MYSQL_SERVER_URL, type TestDatabase } from './helpers/mysql.js';
import { ensureBuilt, ROOT, type Started, start, waitForOutput } from './helpers/process.js';

/** The environment of a started process: only what it is given, never the developer's own variables. */
const baseEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
  ROLES: 'web',
  ...extra,
});

async function databaseExists(name: string): Promise<boolean> {
  const connection = await mysql.createConnection({ uri: MYSQL_SERVER_URL });
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [name]);
    return rows.length > 0;
  } finally {
    await connection.end();
  }
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.destroy() === socket));
    socket.once('error', () => resolve(false));
  });

/** The port the started server says it listens on. */
async function listeningPort(run: Started): Promise<number> {
  const pattern = /"url":"http:\/\/127\.0\.0\.1:(\d+)","msg":"listening"/;
  const [, port] = await waitForOutput(run, pattern, 'the server to listen');
  return Number(port);
}

let database: TestDatabase;
beforeAll(async () => {
  ensureBuilt();
  database = await createTestDatabase('main');
}, 240_000);
afterAll(() => database?.drop());

describe('npm start -- --help, and a flag it does not know', () => {
  const untouched = `rw_test_help_${process.pid}`;
  const env = baseEnv({ MYSQL_URL: `mysql://root@127.0.0.1:3306/${untouched}` });

  it('prints the usage and exits 0, starting nothing', async () => {
    const run = start('npm', ['start', '--silent', '--', '--help'], { env });
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('usage: npm start [-- --help]');
    expect(await databaseExists(untouched)).toBe(false);
  });

  it('exits 2 with what was wrong and the usage, starting nothing', async () => {
    const run = start('npm', ['start', '--silent', '--', '--verbose-please'], { env });
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain("Unknown option '--verbose-please'");
    expect(run.output()).toContain('usage: npm start [-- --help]');
    expect(await databaseExists(untouched)).toBe(false);
  });
});

describe('npm start under a supervisor', () => {
  it('stops cleanly when the one pid it started is sent SIGTERM: the server stops listening, the exit is 0', async () => {
    const env = baseEnv({ MYSQL_URL: database.url, PORT: '0', QUEUE_PREFIX: `rwtest-main-${process.pid}` });
    const run = start('npm', ['start', '--silent'], { env });
    const port = await listeningPort(run);
    expect(await answers(port)).toBe(true);
    // npm's own pid: what a supervisor (systemd, a container runtime, a CI job) signals.
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('"msg":"stopped"');
    expect(await answers(port)).toBe(false);
    // Not on a terminal: every log line is one JSON object.
    const lines = run
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  }, 60_000);
});

describe('the start-up', () => {
  it('reads .env from the directory it starts in, and the real environment wins over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rw-dotenv-'));
    // The real environment's PORT=0 picks a free port: the one in .env must lose to it.
    const filePort = 40_000 + (process.pid % 1000);
    writeFileSync(
      join(dir, '.env'),
      `# what a user copied from .env.example\nMYSQL_URL=${database.url}\nPORT=${filePort}\nAPI_TOKEN=from-the-env-file-0123\n`,
    );
    const env = baseEnv({ PORT: '0', QUEUE_PREFIX: `rwtest-dotenv-${process.pid}` });
    const run = start('node', [join(ROOT, 'dist', 'src', 'main.js')], { env, cwd: dir });
    const port = await listeningPort(run);
    expect(port).not.toBe(filePort);
    expect(await answers(port)).toBe(true);
    expect(run.output()).toContain('api: API_TOKEN set');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 60_000);

  it('says MySQL refused the login, not that it does not answer, when the password is wrong', async () => {
    const url = new URL(database.url);
    url.password = 'not-the-password';
    const run = start('node', [join(ROOT, 'dist', 'src', 'main.js')], {
      env: baseEnv({ MYSQL_URL: url.toString() }),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/MySQL refused the login at 127\.0\.0\.1:3306 as "root" \(Access denied/);
    expect(run.output()).not.toContain('does not answer');
    expect(run.output()).not.toContain('not-the-password');
  });

  it('writes readable lines, not JSON, on a terminal, and says what is on', async () => {
    // `script` gives the process a terminal; MySQL refusing the login ends the run after the summary.
    const url = new URL(database.url);
    url.password = 'not-the-password';
    const command = `node ${join(ROOT, 'dist', 'src', 'main.js')}`;
    const run = start('script', ['-qec', command, '/dev/null'], {
      env: baseEnv({ MYSQL_URL: url.toString(), TERM: 'dumb', SMTP_URL: 'smtp://127.0.0.1:2525' }),
    });
    await run.exited;
    expect(run.output()).toMatch(/INFO.*api: API_TOKEN not set/);
    expect(run.output()).toMatch(/WARN.*SMTP_URL is set but nobody is to get email/);
    expect(run.output()).not.toContain('"level":');
  });
});
