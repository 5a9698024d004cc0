import { type FlowProducer, Job, type Queue } from 'bullmq';
import { type HourRunDeps, prepareHour } from '../src/evaluation/hour-run.js';
import { jobIds } from '../src/queue/job-ids.js';
import { JOB, QUEUE } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { RunTrigger } from '../src/storage/evaluation-runs.js';
import type { SeriesInfo } from '../src/storage/sources.js';
import type { EvaluateSeriesData } from './evaluate-series.js';
import type { FinishHourData } from './finish-hour.js';

export interface EvaluateHourData {
  /** ISO start of the evaluated hour. */
  readonly hourStart: string;
  readonly trigger: RunTrigger;
  /** During catch-up: the last missed hour; finishing this hour starts the next one. */
  readonly catchUpUntil?: string | undefined;
}

export interface EvaluateHourDeps {
  readonly run: HourRunDeps;
  readonly flows: FlowProducer;
  readonly queue: Queue;
  readonly now: () => Date;
}

/**
 * `evaluate-hour`: prepares the hour (rollups, batches) and fans it out as a BullMQ flow — one `evaluate-series`
 * child per batch, which workers on any machine take, and a `finish-hour` parent that runs when all are done.
 * Every job id is derived from the hour, so a retried or duplicated trigger adds nothing twice.
 */
export function createEvaluateHourHandler(deps: EvaluateHourDeps): JobHandler {
  return async (job) => {
    const data = job.data as EvaluateHourData;
    const hourStart = new Date(data.hourStart);
    const evaluatedAt = deps.now();
    const batches = await prepareHour(deps.run, hourStart, data.trigger, evaluatedAt);
    const finishId = jobIds.finishHour(hourStart);
    if (await Job.fromId(deps.queue, finishId)) return { batches: batches.length, alreadyFannedOut: true };
    const finish: FinishHourData = { hourStart: data.hourStart, catchUpUntil: data.catchUpUntil };
    await deps.flows.add({
      name: JOB.finishHour,
      queueName: QUEUE.evaluation,
      data: finish,
      opts: { jobId: finishId },
      children: batches.map((series: SeriesInfo[], index) => ({
        name: JOB.evaluateSeries,
        queueName: QUEUE.evaluation,
        data: {
          hourStart: data.hourStart,
          evaluatedAt: evaluatedAt.toISOString(),
          series,
        } satisfies EvaluateSeriesData,
        opts: { jobId: jobIds.evaluateSeries(hourStart, index) },
      })),
    });
    return { batches: batches.length, series: batches.reduce((n, b) => n + b.length, 0) };
  };
}
