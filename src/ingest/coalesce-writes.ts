/** A function that stores rows all-or-nothing, e.g. CountStore.upsertMinutes. */
export type WriteRows<Row> = (rows: readonly Row[]) => Promise<void>;

export interface CoalesceOptions {
  /** Most writes in flight at once (each holds one database connection while it runs). */
  readonly lanes: number;
  /** Calls are merged while their rows add up to at most this many; a bigger call is written on its own. */
  readonly maxRows: number;
}

interface Pending<Row> {
  readonly rows: readonly Row[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Wraps `write` so that concurrent calls share writes: at most `lanes` writes run at a time, and the calls
 * that queue up meanwhile are written together by the next free lane, oldest first. A call is never split:
 * it resolves, or rejects with the merged write's error, exactly when the one write that carried its rows
 * does, so each call stays all-or-nothing. When calls do not overlap, each is written at once, on its own.
 *
 * Why: a single-minute post is one row, and a transaction per row (BEGIN, two INSERTs, COMMIT) made ingest
 * bound by database round trips and commits; merged, a steady stream of posts costs a few rows per commit.
 */
export function coalesceWrites<Row>(write: WriteRows<Row>, options: CoalesceOptions): WriteRows<Row> {
  const queue: Pending<Row>[] = [];
  let running = 0;

  const takeGroup = (): Pending<Row>[] => {
    const group = [queue.shift() as Pending<Row>];
    let rows = group[0]?.rows.length ?? 0;
    while (queue.length > 0 && rows + (queue[0]?.rows.length ?? 0) <= options.maxRows) {
      const next = queue.shift() as Pending<Row>;
      rows += next.rows.length;
      group.push(next);
    }
    return group;
  };

  const pump = (): void => {
    while (running < options.lanes && queue.length > 0) {
      const group = takeGroup();
      running++;
      const rows = group.length === 1 ? (group[0]?.rows ?? []) : group.flatMap((call) => call.rows);
      write(rows)
        .then(
          () => {
            for (const call of group) call.resolve();
          },
          (error: unknown) => {
            for (const call of group) call.reject(error);
          },
        )
        .finally(() => {
          running--;
          pump();
        });
    }
  };

  return (rows) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ rows, resolve, reject });
      pump();
    });
}
