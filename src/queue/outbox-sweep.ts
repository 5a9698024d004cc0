import type { AlertNotifications } from '../alerts/notifications.js';
import type { Logger } from '../logger.js';
import type { DeliveryStore, OwedDelivery } from '../storage/deliveries.js';
import type { EvaluationRunStore } from '../storage/evaluation-runs.js';
import type { ChartUploadStore } from '../storage/slack-chart-uploads.js';
import { addChangeJob, addChartJob, addRunJob, deliveryJobOf } from './delivery-jobs.js';
import { floorHour, jobIds, previousHour, sweptJobId } from './job-ids.js';
import type { JobQueue } from './job-queue.js';
import { JOB } from './names.js';

const HOUR_MS = 3_600_000;
/** A change still owed this long after it became due, whose job is not waiting or running, is enqueued again. */
export const OWED_AFTER_MS = 2 * 60_000;
/** A run still holding changes this long after it made them died without finishing: they are released. */
export const HELD_AFTER_MS = 30 * 60_000;
/** An hour's run should be over this long after it was scheduled (the grace minutes after the hour). */
export const RUN_SETTLES_MS = 10 * 60_000;
/** Rows one sweep looks at (oldest first); the rest wait for the next minute. */
const SWEEP_ROWS = 500;

export interface SweepDeps {
  readonly deliveries: Pick<DeliveryStore, 'heldRuns' | 'owed' | 'countSweep'>;
  readonly runs: Pick<EvaluationRunStore, 'earliest' | 'finishedBetween'>;
  readonly notifications: Pick<AlertNotifications, 'runFinished'>;
  /** Chart uploads owed to Slack card threads; undefined when Slack is off (nothing would take them). */
  readonly chartUploads?: Pick<ChartUploadStore, 'owed' | 'countSweep'> | undefined;
  readonly jobs: JobQueue;
  /** Minutes after each hour its evaluation is scheduled; hours missed within `lookBackHours` are evaluated. */
  readonly evaluation: { readonly graceMinutes: number; readonly lookBackHours: number };
  readonly logger: Logger;
  readonly now: () => Date;
}

/** What one sweep did: runs it released, jobs it enqueued again, the lost hour it started evaluating. */
export interface SweepResult {
  readonly released: readonly string[];
  readonly requeued: readonly string[];
  readonly evaluating: string | undefined;
}

/**
 * The outbox sweep (the scheduler runs it every minute): MySQL is the source of truth, Redis only carries work.
 * It (1) releases the changes of runs that died before finishing, (2) enqueues again every change still owed a
 * while after it became due whose job is no longer in Redis (a restart without persistence, a failover, an
 * eviction) or ran without marking it delivered, and (3) starts the oldest hour whose evaluation never finished
 * (evaluation_runs). Re-enqueued jobs get new ids (`_r<n>`); the jobs' own idempotency (Slack message keys,
 * email claims) keeps delivery exactly once however often this runs, on however many schedulers.
 */
export async function sweepOutbox(deps: SweepDeps): Promise<SweepResult> {
  const released = await releaseDeadRuns(deps);
  const requeued = [...(await requeueOwed(deps)), ...(await requeueCharts(deps))];
  const evaluating = await evaluateLostHour(deps);
  if (released.length + requeued.length > 0 || evaluating)
    deps.logger.info({ released, requeued, evaluating }, 'outbox sweep: re-enqueued work Redis did not hold');
  return { released, requeued, evaluating };
}

async function releaseDeadRuns(deps: SweepDeps): Promise<string[]> {
  const runs = await deps.deliveries.heldRuns(new Date(deps.now().getTime() - HELD_AFTER_MS));
  for (const runKey of runs) await deps.notifications.runFinished(runKey);
  return runs;
}

