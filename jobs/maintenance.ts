import type { JOB } from '../src/queue/names.js';
import type { JobHandler } from '../src/queue/workers.js';
import type { ApiCallStore } from '../src/storage/api-calls.js';
import type { ApiModelStore } from '../src/storage/api-models.js';
import type { BandStore } from '../src/storage/bands.js';
import type { CountStore } from '../src/storage/counts.js';
import type { DeliveryStore } from '../src/storage/deliveries.js';
import type { ModelStore } from '../src/storage/models.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Finished outbox rows (delivered, or given up on) are kept this long: the record of what went where. */
export const DELIVERY_KEEP_DAYS = 30;
/** Bands (what the hourly run expects of an hour, for its ticks) are needed for one hour; a few days are kept to look into. */
export const BAND_KEEP_DAYS = 3;

/**
 * `retention`: deletes minutes older than the minute retention (35 days by default), rollups older than the
 * rollup retention (400 days), trees two training periods old — of counts and of API calls (whose log and
 * import keys go with their minutes) — finished outbox rows after DELIVERY_KEEP_DAYS and bands (of series and of APIs) after BAND_KEEP_DAYS. Rollups are flushed
 * first so no minute is deleted before its hour is rolled up.
 */
export function createRetentionHandler(deps: {
  counts: CountStore;
  apiCalls: Pick<ApiCallStore, 'flushRollups' | 'deleteExpired'>;
  models: ModelStore;
  bands: Pick<BandStore, 'deleteBefore'>;
  apiBands?: Pick<BandStore, 'deleteBefore'> | undefined;
  apiModels?: Pick<ApiModelStore, 'deleteOlderThan'> | undefined;
  deliveries: Pick<DeliveryStore, 'purge'>;
  retention: { minuteDays: number; rollupDays: number };
  retrainHours: number;
  now: () => Date;
}): JobHandler<typeof JOB.retention> {
  return async () => {
    const now = deps.now().getTime();
    const cutoffs = {
      minutesBefore: new Date(now - deps.retention.minuteDays * DAY_MS),
      hoursBefore: new Date(now - deps.retention.rollupDays * DAY_MS),
    };
    await deps.counts.flushRollups();
    const deleted = await deps.counts.deleteExpired(cutoffs);
    await deps.apiCalls.flushRollups();
    const api = await deps.apiCalls.deleteExpired(cutoffs);
    const treesBefore = new Date(now - 2 * deps.retrainHours * HOUR_MS);
    const models = await deps.models.deleteOlderThan(treesBefore);
    const apiModels = (await deps.apiModels?.deleteOlderThan(treesBefore)) ?? 0;
    const deliveries = await deps.deliveries.purge(new Date(now - DELIVERY_KEEP_DAYS * DAY_MS));
    const bandsBefore = new Date(now - BAND_KEEP_DAYS * DAY_MS);
    const bands = await deps.bands.deleteBefore(bandsBefore);
    const apiBands = (await deps.apiBands?.deleteBefore(bandsBefore)) ?? 0;
    return {
      ...deleted,
      models,
      bands,
      apiBands,
      apiModels,
      deliveries,
      apiMinutes: api.minutes,
      apiHours: api.hours,
      apiBatches: api.batches,
    };
  };
}

/**
 * `flush-rollups`: recomputes the rollups of hours whose minutes changed (counts and API calls), so /rates,
 * /api-calls and evaluation stay cheap.
 */
export function createFlushRollupsHandler(deps: {
  counts: CountStore;
  apiCalls: Pick<ApiCallStore, 'flushRollups'>;
}): JobHandler<typeof JOB.flushRollups> {
  return async () => ({
    hours: await deps.counts.flushRollups(),
    apiHours: await deps.apiCalls.flushRollups(),
  });
}
