/**
 * `npx tsx bench/import-logs.ts [lines…]` (default 1000000 3000000) — the import-logs reader and aggregator
 * without storage: for each size, a CSV call log is generated once into .tmp/bench-import/ (about 50 bytes a
 * line, ~40 APIs, 4,000 calls a minute, a line in 500 up to 9 minutes late, 1 % timeouts, some quoted
 * endpoints), then one child process imports it and another only reads its lines. Prints seconds, lines/s
 * and peak RSS of each, and how peak RSS grows from the smallest file to the largest (flat: about 1×).
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join('.tmp', 'bench-import');
const HEADER = 'timestamp,method,endpoint,status_code,size,response_time';
const START_MS = Date.parse('2026-11-01T00:00:00Z');
const PER_MINUTE = 4000;

interface Run {
  readonly mode: string;
  readonly lines: number;
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

function measure(mode: 'import' | 'read', path: string): Run {
  const child = fileURLToPath(new URL('./import-logs-child.ts', import.meta.url));
  const output = execFileSync(process.execPath, [...process.execArgv, child, mode, path], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').pop() as string) as Run;
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  const runs: Run[] = [];
  process.stdout.write(
    `${'run'.padEnd(8)} ${'lines'.padStart(10)} ${'seconds'.padStart(8)} ${'lines/s'.padStart(10)} ${'peak RSS MiB'.padStart(13)}\n`,
  );
  for (const size of sizes.length > 0 ? sizes : [1_000_000, 3_000_000]) {
    const path = await generate(size);
    for (const mode of ['import', 'read'] as const) {
      const run = measure(mode, path);
      runs.push(run);
      const rate = Math.round(run.lines / run.seconds).toLocaleString('en-US');
      process.stdout.write(
        `${mode.padEnd(8)} ${run.lines.toLocaleString('en-US').padStart(10)} ${run.seconds.toFixed(2).padStart(8)} ${rate.padStart(10)} ${run.peakRssMiB.toFixed(0).padStart(13)}\n`,
      );
    }
  }
  const imports = runs.filter((run) => run.mode === 'import');
  const [smallest, largest] = [imports[0], imports[imports.length - 1]] as [Run, Run];
  process.stdout.write(
    `peak RSS of the import: ${largest.peakRssMiB.toFixed(0)} MiB for ${largest.lines.toLocaleString('en-US')} lines vs ${smallest.peakRssMiB.toFixed(0)} MiB for ${smallest.lines.toLocaleString('en-US')} (${(largest.peakRssMiB / smallest.peakRssMiB).toFixed(2)}×)\n`,
  );
}

await main();
