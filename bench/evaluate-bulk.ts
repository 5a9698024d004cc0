import type { Pool } from '../src/storage/db.js';

/**
 * Multi-row INSERTs of tuples written as SQL text, cut into statements of at most `maxBytes` (well under
 * max_allowed_packet, 16 MiB: a bigger statement kills its pooled connection), with up to `inFlight` statements
 * running while the next one is built. Only for numbers and times this benchmark computes, never outside text.
 */
export interface BulkInserter {
  /** Queues tuples like `(1,'2026-11-01 00:00:00',3)`; waits when enough statements are in flight. */
  add(tuples: readonly string[]): Promise<void>;
  /** Sends what is left and waits for every statement. Returns the tuples inserted. */
  finish(): Promise<number>;
}

export function createBulkInserter(
  pool: Pool,
  head: string,
  options: { maxBytes?: number; inFlight?: number } = {},
): BulkInserter {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const inFlight = options.inFlight ?? 2;
  const running = new Set<Promise<unknown>>();
  let parts: string[] = [];
  let bytes = 0;
  let inserted = 0;
  let failure: unknown;

  const send = async () => {
    if (parts.length === 0) return;
    const sql = `${head} ${parts.join(',')}`;
    inserted += parts.length;
    parts = [];
    bytes = 0;
    const statement: Promise<unknown> = pool.query(sql).then(
      () => running.delete(statement),
      (error: unknown) => {
        failure ??= error;
        running.delete(statement);
      },
    );
    running.add(statement);
    while (running.size >= inFlight) await Promise.race(running);
  };
  const check = () => {
    if (failure) throw failure;
  };

  return {
    async add(tuples) {
      check();
      for (const tuple of tuples) {
        parts.push(tuple);
        bytes += tuple.length + 1;
        if (bytes >= maxBytes) await send();
      }
    },
    async finish() {
      await send();
      await Promise.all(running);
      check();
      return inserted;
    },
  };
}

/** `YYYY-MM-DD HH:MM:SS` (UTC) for epoch ms, remembered: the rows of a run share few hours and minutes. */
export function createDatetimeText(): (epochMs: number) => string {
  const cache = new Map<number, string>();
  return (epochMs) => {
    let text = cache.get(epochMs);
    if (text === undefined) {
      const iso = new Date(epochMs).toISOString();
      text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
      cache.set(epochMs, text);
    }
    return text;
  };
}
