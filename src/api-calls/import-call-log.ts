import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createImportRun, type ImportRunOptions, type ImportSummary } from './import-run.js';

export {
  CallLogFormatError,
  DEFAULT_MAX_APIS,
  DEFAULT_REORDER_MINUTES,
  type ImportSummary,
  type RejectedLine,
} from './import-run.js';

const FINGERPRINT_BYTES = 64 * 1024;

export interface ImportOptions extends ImportRunOptions {
  /** Called every `progressEveryLines` lines (100,000 by default). */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly progressEveryLines?: number | undefined;
}

export interface ImportProgress {
  readonly lines: number;
  readonly bytes: number;
  readonly calls: number;
}

/**
 * Streams a call log (CSV with the header `timestamp,method,endpoint,status_code,size,response_time`, or
 * JSON lines of call records, told apart by the first line), aggregates it per minute and API in memory
 * bounded by the reorder window, hands each finished minute to `onChunk` with its idempotency key, and
 * returns the summary. Bad lines are counted, not fatal; a file that is no call log throws CallLogFormatError.
 */
export async function importCallLog(path: string, options: ImportOptions): Promise<ImportSummary> {
  const fileId = await fileFingerprint(path);
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let bytes = 0;
  input.on('data', (chunk) => {
    bytes += Buffer.byteLength(chunk);
  });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const run = createImportRun(fileId, options);
  try {
    for await (const line of lines) {
      const chunks = run.line(line);
      for (const chunk of chunks) await run.store(chunk);
      if (run.lines % (options.progressEveryLines ?? 100_000) === 0)
        options.onProgress?.({ lines: run.lines, bytes, calls: run.calls });
    }
  } finally {
    lines.close();
    input.destroy();
  }
  for (const chunk of run.finish()) await run.store(chunk);
  return run.summary();
}

/** sha256 (first 16 hex digits) of the file's first 64 KiB: the file's identity in chunk keys. */
export async function fileFingerprint(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(FINGERPRINT_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, FINGERPRINT_BYTES, 0);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex').slice(0, 16);
  } finally {
    await handle.close();
  }
}
