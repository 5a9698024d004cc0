/**
 * Deterministic job ids: the same piece of work always gets the same id, so BullMQ refuses to add it twice —
 * two schedulers firing the same hour enqueue one run, a retried fan-out adds no second batch. Ids are joined
 * with `_` and never contain `:` (BullMQ's separator) nor are integer strings.
 */
const HOUR_MS = 3_600_000;

/** `2026-11-21T17` for the hour starting 17:00 UTC. */
export function hourKey(hourStart: Date): string {
  return hourStart.toISOString().slice(0, 13);
}

/** `2026-11-21T1705` for a minute. */
export function minuteKey(at: Date): string {
  return at.toISOString().slice(0, 16).replace(':', '');
}

export const jobIds = {
  evaluateHour: (hourStart: Date) => `evaluate_${hourKey(hourStart)}`,
  evaluateSeries: (hourStart: Date, batch: number) => `evaluate_${hourKey(hourStart)}_${batch}`,
  finishHour: (hourStart: Date) => `finish_${hourKey(hourStart)}`,
  /** The sweep's evaluation of an hour whose run was lost, at most once per wall-clock hour of the sweep. */
  evaluateLostHour: (hourStart: Date, at: Date) => `evaluate_${hourKey(hourStart)}_sweep${hourKey(at)}`,
  trainModels: (cutoff: Date) => `train_${hourKey(cutoff)}`,
  trainSeries: (cutoff: Date, batch: number) => `train_${hourKey(cutoff)}_${batch}`,
  retention: (day: Date) => `retention_${day.toISOString().slice(0, 10)}`,
  flushRollups: (at: Date) => `flush_${minuteKey(at)}`,
  catchUp: (at: Date) => `catchup_${minuteKey(at)}`,
  notifyRun: (batchId: number) => `notifyrun_${batchId}`,
  notifyAlert: (alertId: number, revision: number) => `notify_${alertId}_${revision}`,
  emailRun: (batchId: number) => `emailrun_${batchId}`,
  emailAlert: (alertId: number, revision: number) => `email_${alertId}_${revision}`,
  emailFallback: (alertId: number, revision: number) => `fallback_${alertId}_${revision}`,
  escalate: (alertId: number) => `escalate_${alertId}`,
  slackThreadReply: (dedupeKey: string) => `reply_${dedupeKey.replace(/[^A-Za-z0-9_-]/g, '-')}`,
  announceSources: (at: Date) => `announce_${minuteKey(at)}`,
  slackChart: (alertId: number, severity: string) => `chart_${alertId}_${severity}`,
};

/**
 * The id of a job the outbox sweep adds for the `attempt`-th time: the original id first, then `<id>_r<n>`, so a
 * re-enqueue is never mistaken for (and deduplicated against) a job that already ran.
 */
export function sweptJobId(jobId: string, attempt: number | undefined): string {
  return attempt ? `${jobId}_r${attempt}` : jobId;
}

/** The start of the hour `at` falls in. */
export function floorHour(at: Date | number): Date {
  const ms = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
}

/** The hour before the one `at` falls in: what a run at 18:02 evaluates. */
export function previousHour(at: Date): Date {
  return new Date(floorHour(at).getTime() - HOUR_MS);
}
