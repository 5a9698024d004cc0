import { type ImportProgress, type ImportSummary, importCallLog } from '../api-calls/import-call-log.js';
import type { LogChunk } from '../api-calls/minute-chunker.js';
import type { ApiCallStore } from '../storage/api-calls.js';
import type { Source } from '../storage/sources.js';
import { apiMinuteRows, type RowDirectories } from './api-minute-rows.js';

export interface StoreCallLogDeps extends RowDirectories {
  readonly store: Pick<ApiCallStore, 'addBatchesOnce'>;
}

export interface StoreCallLogOptions {
  readonly path: string;
  readonly source: Source;
  /** Environment of CSV lines, and of JSON lines that name none. */
  readonly environment: string;
  /** Lines outside [now − retention, now + 2 min] are refused, as posts would be. */
  readonly now: Date;
  readonly retentionDays: number;
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
}

export interface StoredCallLog {
  readonly summary: ImportSummary;
  /** Chunks (a minute's lines emitted together) whose minutes were added now, and the calls they held. */
  readonly stored: { readonly chunks: number; readonly calls: number };
  /** Chunks whose key an earlier import of the same file had applied: nothing added. */
  readonly skipped: { readonly chunks: number; readonly calls: number };
}

/** Chunks stored per transaction, or fewer when their minutes of APIs reach MAX_ROWS first. */
const CHUNKS_PER_WRITE = 50;
const MAX_ROWS = 5000;

/**
 * `import-logs`: streams a call log through importCallLog and stores each chunk like a log post that carries
 * the chunk's key — its minutes are added, and its key recorded, in one transaction, unless an earlier import
 * applied that key — so importing the same file again changes nothing. Chunks are written in groups, and the
 * reader waits for each write, so memory stays bounded by the reorder window whatever the file's length.
 */
export async function storeCallLog(
  deps: StoreCallLogDeps,
  options: StoreCallLogOptions,
): Promise<StoredCallLog> {
  const sources = new Map([[options.source.name, options.source]]);
  const stored = { chunks: 0, calls: 0 };
  const skipped = { chunks: 0, calls: 0 };
  let pending: LogChunk[] = [];
  let pendingRows = 0;
  const write = async () => {
    if (pending.length === 0) return;
    const chunks = pending;
    pending = [];
    pendingRows = 0;
    const rows = await apiMinuteRows(
      deps,
      chunks.flatMap((chunk) => chunk.minutes),
      sources,
    );
    let next = 0;
    const batches = chunks.map((chunk) => {
      const batch = { key: chunk.key, bodyHash: null, rows: rows.slice(next, next + chunk.minutes.length) };
      next += chunk.minutes.length;
      return batch;
    });
    const outcomes = await deps.store.addBatchesOnce(batches);
    outcomes.forEach((outcome, i) => {
      const tally = outcome === 'applied' ? stored : skipped;
      tally.chunks += 1;
      tally.calls += chunks[i]?.lineCount ?? 0;
    });
  };
  const summary = await importCallLog(options.path, {
    source: options.source.name,
    environment: options.environment,
    window: { now: options.now, retentionDays: options.retentionDays },
    onProgress: options.onProgress,
    onChunk: async (chunk) => {
      pending.push(chunk);
      pendingRows += chunk.minutes.length;
      if (pending.length >= CHUNKS_PER_WRITE || pendingRows >= MAX_ROWS) await write();
    },
  });
  await write();
  return { summary, stored, skipped };
}