async function requeueOwed(deps: SweepDeps): Promise<string[]> {
  const owed = await deps.deliveries.owed(new Date(deps.now().getTime() - OWED_AFTER_MS), SWEEP_ROWS);
  const requeued: string[] = [];
  for (const rows of groupByJob(owed)) {
    const first = rows[0] as OwedDelivery;
    const sweeps = Math.max(...rows.map((r) => r.sweeps));
    const current = deliveryJobOf(first, sweeps);
    if (await deps.jobs.isPending(current.name, current.jobId)) continue;
    // Another scheduler's sweep may have got here first: only the one that counts the sweep enqueues.
    if (
      !(await deps.deliveries.countSweep(
        rows.map((r) => r.id),
        sweeps,
      ))
    )
      continue;
    const attempt = sweeps + 1;
    if (first.batchId !== null && first.channel !== 'escalate')
      await addRunJob(deps.jobs, first.channel, first.batchId, attempt);
    else await addChangeJob(deps.jobs, first, { attempt });
    requeued.push(deliveryJobOf(first, attempt).jobId);
  }
  return requeued;
}

/** Chart uploads still owed a while after they were, whose job Redis no longer holds (or that ran and died). */
async function requeueCharts(deps: SweepDeps): Promise<string[]> {
  if (!deps.chartUploads) return [];
  const owed = await deps.chartUploads.owed(new Date(deps.now().getTime() - OWED_AFTER_MS), SWEEP_ROWS);
  const requeued: string[] = [];
  for (const row of owed) {
    const current = sweptJobId(jobIds.slackChart(row.alertId, row.severity), row.sweeps);
    if (await deps.jobs.isPending(JOB.slackChart, current)) continue;
    if (!(await deps.chartUploads.countSweep(row, row.sweeps))) continue;
    await addChartJob(deps.jobs, row, row.sweeps + 1);
    requeued.push(sweptJobId(jobIds.slackChart(row.alertId, row.severity), row.sweeps + 1));
  }
  return requeued;
}

/** Owed rows grouped by the job that delivers them (a batch's rows of one channel share one job). */
function groupByJob(owed: readonly OwedDelivery[]): OwedDelivery[][] {
  const groups = new Map<string, OwedDelivery[]>();
  for (const row of owed) {
    const key = deliveryJobOf(row).jobId;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

/**
 * Every hour must be evaluated, even when Redis lost its job or flow: the oldest hour within the look-back
 * (and not before the first run ever) whose run has not finished, once its scheduled run should be over, is
 * enqueued again — one hour per sweep, oldest first, since each hour's findings are history for the next.
 */
async function evaluateLostHour(deps: SweepDeps): Promise<string | undefined> {
  const { graceMinutes, lookBackHours } = deps.evaluation;
  const now = deps.now();
  const first = await deps.runs.earliest();
  if (lookBackHours <= 0 || !first) return undefined;
  const last = previousHour(new Date(now.getTime() - graceMinutes * 60_000 - RUN_SETTLES_MS));
  const from = Math.max(floorHour(first).getTime(), last.getTime() - (lookBackHours - 1) * HOUR_MS);
  const done = new Set((await deps.runs.finishedBetween(new Date(from), last)).map((d) => d.getTime()));
  let hour = from;
  while (hour <= last.getTime() && done.has(hour)) hour += HOUR_MS;
  if (hour > last.getTime()) return undefined;
  const hourStart = new Date(hour);
  if (await isUnderWay(deps.jobs, hourStart)) return undefined;
  const jobId = jobIds.evaluateLostHour(hourStart, now);
  await deps.jobs.add(JOB.evaluateHour, { hourStart: hourStart.toISOString(), trigger: 'sweep' }, { jobId });
  return jobId;
}

/**
 * Whether the hour's run is waiting or running in Redis. A flow that ended without finishing the run (a batch
 * failed for good) is removed, so that evaluating the hour again fans out afresh.
 */
async function isUnderWay(jobs: JobQueue, hourStart: Date): Promise<boolean> {
  if (await jobs.isPending(JOB.evaluateHour, jobIds.evaluateHour(hourStart))) return true;
  const finish = await jobs.get(JOB.finishHour, jobIds.finishHour(hourStart));
  if (!finish) return false;
  if (await jobs.isPending(JOB.finishHour, jobIds.finishHour(hourStart))) return true;
  await finish.remove();
  return false;
}
