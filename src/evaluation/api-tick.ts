import { type ApiBand, apiBandFromJson, apiBandToJson } from '../api-detection/api-band.js';
import { type ApiCounts, ZERO_API_COUNTS } from '../api-detection/api-counts.js';
import { evaluateApiTick } from '../api-detection/evaluate-api-tick.js';
import type { ApiFinding } from '../detection/api-finding.js';
import type { ApiSeriesInfo } from '../storage/api-call-reads.js';
import type { ApiCallStore } from '../storage/api-calls.js';
import { apiSettingsFor, countsOf, forEachApiContext } from './api-context.js';
import type { ApiBatchDeps } from './evaluate-api-batch.js';
import { apiBandOfContext } from './next-band.js';
import type { TickKind } from './tick-batch.js';

export interface ApiTickDeps extends ApiBatchDeps {
  /** Rolls up an API's pending minutes before a tick computes its band from its history. */
  readonly apiCalls: Pick<ApiCallStore, 'flushRollups'>;
}

/** APIs at a tick: their bands (`api_bands`), minutes (`api_call_minutes`) and the pure `evaluateApiTick`. */
export function apiTickKind(deps: ApiTickDeps): TickKind<ApiSeriesInfo, ApiBand, ApiCounts, ApiFinding> {
  return {
    bands: { store: deps.apiBands, fromJson: apiBandFromJson, toJson: apiBandToJson },

    readBlocks: async (apis, hourStart, until) =>
      new Map(
        [
          ...(await deps.apiReads.readApiBlocks(
            apis.map((a) => a.id),
            hourStart,
            until,
          )),
        ].map(([id, rows]) => [id, rows.map(countsOf)]),
      ),
    noRows: ZERO_API_COUNTS,

    lastMinutes: (ids, from, until) => deps.apiReads.lastApiMinutes(ids, from, until),

    // Their services' pending minutes rolled up first, so the hour before is in their history.
    async computeBands(apis, hourStart, at, found) {
      await deps.apiCalls.flushRollups({ seriesIds: [...new Set(apis.map((a) => a.seriesId))] });
      await forEachApiContext(deps, apis, hourStart, at, (c) => found(c.info.id, apiBandOfContext(c)));
    },

    judge: (info, windows, band) =>
      evaluateApiTick(
        { source: info.source, environment: info.environment, api: info.api, ...windows },
        band,
        apiSettingsFor(deps, info.source),
      ),

    keysOf: (info) => ({ seriesId: info.seriesId, apiSeriesId: info.id, api: info.api }),
  };
}
