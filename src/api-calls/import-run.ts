import type { PostedTimeWindow } from '../ingest/posted-time.js';
import type { CallRecord } from './aggregate-calls.js';
import { type CallLogFormat, callLogFormatOf, createLogLineParser } from './log-line.js';
import { createMinuteChunker, type LogChunk, type MinuteChunker } from './minute-chunker.js';

/** Lines a little out of order are normal in merged logs; five minutes covers buffering shippers. */
export const DEFAULT_REORDER_MINUTES = 5;
/** More distinct APIs than this and the endpoints almost certainly carry ids: the rest are refused. */
export const DEFAULT_MAX_APIS = 10_000;
/** Late lines held before they are handed on anyway, so a badly ordered file cannot fill memory. */
const MAX_LATE_SUMMARIES = 10_000;

export interface ImportRunOptions {
  readonly source: string;
  /** Environment of CSV lines, and of JSON lines that name none. */
  readonly environment: string;
  /** Lines outside it are refused, as posts would be (the CLI passes now and the retention). */
  readonly window: PostedTimeWindow;
  /** Receives each finished chunk; awaited, so storage sets the pace (and memory stays flat). */
  readonly onChunk: (chunk: LogChunk) => void | Promise<void>;
  readonly reorderMinutes?: number | undefined;
  readonly maxApis?: number | undefined;
  /** Rejected lines kept with their reasons (the count covers all): 100 by default. */
  readonly keepRejected?: number | undefined;
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
 * The import's state between lines: format detection, parsing, rejected lines, the chunker and the summary.
 * Pure apart from `store`, which calls the caller's onChunk.
 */
export function createImportRun(fileId: string, options: ImportRunOptions) {
  const keepRejected = options.keepRejected ?? 100;
  const maxApis = options.maxApis ?? DEFAULT_MAX_APIS;
  const context = { source: options.source, environment: options.environment, window: options.window };
  const chunker: MinuteChunker = createMinuteChunker({
    fileId,
    source: options.source,
    environment: options.environment,
    reorderMinutes: options.reorderMinutes ?? DEFAULT_REORDER_MINUTES,
    maxLateSummaries: MAX_LATE_SUMMARIES,
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
