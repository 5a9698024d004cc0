import { parseArgs } from 'node:util';
import { ENVIRONMENT_NAME, isEnvironmentName, isSourceName, SOURCE_NAME } from '../ingest/names.js';
import { generateSourceToken, hashToken } from '../ingest/tokens.js';
import { openStorage } from '../storage/open-storage.js';
import { type Command, type CommandContext, parse, UsageError } from './command.js';
import { listingJson, listingRow, listSources } from './source-listing.js';

export const sourcesAdd: Command = {
  name: 'sources add',
  usage: 'sources add <name> [--environment <env>]',
  summary: 'create a source and print its token (once; only its hash is stored)',
  async run(context) {
    const { values, positionals } = parse(() =>
      parseArgs({
        args: [...context.args],
        options: { environment: { type: 'string', short: 'e' } },
        allowPositionals: true,
      }),
    );
    const environment = values.environment ?? 'production';
    const name = sourceNameArg(
      positionals,
      isEnvironmentName(environment) ? [] : [`--environment ${ENVIRONMENT_NAME.message}`],
    );
    return withStorage(context, async ({ sources }) => {
      const token = generateSourceToken();
      const existing = await sources.findByName(name);
      if (existing?.hasToken) {
        context.stderr.write(
          `source "${name}" already exists; "sources rotate-token ${name}" gives it a new token\n`,
        );
        return 1;
      }
      if (existing) await sources.rotateToken(name, hashToken(token));
      else await sources.addSource({ name, defaultEnvironment: environment, tokenHash: hashToken(token) });
      context.stderr.write(
        `${existing ? `source "${name}" (onboarded by the ingest token) now has its own token` : `created source "${name}" (environment ${environment})`}.\n` +
          'Its token follows; it is shown only this once. Post with "Authorization: Bearer <token>".\n',
      );
      context.stdout.write(`${token}\n`);
      return 0;
    });
  },
};

export const sourcesRotateToken: Command = {
  name: 'sources rotate-token',
  usage: 'sources rotate-token <name>',
  summary: 'replace a source token; the old one stops working within 10 seconds',
  async run(context) {
    const { positionals } = parse(() => parseArgs({ args: [...context.args], allowPositionals: true }));
    const name = sourceNameArg(positionals);
    return withStorage(context, async ({ sources }) => {
      const token = generateSourceToken();
      await sources.rotateToken(name, hashToken(token));
      context.stderr.write(
        `new token for "${name}" follows; the old token stops working within 10 seconds.\n`,
      );
      context.stdout.write(`${token}\n`);
      return 0;
    });
  },
};

export const sourcesList: Command = {
  name: 'sources list',
  usage: 'sources list [--json]',
  summary:
    'list sources, how they were onboarded, what they post (counts, API calls), their environments with the last reported minute and their number of APIs, and whether they are judged or paused',
  async run(context) {
    const { values } = parse(() =>
      parseArgs({ args: [...context.args], options: { json: { type: 'boolean' } } }),
    );
    return withStorage(context, async ({ sources, apiCalls }) => {
      await apiCalls.flushRollups(); // the newest minute of each API is found through its rollups
      const list = listSources(await sources.listSources(), await apiCalls.summarizeSeries());
      if (values.json) {
        for (const listing of list) context.stdout.write(`${JSON.stringify(listingJson(listing))}\n`);
        return 0;
      }
      const header = [
        'SOURCE',
        'DEFAULT ENV',
        'ONBOARDED BY',
        'OWN TOKEN',
        'POSTS',
        'LAST MINUTE BY ENV',
        'JUDGED',
      ];
      context.stdout.write(table(header, list.map(listingRow)));
      if (list.length === 0) context.stderr.write('no sources yet: "sources add <name>" creates one\n');
      return 0;
    });
  },
};

export const sourcesPause: Command = {
  name: 'sources pause',
  usage: 'sources pause <name>',
  summary:
    'stop judging a source (a retired system pages nobody): neither the hourly run nor the ticks evaluate it; its posts are still stored',
  run: (context) => setPaused(context, 'pause'),
};

export const sourcesResume: Command = {
  name: 'sources resume',
  usage: 'sources resume <name>',
  summary: 'judge a paused source again, from the next tick or hourly run',
  run: (context) => setPaused(context, 'resume'),
};

/** Pauses or resumes a source; doing it twice is harmless, an unknown name fails (NotFoundError, exit 1). */
async function setPaused(context: CommandContext, action: 'pause' | 'resume'): Promise<number> {
  const { positionals } = parse(() => parseArgs({ args: [...context.args], allowPositionals: true }));
  const name = sourceNameArg(positionals);
  return withStorage(context, async ({ sources }) => {
    const before = await sources.findByName(name);
    const source = await sources.setPaused(name, action === 'pause' ? context.now() : null);
    const since = source.pausedAt?.toISOString();
    const message =
      action === 'pause'
        ? before?.pausedAt
          ? `was already paused (since ${since})`
          : `paused since ${since}: neither the hourly run nor the ticks judge it`
        : before?.pausedAt
          ? 'resumed: judged again from the next tick or hourly run'
          : 'was not paused: it is judged';
    context.stderr.write(`source "${name}" ${message}\n`);
    return 0;
  });
}

/** The one source name among the arguments; throws naming every problem, `others` (of the options) too. */
function sourceNameArg(positionals: string[], others: readonly string[] = []): string {
  const [name, ...extra] = positionals;
  const problems: string[] = [];
  if (!name) problems.push('name the source');
  else if (!isSourceName(name)) problems.push(`the source name ${SOURCE_NAME.message}`);
  if (extra.length > 0) problems.push(`unexpected arguments: ${extra.join(' ')}`);
  problems.push(...others);
  if (problems.length > 0 || !name) throw new UsageError(problems.join('; '));
  return name;
}

async function withStorage(
  context: CommandContext,
  work: (storage: Awaited<ReturnType<typeof openStorage>>) => Promise<number>,
): Promise<number> {
  const storage = await openStorage(context.config);
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()}\n`;
  return [header, ...rows].map(line).join('');
}
