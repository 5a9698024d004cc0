/**
 * Run keys name an evaluation run's window: `hour_2026-11-21T17` for the hourly evaluation of [17:00, 18:00)
 * UTC, `tick_2026-11-21T1705` for a check between the hourly runs at 17:05 UTC. Alert changes an evaluation
 * makes are held under its run key and delivered together when the run finishes (so a storm becomes a digest);
 * an hour evaluated again is another run with the same key, whose new changes form a batch of their own.
 * Run keys contain no `:` (they appear in job ids and message keys).
 */
export type RunKind = 'hour' | 'tick';

/** `hour_2026-11-21T17`: the run key of the evaluation of the hour starting `hourStart` (UTC). */
export function hourRunKey(hourStart: Date): string {
  return `hour_${hourStart.toISOString().slice(0, 13)}`;
}

/** `tick_2026-11-21T1705`: the run key of a check between the hourly runs, at minute `at` (UTC). */
export function tickRunKey(at: Date): string {
  return `tick_${at.toISOString().slice(0, 16).replace(':', '')}`;
}

/** The kind and start of the window a run key names; undefined for a string that is no run key. */
export function parseRunKey(runKey: string): { kind: RunKind; start: Date } | undefined {
  const hour = /^hour_(\d{4}-\d{2}-\d{2}T\d{2})$/.exec(runKey);
  if (hour) return { kind: 'hour', start: new Date(`${hour[1]}:00:00Z`) };
  const tick = /^tick_(\d{4}-\d{2}-\d{2}T\d{2})(\d{2})$/.exec(runKey);
  if (tick) return { kind: 'tick', start: new Date(`${tick[1]}:${tick[2]}:00Z`) };
  return undefined;
}
