import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { MAX_FUTURE_MINUTES } from './parse-counts.js';

/** What bounds a posted time: the server's clock when the request arrived, and the retention. */
export interface PostedTimeWindow {
  readonly now: Date;
  /** Data older than this many days is refused: the retention clean-up would delete it. */
  readonly retentionDays: number;
}

const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
export const ISO_TIME_MESSAGE = 'must be an ISO-8601 time with a zone, such as "2026-11-21T18:04:00Z"';

let lastText = '';
let lastMs = Number.NaN;

/** Epoch ms of an ISO-8601 time with a zone, or NaN; the last answer is kept, as batch items share minutes. */
export function isoTimeMs(text: string): number {
  if (text !== lastText) {
    lastMs = ISO_PATTERN.test(text) ? Date.parse(text) : Number.NaN;
    lastText = text;
  }
  return lastMs;
}

/**
 * A posted minute (epoch ms), checked with the rules and words of `POST /v1/counts`: ISO-8601 with a zone,
 * on a whole minute, at most 2 minutes ahead, not older than the retention. Undefined (and a problem) if not.
 */
export function checkPostedMinute(
  text: string,
  path: string,
  window: PostedTimeWindow,
  problems: Problem[],
): number | undefined {
  return checkPostedInstant(text, path, window, problems, true);
}

/** As checkPostedMinute, for an instant inside a minute (a call's `at`) unless `wholeMinute`. */
export function checkPostedInstant(
  text: string,
  path: string,
  window: PostedTimeWindow,
  problems: Problem[],
  wholeMinute = false,
): number | undefined {
  const message = postedTimeProblem(isoTimeMs(text), window, wholeMinute);
  if (message === undefined) return isoTimeMs(text);
  problems.push({ path, message });
  return undefined;
}

/** What is wrong with a posted time (epoch ms, NaN when unreadable), or undefined. */
export function postedTimeProblem(ms: number, window: PostedTimeWindow, wholeMinute: boolean) {
  if (Number.isNaN(ms)) return ISO_TIME_MESSAGE;
  if (wholeMinute && ms % 60_000 !== 0) return 'must be on a whole minute (seconds and milliseconds 0)';
  if (ms > window.now.getTime() + MAX_FUTURE_MINUTES * 60_000)
    return `must not be more than ${MAX_FUTURE_MINUTES} minutes in the future`;
  if (ms < window.now.getTime() - window.retentionDays * 86_400_000)
    return `must not be older than the ${window.retentionDays}-day retention`;
  return undefined;
}

/** zod's issues as problems under `base`; an unknown key becomes "<path>.<key>: is not a known field". */
export function zodProblems(error: z.ZodError, base: string): Problem[] {
  return error.issues.flatMap((issue): Problem[] => {
    const path = issue.path.reduce<string>((acc, key) => joinPath(acc, key), base);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath(path, key), message: 'is not a known field' }));
    }
    return [{ path: path || 'body', message: issue.message }];
  });
}

/** `items[3]` + `calls` → `items[3].calls`; a number key → `[n]`. */
export function joinPath(base: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${String(key)}` : String(key);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
