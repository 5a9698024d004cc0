/** A generated minute of either kind (a source's counts, or one API's calls). */
interface Row {
  readonly minuteMs: number;
}

/** A row as its ingest body's batch item. */
export type ToItem<T> = (row: T) => Record<string, unknown>;

const MINUTE_MS = 60_000;
const BATCH = 5000;

/** Posts a batch of items to POST /v1/counts (or /v1/api-calls). */
export type Post = (items: Record<string, unknown>[]) => Promise<void>;

export function postTo(baseUrl: string, token: string, path = '/v1/counts'): Post {
  return async (items) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    if (response.status !== 202)
      throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  };
}

/** Posts every row before `until` in batches, with a progress line; returns the first row at or after it. */
export async function backfill<T extends Row>(
  rows: Generator<T>,
  until: number,
  post: Post,
  write: (text: string) => void,
  toItem: ToItem<T>,
  noun = 'source-minutes',
): Promise<T> {
  let batch: Record<string, unknown>[] = [];
  let posted = 0;
  for (let next = rows.next(); !next.done; next = rows.next()) {
    if (next.value.minuteMs >= until) {
      if (batch.length > 0) await post(batch);
      write(`\r      ${(posted + batch.length).toLocaleString('en-US')} ${noun} posted\n`);
      return next.value;
    }
    batch.push(toItem(next.value));
    if (batch.length === BATCH) {
      await post(batch);
      posted += batch.length;
      batch = [];
      // A progress line that rewrites itself only makes sense on a terminal.
      if (process.stdout.isTTY) write(`\r      ${posted.toLocaleString('en-US')} ${noun} posted`);
    }
  }
  throw new Error('the demo traffic ended before the live hour');
}

/**
 * Posts live minutes: quickly until the stream catches up with the clock, then one minute as each ends.
 * `caughtUpWith(t)` resolves once every minute before t is posted.
 */
export function streamLive<T extends Row>(
  first: T,
  rows: Generator<T>,
  post: Post,
  speed: number,
  toItem: ToItem<T>,
) {
  const waiters: { until: number; resolve: () => void }[] = [];
  let postedUntil = 0;
  let stopped = false;
  let wake: () => void = () => undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const done = (async () => {
    let pending = first;
    while (!stopped) {
      const minute = pending.minuteMs;
      const batch = [toItem(pending)];
      for (let next = rows.next(); !next.done; next = rows.next()) {
        if (next.value.minuteMs !== minute) {
          pending = next.value;
          break;
        }
        batch.push(toItem(next.value));
      }
      const dueAt = minute + MINUTE_MS;
      const wait = dueAt > Date.now() ? dueAt - Date.now() : 1000 / speed;
      await sleep(wait);
      if (stopped) return;
      await post(batch);
      postedUntil = minute + MINUTE_MS;
      for (const w of waiters.filter((w) => postedUntil >= w.until)) w.resolve();
    }
  })();
  return {
    done,
    /** Ends the stream now, even in the middle of waiting for the next minute. */
    stop: () => {
      stopped = true;
      wake();
    },
    caughtUpWith: (until: number) =>
      postedUntil >= until
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ until, resolve })),
  };
}
