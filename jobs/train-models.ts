import { SERIES_PER_BATCH } from '../src/evaluation/hour-run.js';
import { type ContextDeps, forEachSeriesContext } from '../src/evaluation/series-context.js';
import { jobIds } from '../src/queue/job-ids.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { CountStore } from '../src/storage/counts.js';
import type { SourceStore } from '../src/storage/sources.js';

const DAY_MS = 86_400_000;

/**
 * `train-models`: the scheduled retraining at each cut-off (daily by default). Fans out one `train-series` job
 * per batch of active series, so workers on every machine share it. Hourly evaluations train any tree still
 * missing on the same history, so this job only moves the work off the hour.
 */
export function createTrainModelsHandler(deps: {
  sources: SourceStore;
  counts: CountStore;
  jobs: JobQueue;
  activeDays: number;
}): JobHandler<typeof JOB.trainModels> {
  return async ({ data: { cutoff } }) => {
    const at = new Date(cutoff);
    // Trees learn from hourly rollups: bring them up to date with every minute posted so far.
    await deps.counts.flushRollups();
    const series = await deps.sources.listActiveSeries(new Date(at.getTime() - deps.activeDays * DAY_MS));
    const batches = [];
    for (let i = 0; i < series.length; i += SERIES_PER_BATCH) {
      batches.push({
        data: { cutoff, series: series.slice(i, i + SERIES_PER_BATCH) },
        opts: { jobId: jobIds.trainSeries(at, i / SERIES_PER_BATCH) },
      });
    }
    await deps.jobs.addBulk(JOB.trainSeries, batches);
    return { series: series.length, batches: batches.length };
  };
}

/** `train-series`: trains (and stores) the trees of one batch of series at the cut-off, if not trained yet. */
export function createTrainSeriesHandler(deps: ContextDeps): JobHandler<typeof JOB.trainSeries> {
  return async ({ data: { cutoff, series } }) => {
    const at = new Date(cutoff);
    // Building each context trains what is missing; nothing else is needed from it, so none is kept.
    const trained = await forEachSeriesContext(deps, series, at, at, () => undefined);
    return { series: series.length, trained };
  };
}
