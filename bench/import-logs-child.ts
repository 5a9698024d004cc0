/**
 * One measured run of bench/import-logs.ts, in a process of its own so its peak RSS is its own:
 * `import <file>` streams the file through importCallLog (reader + aggregator, chunks counted, no storage);
 * `read <file>` only reads its lines, the floor any streamed import pays. Prints one JSON line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { importCallLog } from '../src/api-calls/import-call-log.js';

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2) as [string, string];
  const started = performance.now();
  let lines = 0;
  let calls = 0;
  let chunks = 0;
  if (mode === 'read') {
    const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    for await (const _ of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) lines++;
  } else {
    const summary = await importCallLog(path, {
      source: 'bench-api',
      environment: 'production',
      window: { now: new Date('2027-01-01T00:00:00Z'), retentionDays: 400 },
      onChunk: () => {
        chunks++;
      },
    });
    if (summary.rejected.count > 0)
      throw new Error(
        `rejected ${summary.rejected.count} lines: ${JSON.stringify(summary.rejected.first[0])}`,
      );
    ({ lines, calls } = summary);
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ mode, lines, calls, chunks, seconds, peakRssMiB })}\n`);
}

await main();
