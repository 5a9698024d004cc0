import type { Queue } from 'bullmq';
import { SERIES_PER_BATCH } from '../src/evaluation/hour-run.js';
import { type ContextDeps, forEachSeriesContext } from '../src/evaluation/series-context.js';
import { jobIds } from '../src/queue/job-ids.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { CountStore } from '../src/storage/counts.js';
import type { SeriesInfo, SourceStore } from '../src/storage/sources.js';

const DAY_MS = 86_400_000;

export interface TrainModelsData {
  /** ISO training cut-off: trees learn from the history before it. */
  readonly cutoff: string;
}

export interface TrainSeriesData {
  readonly cutoff: string;
  readonly series: readonly SeriesInfo[];
}

/**
 * `train-models`: the scheduled retraining at each cut-off (daily by default). Fans out one `train-series` job
 * per batch of active series, so workers on every machine share it. Hourly evaluations train any tree still
 * missing on the same history, so this job only moves the work off the hour.
 */
export function createTrainModelsHandler(deps: {
  sources: SourceStore;
  counts: CountStore;
  queue: Queue;
  activeDays: number;
}): JobHandler {
  return async (job) => {
    const { cutoff } = job.data as TrainModelsData;
    const at = new Date(cutoff);
    // Trees learn from hourly rollups: bring them up to date with every minute posted so far.
    await deps.counts.flushRollups();
    const series = await deps.sources.listActiveSeries(new Date(at.getTime() - deps.activeDays * DAY_MS));
    const jobs = [];
    for (let i = 0; i < series.length; i += SERIES_PER_BATCH) {
      const data: TrainSeriesData = { cutoff, series: series.slice(i, i + SERIES_PER_BATCH) };
      jobs.push({
        name: JOB.trainSeries,
        data,
        opts: { jobId: jobIds.trainSeries(at, i / SERIES_PER_BATCH) },
      });
    }
    await deps.queue.addBulk(jobs);
    return { series: series.length, batches: jobs.length };
  };
}

/** `train-series`: trains (and stores) the trees of one batch of series at the cut-off, if not trained yet. */
export function createTrainSeriesHandler(deps: ContextDeps): JobHandler {
  return async (job) => {
    const { cutoff, series } = job.data as TrainSeriesData;
    const at = new Date(cutoff);
    // Building each context trains what is missing; nothing else is needed from it, so none is kept.
    const trained = await forEachSeriesContext(deps, series, at, at, () => undefined);
    return { series: series.length, trained };
  };
}
