import { createHash } from 'node:crypto';
import { addCall, type CallRecord } from './aggregate-calls.js';
import { type ApiMinute, compareText, emptyApiMinute, type MutableApiMinute } from './api-minute.js';

/**
 * The calls of one minute that an import emits together, with the key that makes storing it idempotent:
 * the storage side records the key in the same transaction that adds the minutes, and skips a chunk whose
 * key it already holds — so importing the same file again adds nothing.
 */
export interface LogChunk {
  /** `log_` + 40 hex digits (see chunkKey). */
  readonly key: string;
  readonly minuteMs: number;
  /** True when the minute had closed before these lines came (they were out of order by more than the window). */
  readonly late: boolean;
  /** 1-based line numbers of the chunk's first and last line in the file, and how many lines it holds. */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly lineCount: number;
  /** One summary per environment and api, sorted by them; they ADD to what the minute holds. */
  readonly minutes: readonly ApiMinute[];
}

export interface MinuteChunkerOptions {
  /** The file's fingerprint: sha256 of its first 64 KiB (see fileFingerprint). */
  readonly fileId: string;
  readonly source: string;
  /** The import's default environment (part of the key: the same file into another environment is other data). */
  readonly environment: string;
  /** A line up to this many minutes behind the latest minute seen still joins its (open) minute. */
  readonly reorderMinutes: number;
  /** Late lines are held until a minute closes, or until they make this many summaries. */
  readonly maxLateSummaries: number;
}

export interface MinuteChunker {
  /** Adds the call of line `line`; returns the chunks this closes (usually none), oldest minute first. */
  add(call: CallRecord, line: number): readonly LogChunk[];
  /** Closes everything still open, at the end of the file. */
  finish(): LogChunk[];
}

interface OpenMinute {
  readonly minuteMs: number;
  readonly late: boolean;
  readonly firstLine: number;
  lastLine: number;
  lineCount: number;
  readonly summaries: Map<string, MutableApiMinute>;
}

const NOTHING: readonly LogChunk[] = [];

/**
 * Aggregates a roughly time-ordered stream of calls per minute and API in memory bounded by the window, not
 * by the file: the watermark is the latest minute seen; a minute closes (is emitted) once the watermark is
 * more than `reorderMinutes` past it. A line for a closed minute is late: it goes into a late chunk of its
 * minute, emitted when the next minute closes (or when late summaries reach `maxLateSummaries`), and ADDS to
 * the minute again under its own key. Everything depends only on the lines and their order, so the same file
 * always gives the same chunks and keys.
 */
export function createMinuteChunker(options: MinuteChunkerOptions): MinuteChunker {
  const open = new Map<number, OpenMinute>();
  let late = new Map<number, OpenMinute>();
  let lateSummaries = 0;
  let watermark = Number.NEGATIVE_INFINITY;
  const windowMs = options.reorderMinutes * 60_000;

  const emit = (minute: OpenMinute): LogChunk => ({
    key: chunkKey(options, minute),
    minuteMs: minute.minuteMs,
    late: minute.late,
    firstLine: minute.firstLine,
    lastLine: minute.lastLine,
    lineCount: minute.lineCount,
    minutes: [...minute.summaries.values()].sort(
      (a, b) => compareText(a.environment, b.environment) || compareText(a.api, b.api),
    ),
  });
  const flushLate = (): LogChunk[] => {
    const chunks = [...late.values()].sort((a, b) => a.minuteMs - b.minuteMs).map(emit);
    late = new Map();
    lateSummaries = 0;
    return chunks;
  };
  const closeUpTo = (limitMs: number): LogChunk[] => {
    const closing = [...open.keys()].filter((minuteMs) => minuteMs <= limitMs).sort((a, b) => a - b);
    const chunks = closing.map((minuteMs) => emit(open.get(minuteMs) as OpenMinute));
    for (const minuteMs of closing) open.delete(minuteMs);
    return chunks.length > 0 || lateSummaries > 0 ? [...chunks, ...flushLate()] : chunks;
  };

  return {
    add(call, line) {
      const minuteMs = Math.floor(call.atMs / 60_000) * 60_000;
      let closed = NOTHING;
      if (minuteMs > watermark) {
        watermark = minuteMs;
        if (open.size > 0 || lateSummaries > 0) closed = closeUpTo(watermark - windowMs - 60_000);
      }
      const isLate = minuteMs <= watermark - windowMs - 60_000;
      const minutes = isLate ? late : open;
      let minute = minutes.get(minuteMs);
      if (!minute) {
        minute = {
          minuteMs,
          late: isLate,
          firstLine: line,
          lastLine: line,
          lineCount: 0,
          summaries: new Map(),
        };
        minutes.set(minuteMs, minute);
      }
      minute.lastLine = line;
      minute.lineCount += 1;
      const key = `${call.environment}\u0000${call.api}`;
      let summary = minute.summaries.get(key);
      if (!summary) {
        summary = emptyApiMinute(options.source, call.environment, call.api, minuteMs);
        minute.summaries.set(key, summary);
        if (isLate) lateSummaries += 1;
      }
      addCall(summary, call);
      if (isLate && lateSummaries >= options.maxLateSummaries) return [...closed, ...flushLate()];
      return closed;
    },
    finish: () => closeUpTo(Number.POSITIVE_INFINITY),
  };
}

/**
 * sha256 over what identifies a chunk's lines in its file — the file's fingerprint, the import's source and
 * environment, the minute, the first and last line numbers and the line count — as `log_` + 40 hex digits.
 * The same bytes imported again (under any file name) give the same keys, so the storage skips them; another
 * file, source or environment gives other keys. A file that grew since its import keeps its fingerprint:
 * its unchanged chunks are skipped, but the minutes at its old end close with more lines, get new keys and
 * are added again — import finished (rotated) log files.
 */
export function chunkKey(
  options: Pick<MinuteChunkerOptions, 'fileId' | 'source' | 'environment'>,
  chunk: Pick<LogChunk, 'minuteMs' | 'firstLine' | 'lastLine' | 'lineCount'>,
): string {
  const text = [
    'v1',
    options.fileId,
    options.source,
    options.environment,
    chunk.minuteMs,
    chunk.firstLine,
    chunk.lastLine,
    chunk.lineCount,
  ].join('\u0000');
  return `log_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}
