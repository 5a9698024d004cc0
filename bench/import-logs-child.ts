/**
 * One measured run of bench/import-logs.ts, in a process of its own so its peak RSS is its own:
 * `store <file> <mysql url>` runs `import-logs` itself (the CLI command: reader, aggregator and storage, end to
 * end) into that database; `import <file>` streams the file through importCallLog without storage (reader +
 * aggregator, chunks counted); `read <file>` only reads its lines, the floor any streamed import pays.
 * Prints one JSON line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { importCallLog } from '../src/api-calls/import-call-log.js';

interface Counted {
  lines: number;
  calls: number;
  chunks: number;
  stored?: number;
  skipped?: number;
}

async function readOnly(path: string): Promise<Counted> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let lines = 0;
  for await (const _ of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) lines++;
  return { lines, calls: 0, chunks: 0 };
}

async function importOnly(path: string): Promise<Counted> {
  let chunks = 0;
  const summary = await importCallLog(path, {
    source: 'bench-api',
    environment: 'production',
    window: { now: new Date('2027-01-01T00:00:00Z'), retentionDays: 400 },
    onChunk: () => {
      chunks++;
    },
  });
  if (summary.rejected.count > 0)
    throw new Error(`rejected ${summary.rejected.count} lines: ${JSON.stringify(summary.rejected.first[0])}`);
  return { lines: summary.lines, calls: summary.calls, chunks };
}

/** The CLI command, as `npm run cli -- import-logs <file> --source bench-api --json` runs it. */
async function store(path: string, mysqlUrl: string): Promise<Counted> {
  // Loaded here only: the whole CLI's modules would add to the other modes' RSS.
  const { runCli } = await import('../src/cli/index.js');
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await runCli(['import-logs', path, '--source', 'bench-api', '--json'], {
    // The generated calls are from November 2026: a long retention keeps them acceptable whenever this runs.
    env: { MYSQL_URL: mysqlUrl, MINUTE_RETENTION_DAYS: '3650', LOG_LEVEL: 'silent' },
    stdout: sink((text) => {
      out += text;
    }),
    stderr: sink((text) => {
      err += text;
    }),
  });
  if (code !== 0) throw new Error(`import-logs exited ${code}: ${err}`);
  const report = JSON.parse(out) as {
    lines: number;
    calls: number;
    stored: { chunks: number; calls: number };
    skipped: { chunks: number; calls: number };
    rejected: { count: number };
  };
  if (report.rejected.count > 0) throw new Error(`rejected ${report.rejected.count} lines`);
  return {
    lines: report.lines,
    calls: report.calls,
    chunks: report.stored.chunks + report.skipped.chunks,
    stored: report.stored.calls,
    skipped: report.skipped.calls,
  };
}

async function main(): Promise<void> {
  const [mode, path, mysqlUrl] = process.argv.slice(2) as [string, string, string | undefined];
  const started = performance.now();
  const counted =
    mode === 'read'
      ? await readOnly(path)
      : mode === 'import'
        ? await importOnly(path)
        : await store(path, mysqlUrl ?? '');
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, ...counted, seconds, peakRssMiB })}\n`);
}

await main();
