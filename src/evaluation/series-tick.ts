import { type Band, bandFromJson, bandToJson } from '../detection/band.js';
import { evaluateTick } from '../detection/evaluate-tick.js';
import { ZERO_COUNTS } from '../detection/history.js';
import type { Finding, WindowCounts } from '../detection/types.js';
import type { Catalog } from '../storage/catalogs.js';
import type { SeriesInfo } from '../storage/sources.js';
import type { BatchDeps } from './evaluate-batch.js';
import { bandOfContext } from './next-band.js';
import { forEachSeriesContext } from './series-context.js';
import type { TickKind } from './tick-batch.js';
import { toWindowCounts } from './window-counts.js';

/** Payment series at a tick: their bands (`bands`), minutes (`minute_counts`) and the core's `evaluateTick`. */
export function seriesTickKind(deps: BatchDeps): TickKind<SeriesInfo, Band, WindowCounts, Finding> {
  return {
    bands: { store: deps.bands, fromJson: bandFromJson, toJson: bandToJson },

    async readBlocks(series, hourStart, until) {
      const catalogs = new Map(series.map((s) => [s.id, deps.catalogs.get(s.catalogId) as Catalog]));
      const rows = await deps.counts.readBlocks([...catalogs.keys()], hourStart, until);
      return new Map(
        [...rows].map(([id, blocks]) => [
          id,
          blocks.map((b) => toWindowCounts(b.slots, catalogs.get(id) as Catalog, b.minutes)),
        ]),
      );
    },
    noRows: ZERO_COUNTS,

    lastMinutes: (ids, from, until) => deps.counts.lastMinutes(ids, from, until),

    // Their pending minutes rolled up first, so the hour before is in their history.
    async computeBands(series, hourStart, at, found) {
      await deps.counts.flushRollups({ seriesIds: series.map((s) => s.id) });
      await forEachSeriesContext(deps, series, hourStart, at, (c) => found(c.info.id, bandOfContext(c)));
    },

    judge: (info, windows, band) =>
      evaluateTick(
        { source: info.source, environment: info.environment, ...windows },
        band,
        deps.profileOf(info.source).settings,
      ),

    keysOf: (info) => ({ seriesId: info.id }),
  };
}
