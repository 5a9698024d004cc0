import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The house rules for imports (README, "Layout"): which folders may not import which. Type-only imports count:
 * a port declared by its adapter is a wrong-way edge even if it vanishes at run time. Import cycles are
 * checked by dpdm in `npm run check`.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src', 'jobs', 'commands', 'bench'];

/** Every project import: importing file → imported file, paths relative to the repository. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = SOURCES.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f)),
  );
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
      (m) => m[1] as string,
    );
    graph.set(
      file,
      specifiers.map((s) => relative(ROOT, normalize(join(ROOT, dirname(file), s))).replace(/\.js$/, '.ts')),
    );
  }
  return graph;
}

const graph = importGraph();
const under = (path: string, prefixes: readonly string[]) =>
  prefixes.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

/** Imports from files under `from` to files under `to` (folders end with `/`), except the allowed importers. */
function crossing(from: readonly string[], to: readonly string[], allowed: readonly string[] = []): string[] {
  return [...graph].flatMap(([file, imports]) =>
    under(file, from) && !allowed.includes(file)
      ? imports.filter((target) => under(target, to)).map((target) => `${file} → ${target}`)
      : [],
  );
}

const SRC_FOLDERS = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `src/${d.name}/`);
const SRC_FILES = readdirSync(join(ROOT, 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/${f}`);
/** Every project folder (and top-level source file) but `keep`. */
const others = (...keep: string[]) =>
  [...SRC_FOLDERS, ...SRC_FILES, 'jobs/', 'commands/', 'bench/'].filter((f) => !keep.includes(f));

describe('the layers', () => {
  it.each([
    ['detection imports nothing outside itself', ['src/detection/'], others('src/detection/')],
    ['alerts imports nothing but detection', ['src/alerts/'], others('src/alerts/', 'src/detection/')],
    [
      'storage implements ports and reaches up into no service, queue or channel',
      ['src/storage/'],
      [
        'src/queue/',
        'src/slack/',
        'src/email/',
        'src/evaluation/',
        'src/api/',
        'src/http/',
        'src/ingest/',
        'jobs/',
        'commands/',
      ],
    ],
    [
      'evaluation raises alerts through the alert service, never the store or a channel',
      ['src/evaluation/'],
      [
        'src/storage/alerts.ts',
        'src/queue/',
        'src/slack/',
        'src/email/',
        'src/api/',
        'src/http/',
        'jobs/',
        'commands/',
      ],
    ],
    [
      'the queue knows jobs by their catalogue, not by who handles them',
      ['src/queue/'],
      [
        'src/slack/',
        'src/email/',
        'src/evaluation/',
        'src/api/',
        'src/http/',
        'src/ingest/',
        'jobs/',
        'commands/',
      ],
    ],
    ['Slack and email deliver independently', ['src/slack/'], ['src/email/']],
    [
      'the chart renderer draws plain data: it reads no store and knows no alert',
      ['src/charts/'],
      others('src/charts/', 'src/detection/'),
    ],
    [
      "an alert's chart data is read through the stores and drawn by the renderer, nothing else",
      ['src/alert-chart/'],
      others(
        'src/alert-chart/',
        'src/charts/',
        'src/detection/',
        'src/api-detection/',
        'src/api-calls/',
        'src/alerts/',
        'src/storage/',
        'src/evaluation/',
      ),
    ],
    [
      'the alert page acts through the alert service, never a store or a delivery channel',
      ['src/alert-page/'],
      ['src/slack/', 'src/queue/', 'src/storage/alerts.ts', 'jobs/', 'commands/'],
    ],
    ['Slack links to the alert page without knowing how it is built', ['src/slack/'], ['src/alert-page/']],
    ['email and Slack deliver independently', ['src/email/'], ['src/slack/']],
    ['ingest is parsed and stored without knowing HTTP', ['src/ingest/'], ['src/http/', 'src/api/']],
    ['the HTTP server knows no API route', ['src/http/'], ['src/api/']],
    ['job handlers are not imported by the code they call', others('jobs/'), ['jobs/'], ['src/app.ts']],
    [
      'Slack listeners are registered by the entry points, not by the Slack adapter',
      others('commands/'),
      ['commands/'],
      ['src/main.ts', 'src/demo/run-demo.ts'],
    ],
  ])('%s', (_rule, from, to, allowed = []) => {
    expect(crossing(from, to, allowed)).toEqual([]);
  });

  it('reaches the alert store only through its port (nothing but the storage set-up builds it)', () => {
    expect(crossing(others(), ['src/storage/alerts.ts'], ['src/storage/open-storage.ts'])).toEqual([]);
  });

  it('sees the imports it judges', () => {
    expect(graph.get('src/alerts/alert-service.ts')).toContain('src/alerts/alert-merge.ts');
    expect(graph.get('src/main.ts')).toContain('commands/index.ts');
  });
});
