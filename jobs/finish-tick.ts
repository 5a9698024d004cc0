import { addTickTotals, finishTick, type TickRunDeps } from '../src/evaluation/tick-run.js';
import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';

/**
 * `finish-tick`: runs once every batch of the tick is done; hands the tick's alert changes to notifications as
 * one batch (`runFinished`: only changes not released yet, so a second finish releases nothing).
 */
export function createFinishTickHandler(deps: {
  run: Pick<TickRunDeps, 'alertService' | 'metrics'>;
  now: () => Date;
}): JobHandler<typeof JOB.finishTick> {
  return async (job) => {
    const { data } = job;
    // The children are this tick's evaluate-tick-series jobs.
    const totals = addTickTotals(
      Object.values(await job.getChildrenValues<{ series: number; findings: number }>()),
    );
    await finishTick(deps.run, new Date(data.at), new Date(data.evaluatedAt), totals, deps.now());
    return totals;
  };
}
