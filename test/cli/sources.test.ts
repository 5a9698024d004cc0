import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';

let app: TestApp;
let env: Record<string, string>;
beforeAll(async () => {
  app = await startTestApp('cli_sources', {}, { now: () => new Date('2026-11-21T18:05:30Z') });
  env = { MYSQL_URL: app.database.url, LOG_LEVEL: 'silent' };
});
afterAll(() => app?.stop());

const post = (token: string, source: string) =>
  app.request('/v1/counts', {
    method: 'POST',
    token,
    json: { source, minute: '2026-11-21T18:04:00Z', counts: { approved: 1 } },
  });

describe('npm run cli -- sources', () => {
  it('add prints a token once, on stdout alone, and that token posts for its source', async () => {
    const added = await cli(['sources', 'add', 'card-nl', '--environment', 'staging'], env);
    expect(added.code).toBe(0);
    const token = added.stdout.trim();
    expect(token).toMatch(/^rws_[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toContain('shown only this once');
    expect((await post(token, 'card-nl')).status).toBe(202);
    const again = await cli(['sources', 'add', 'card-nl'], env);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
  });

  it('list shows each source, how it was onboarded and its environments', async () => {
    const listed = await cli(['sources', 'list', '--json'], env);
    const sources = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(sources).toContainEqual(
      expect.objectContaining({
        name: 'card-nl',
        default_environment: 'staging',
        onboarded_via: 'cli',
        has_token: true,
        posts: ['counts'],
        environments: [
          { environment: 'staging', last_minute: '2026-11-21T18:04:00.000Z', apis: 0, last_api_minute: null },
        ],
      }),
    );
    const table = await cli(['sources', 'list'], env);
    expect(table.stdout).toMatch(/^SOURCE\s+DEFAULT ENV/);
  });

  it('rotate-token gives a new token and the old one stops working', async () => {
    const old = (await cli(['sources', 'add', 'card-be'], env)).stdout.trim();
    const rotated = await cli(['sources', 'rotate-token', 'card-be'], env);
    const fresh = rotated.stdout.trim();
    expect(fresh).not.toBe(old);
    expect((await post(fresh, 'card-be')).status).toBe(202);
    // The server caches tokens for up to 10 s; a fresh process sees the rotation at once.
    const restarted = await startTestApp(
      'cli_sources_restart',
      { MYSQL_URL: app.database.url },
      { now: () => new Date('2026-11-21T18:05:30Z') },
    );
    try {
      const response = await restarted.request('/v1/counts', {
        method: 'POST',
        token: old,
        json: { source: 'card-be', minute: '2026-11-21T18:04:00Z', counts: { approved: 1 } },
      });
      expect(response.status).toBe(401);
    } finally {
      await restarted.close();
      await restarted.database.drop();
    }
  });

  it('pause stops judging a source, resume judges it again, each harmless when repeated', async () => {
    await cli(['sources', 'add', 'card-old'], env);
    const listedState = async () => {
      const listed = await cli(['sources', 'list', '--json'], env);
      const lines = listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { name: string; paused_at: string | null });
      return lines.find((l) => l.name === 'card-old')?.paused_at;
    };
    const at = () => new Date('2026-11-21T18:06:00Z');
    const paused = await cli(['sources', 'pause', 'card-old'], env, { now: at });
    expect(paused.code).toBe(0);
    expect(paused.stderr).toContain('paused since 2026-11-21T18:06:00.000Z');
    const again = await cli(['sources', 'pause', 'card-old'], env, {
      now: () => new Date('2026-11-21T19:00:00Z'),
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('was already paused (since 2026-11-21T18:06:00.000Z)');
    expect(await listedState()).toBe('2026-11-21T18:06:00.000Z');
    expect((await cli(['sources', 'list'], env)).stdout).toMatch(
      /card-old .*paused since 2026-11-21T18:06:00.000Z/,
    );
    const resumed = await cli(['sources', 'resume', 'card-old'], env);
    expect([resumed.code, resumed.stderr]).toEqual([
      0,
      'source "card-old" resumed: judged again from the next tick or hourly run\n',
    ]);
    const resumedAgain = await cli(['sources', 'resume', 'card-old'], env);
    expect([resumedAgain.code, resumedAgain.stderr]).toEqual([
      0,
      'source "card-old" was not paused: it is judged\n',
    ]);
    expect(await listedState()).toBeNull();
  });

  it('pause and resume of a source that does not exist fail with a clear message', async () => {
    for (const action of ['pause', 'resume']) {
      const unknown = await cli(['sources', action, 'no-such-source'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('no source named "no-such-source"');
    }
  });

  it('explains a mistake with the usage and exit code 2', async () => {
    const wrong = await cli(['sources', 'add', 'bad name!'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('usage: npm run cli -- sources add <name> [--environment <env>]');
    const unknown = await cli(['sources', 'rotate-token', 'nope'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no source named "nope"');
  });
});
