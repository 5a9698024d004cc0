/**
 * `npm run bench:import [-- lines…]` (default 1000000 3000000) — `import-logs` end to end, storage included:
 * for each size, a CSV call log is generated once into .tmp/bench-import/ (about 50 bytes a line, 41 APIs,
 * 4,000 calls a minute, a line in 500 up to 9 minutes late, 1 % timeouts, some quoted endpoints); then, each
 * in a child process of its own (so its peak RSS is its own):
 *
 * - `store`: the CLI command `import-logs <file> --source bench-api --json` into a fresh database
 *   (rw_bench_import, migrated beforehand), every chunk stored;
 * - `again`: the same import a second time: every chunk is found already imported, nothing is added;
 * - `import`: the reader and aggregator alone (chunks counted, no storage);
 * - `read`: only reading the lines, the floor any streamed import pays.
 *
 * Prints seconds, lines/s and peak RSS of each, the floor (1,000,000 lines stored in ≤ 30 s) and how the stored
 * import's peak RSS grows from the smallest file to the largest (flat: about 1×). Drops the database at the end.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { runCli } from '../src/cli/index.js';

const DIR = join('.tmp', 'bench-import');
const HEADER = 'timestamp,method,endpoint,status_code,size,response_time';
const START_MS = Date.parse('2026-11-01T00:00:00Z');
const PER_MINUTE = 4000;

const DATABASE = 'rw_bench_import';
const SERVER = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const FLOOR_SECONDS_PER_MILLION = 30;

interface Run {
  readonly mode: string;
  readonly lines: number;
  readonly calls: number;
  readonly stored?: number;
  readonly skipped?: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
}

/** Writes `lines` lines of a realistic CSV call log (deterministic), unless the file is there already. */
async function generate(lines: number): Promise<string> {
  const path = join(DIR, `log-${lines}.csv`);
  if (existsSync(path)) return path;
  mkdirSync(DIR, { recursive: true });
  const out = createWriteStream(`${path}.part`);
  let chunk = `${HEADER}\n`;
  for (let i = 0; i < lines; i++) {
    chunk += line(i);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  renameSync(`${path}.part`, path);
  return path;
}

function line(i: number): string {
  const late = i % 500 === 0 ? ((i / 500) % 9) * 60_000 : 0;
  const at = new Date(START_MS + Math.floor((i * 60_000) / PER_MINUTE) - late).toISOString();
  const api = i % 41;
  const endpoint = api === 40 ? '"/v1/search?q=a,b"' : `/v1/resource-${api}`;
  const status = i % 100 === 7 ? 0 : i % 53 === 0 ? 503 : i % 17 === 0 ? 404 : 200;
  return `${at.slice(0, 10)} ${at.slice(11, 23)},${api % 3 ? 'GET' : 'POST'},${endpoint},${status},${(i * 13) % 4096},${status === 0 ? '' : (i * 37) % 1900}\n`;
}

function measure(mode: 'store' | 'import' | 'read', path: string, mysqlUrl = ''): Run {
  const child = fileURLToPath(new URL('./import-logs-child.ts', import.meta.url));
  const output = execFileSync(process.execPath, [...process.execArgv, child, mode, path, mysqlUrl], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').pop() as string) as Run;
}

/** A fresh, migrated database for one size's stored imports; returns its URL. */
async function freshDatabase(): Promise<string> {
  const admin = await mysql.createConnection({ uri: SERVER });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.end();
  const url = new URL(SERVER);
  url.pathname = `/${DATABASE}`;
  const quiet = new PassThrough();
  const code = await runCli(['migrate'], {
    env: { MYSQL_URL: url.toString() },
    stdout: quiet,
    stderr: quiet,
  });
  if (code !== 0) throw new Error('migrating the benchmark database failed');
  return url.toString();
}

async function dropDatabase(): Promise<void> {
  const admin = await mysql.createConnection({ uri: SERVER });
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.end();
}

function printRun(label: string, run: Run): void {
  const rate = Math.round(run.lines / run.seconds).toLocaleString('en-US');
  const stored =
    run.stored === undefined
      ? ''
      : `  stored ${run.stored.toLocaleString('en-US')}, skipped ${(run.skipped ?? 0).toLocaleString('en-US')} calls`;
  process.stdout.write(
    `${label.padEnd(8)} ${run.lines.toLocaleString('en-US').padStart(10)} ${run.seconds.toFixed(2).padStart(8)} ${rate.padStart(10)} ${run.peakRssMiB.toFixed(0).padStart(13)}${stored}\n`,
  );
}

async function main(): Promise<number> {
  const sizes = process.argv.slice(2).map(Number);
  const stores: Run[] = [];
  let ok = true;
  process.stdout.write(
    `${'run'.padEnd(8)} ${'lines'.padStart(10)} ${'seconds'.padStart(8)} ${'lines/s'.padStart(10)} ${'peak RSS MiB'.padStart(13)}\n`,
  );
  try {
    for (const size of sizes.length > 0 ? sizes : [1_000_000, 3_000_000]) {
      const path = await generate(size);
      const url = await freshDatabase();
      const stored = measure('store', path, url);
      stores.push(stored);
      printRun('store', stored);
      const again = measure('store', path, url);
      printRun('again', again);
      if (stored.stored !== stored.calls || again.stored !== 0) {
        ok = false;
        process.stdout.write(`FAIL  the first import must store every call and the second none\n`);
      }
      for (const mode of ['import', 'read'] as const) printRun(mode, measure(mode, path));
    }
  } finally {
    await dropDatabase();
  }
  const [smallest, largest] = [stores[0], stores[stores.length - 1]] as [Run, Run];
  const perMillion = (run: Run) => (run.seconds * 1_000_000) / run.lines;
  for (const run of stores) {
    const pass = perMillion(run) <= FLOOR_SECONDS_PER_MILLION;
    ok &&= pass;
    process.stdout.write(
      `${pass ? 'PASS' : 'FAIL'}  import-logs stored ${run.lines.toLocaleString('en-US')} lines in ${run.seconds.toFixed(1)} s = ${perMillion(run).toFixed(1)} s per million (floor ${FLOOR_SECONDS_PER_MILLION} s)\n`,
    );
  }
  process.stdout.write(
    `peak RSS of the stored import: ${largest.peakRssMiB.toFixed(0)} MiB for ${largest.lines.toLocaleString('en-US')} lines vs ${smallest.peakRssMiB.toFixed(0)} MiB for ${smallest.lines.toLocaleString('en-US')} (${(largest.peakRssMiB / smallest.peakRssMiB).toFixed(2)}×)\n`,
  );
  return ok ? 0 : 1;
}

process.exitCode = await main();
