import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { PostedTimeWindow } from '../ingest/posted-time.js';
import type { CallRecord } from './aggregate-calls.js';
import { type CallLogFormat, callLogFormatOf, createLogLineParser } from './log-line.js';
import { createMinuteChunker, type LogChunk, type MinuteChunker } from './minute-chunker.js';

/** Lines a little out of order are normal in merged logs; five minutes covers buffering shippers. */
export const DEFAULT_REORDER_MINUTES = 5;
/** More distinct APIs than this and the endpoints almost certainly carry ids: the rest are refused. */
export const DEFAULT_MAX_APIS = 10_000;
const FINGERPRINT_BYTES = 64 * 1024;

export interface ImportOptions {
  readonly source: string;
  /** Environment of CSV lines, and of JSON lines that name none. */
  readonly environment: string;
  /** Lines outside it are refused, as posts would be (the CLI passes now and the retention). */
  readonly window: PostedTimeWindow;
  /** Receives each finished chunk; awaited, so storage sets the pace (and memory stays flat). */
  readonly onChunk: (chunk: LogChunk) => void | Promise<void>;
  /** Called every `progressEveryLines` lines (100,000 by default). */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  readonly progressEveryLines?: number | undefined;
  readonly reorderMinutes?: number | undefined;
  readonly maxApis?: number | undefined;
  /** Rejected lines kept with their reasons (the count covers all): 100 by default. */
  readonly keepRejected?: number | undefined;
}

export interface ImportProgress {
  readonly lines: number;
  readonly bytes: number;
  readonly calls: number;
}

export interface ImportSummary {
  readonly format: CallLogFormat;
  /** Lines read, the header included. */
  readonly lines: number;
  readonly calls: number;
  /** Distinct minutes with calls. */
  readonly minutes: number;
  /** Distinct (environment, api) pairs. */
  readonly apis: number;
  readonly chunks: number;
  readonly lateChunks: number;
  readonly firstMinuteMs: number | null;
  readonly lastMinuteMs: number | null;
  readonly rejected: { readonly count: number; readonly first: readonly RejectedLine[] };
}

export interface RejectedLine {
  readonly line: number;
  readonly reason: string;
}

/** The file is not a call log at all (its first line is neither the CSV header nor a JSON record). */
export class CallLogFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallLogFormatError';
  }
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

/** The import's state between lines; pure apart from `store`, which calls the caller's onChunk. */
function createImportRun(fileId: string, options: ImportOptions) {
  const keepRejected = options.keepRejected ?? 100;
  const maxApis = options.maxApis ?? DEFAULT_MAX_APIS;
  const context = { source: options.source, environment: options.environment, window: options.window };
  const chunker: MinuteChunker = createMinuteChunker({
    fileId,
    source: options.source,
    environment: options.environment,
    reorderMinutes: options.reorderMinutes ?? DEFAULT_REORDER_MINUTES,
    maxLateSummaries: 10_000,
  });
  let format: CallLogFormat | undefined;
  let parse: ((line: string) => CallRecord | { readonly rejected: string }) | undefined;
  const apis = new Set<string>();
  const minutes = new Set<number>();
  const rejected: RejectedLine[] = [];
  const state = {
    lines: 0,
    calls: 0,
    rejectedCount: 0,
    chunks: 0,
    lateChunks: 0,
    first: Infinity,
    last: -Infinity,
  };
  const reject = (reason: string) => {
    state.rejectedCount += 1;
    if (rejected.length < keepRejected) rejected.push({ line: state.lines, reason });
  };
  const accept = (call: CallRecord): readonly LogChunk[] => {
    const apiKey = `${call.environment}\u0000${call.api}`;
    if (!apis.has(apiKey)) {
      if (apis.size >= maxApis) {
        reject(
          `more than ${maxApis} distinct APIs: do the endpoints carry ids? ("${call.api.slice(0, 80)}")`,
        );
        return [];
      }
      apis.add(apiKey);
    }
    state.calls += 1;
    const minuteMs = Math.floor(call.atMs / 60_000) * 60_000;
    minutes.add(minuteMs);
    state.first = Math.min(state.first, minuteMs);
    state.last = Math.max(state.last, minuteMs);
    return chunker.add(call, state.lines);
  };
  return {
    get lines() {
      return state.lines;
    },
    get calls() {
      return state.calls;
    },
    line(text: string): readonly LogChunk[] {
      state.lines += 1;
      if (!parse) {
        if (text.trim() === '') return [];
        format = callLogFormatOf(text);
        if (!format) throw new CallLogFormatError(notALogMessage(state.lines));
        parse = createLogLineParser(format, context);
        if (format === 'csv') return [];
      }
      if (text.length === 0 || text.trim() === '') return [];
      const result = parse(state.lines === 1 ? text.replace(/^\uFEFF/, '') : text);
      if ('rejected' in result) {
        reject(result.rejected);
        return [];
      }
      return accept(result);
    },
    async store(chunk: LogChunk) {
      state.chunks += 1;
      if (chunk.late) state.lateChunks += 1;
      await options.onChunk(chunk);
    },
    finish: () => {
      if (!format) throw new CallLogFormatError('the file is empty: no header and no call record');
      return chunker.finish();
    },
    summary: (): ImportSummary => {
      return {
        format: format as CallLogFormat,
        lines: state.lines,
        calls: state.calls,
        minutes: minutes.size,
        apis: apis.size,
        chunks: state.chunks,
        lateChunks: state.lateChunks,
        firstMinuteMs: minutes.size > 0 ? state.first : null,
        lastMinuteMs: minutes.size > 0 ? state.last : null,
        rejected: { count: state.rejectedCount, first: rejected },
      };
    },
  };
}

function notALogMessage(line: number): string {
  return `line ${line}: the first line must be the CSV header timestamp,method,endpoint,status_code,size,response_time or a JSON call record`;
}
