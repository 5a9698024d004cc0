import type { AlertService } from '../alerts/alert-service.js';
import { alertKey } from '../alerts/alert-state.js';
import { hourRunKey } from '../alerts/run-key.js';
import { apiBandToJson } from '../api-detection/api-band.js';
import { evaluateApiHour } from '../api-detection/evaluate-api-hour.js';
import type { ApiFinding } from '../detection/api-finding.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ApiSeriesInfo } from '../storage/api-call-reads.js';
import type { BandStore, StoredBand } from '../storage/bands.js';
import { isMuted, type MuteStore } from '../storage/mutes.js';
import { type ApiContextDeps, forEachApiContext } from './api-context.js';
import { apiBandOfContext, nextApiBand } from './next-band.js';
import { raiseCounted } from './raise-counted.js';

const HOUR_MS = 3_600_000;

export interface ApiBatchDeps extends ApiContextDeps {
  /** The bands of each API's coming hour, stored for its ticks (api_bands). */
  readonly apiBands: BandStore;
  readonly alertService: AlertService;
  readonly mutes: MuteStore;
  readonly metrics?: Pick<Metrics, 'finding' | 'alertRaised'> | undefined;
}

/** What one batch of APIs did: every finding it computed (muted ones too), and the APIs whose trees it trained. */
export interface ApiBatchResult {
  readonly series: number;
  readonly findings: ApiFinding[];
  readonly treesTrained: number;
}

/**
 * Evaluates one hour of a batch of APIs, as `evaluateBatch` does payment series, through the same alert
 * service under the hour's run key: each API's context (`forEachApiContext`: history from its hourly rollups,
 * the hour's 10-minute blocks, the cut-off's trees, trained and stored once when missing), then the pure
 * `evaluateApiHour`. Each finding is recorded once per (series, API, metric, hour) with its alert opened or
 * merged (key source/environment/metric/api) unless a mute covers it; metrics judged normal count towards
 * their open alerts' recovery. Then it stores each API's band of the next hour (upserted: a retried batch writes
 * the same), which that hour's ticks judge its minutes against — from the context in hand, or, when the next
 * hour starts a training period, from that hour's own context.
 */
export async function evaluateApiBatch(
  deps: ApiBatchDeps,
  apis: readonly ApiSeriesInfo[],
  hourStart: Date,
  evaluatedAt: Date,
): Promise<ApiBatchResult> {
  const mutes = await deps.mutes.active(evaluatedAt);
  const runKey = hourRunKey(hourStart);
  const findings: ApiFinding[] = [];
  const normalKeys: string[] = [];
  const bands: StoredBand[] = [];
  const nextHour = new Date(hourStart.getTime() + HOUR_MS);
  const newPeriod: ApiSeriesInfo[] = [];
  const treesTrained = await forEachApiContext(deps, apis, hourStart, evaluatedAt, async (context) => {
    const { info } = context;
    const evaluation = evaluateApiHour(context.hour, context.history, context.trees, context.settings);
    for (const finding of evaluation.findings) {
      findings.push(finding);
      await raiseCounted(deps, {
        seriesId: info.seriesId,
        apiSeriesId: info.id,
        hourStart,
        finding,
        muted: isMuted(mutes, info.source, info.environment, finding.metric, info.api),
        at: evaluatedAt,
        runKey,
      });
    }
    for (const metric of evaluation.normal)
      normalKeys.push(alertKey(info.source, info.environment, metric, info.api));
    const band = nextApiBand(context, evaluation.findings, deps.retrainHours);
    if (band) bands.push({ seriesId: info.id, hourStart: nextHour, json: apiBandToJson(band) });
    else newPeriod.push(info);
  });
  await deps.alertService.recordNormal({ keys: normalKeys, hourStart, at: evaluatedAt, runKey });
  // The next hour begins a training period: its band needs that period's trees, so its own context is loaded.
  const trainedAhead = await forEachApiContext(deps, newPeriod, nextHour, evaluatedAt, (context) => {
    bands.push({
      seriesId: context.info.id,
      hourStart: nextHour,
      json: apiBandToJson(apiBandOfContext(context)),
    });
  });
  await deps.apiBands.upsert(bands);
  return { series: apis.length, findings, treesTrained: treesTrained + trainedAhead };
}
