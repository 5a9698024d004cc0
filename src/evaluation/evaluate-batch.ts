import type { AlertService } from '../alerts/alert-service.js';
import { alertKey } from '../alerts/alert-state.js';
import { hourRunKey } from '../alerts/run-key.js';
import { bandToJson } from '../detection/band.js';
import { evaluateHour } from '../detection/evaluate-hour.js';
import type { Finding } from '../detection/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { BandStore, StoredBand } from '../storage/bands.js';
import { isMuted, type MuteStore } from '../storage/mutes.js';
import type { SeriesInfo } from '../storage/sources.js';
import { bandOfContext, nextBand } from './next-band.js';
import { raiseCounted } from './raise-counted.js';
import { type ContextDeps, forEachSeriesContext } from './series-context.js';

const HOUR_MS = 3_600_000;

export interface BatchDeps extends ContextDeps {
  /** The bands of the coming hour, stored for its ticks. */
  readonly bands: BandStore;
  /** Records findings and opens, merges and recovers their alerts. */
  readonly alertService: AlertService;
  readonly mutes: MuteStore;
  readonly metrics?:
    | Pick<Metrics, 'finding' | 'alertRaised' | 'evaluationRun' | 'evaluationTick'>
    | undefined;
}

/** What one batch did: every finding it computed (muted ones too) and the trees it had to train. */
export interface BatchResult {
  readonly series: number;
  readonly findings: Finding[];
  readonly treesTrained: number;
}

/**
 * Evaluates one hour of a batch of series and records the outcome: each finding once (a retried batch finds it
 * recorded and does nothing), its alert opened or merged unless a mute covers it, and open alerts whose metric
 * was normal counted towards recovery. The changes' deliveries are held under the hour's run key: the run's
 * last step (`finishHour`) releases them together once the whole hour is done, so a storm can become one digest.
 * Then it stores each series' band of the next hour (upserted: a retried batch writes the same), which that
 * hour's ticks judge their minutes against.
 */
export async function evaluateBatch(
  deps: BatchDeps,
  series: readonly SeriesInfo[],
  hourStart: Date,
  evaluatedAt: Date,
): Promise<BatchResult> {
  const mutes = await deps.mutes.active(evaluatedAt);
  const runKey = hourRunKey(hourStart);
  const findings: Finding[] = [];
  const normalKeys: string[] = [];
  const bands: StoredBand[] = [];
  const nextHour = new Date(hourStart.getTime() + HOUR_MS);
  const newPeriod: SeriesInfo[] = [];
  const treesTrained = await forEachSeriesContext(deps, series, hourStart, evaluatedAt, async (context) => {
    const { info } = context;
    const evaluation = evaluateHour(context.hour, context.history, context.trees, context.profile.settings);
    for (const finding of evaluation.findings) {
      findings.push(finding);
      await raiseCounted(deps, {
        seriesId: info.id,
        hourStart,
        finding,
        muted: isMuted(mutes, info.source, info.environment, finding.metric),
        at: evaluatedAt,
        runKey,
      });
    }
    for (const metric of evaluation.normal) normalKeys.push(alertKey(info.source, info.environment, metric));
    const band = nextBand(context, evaluation.findings, deps.retrainHours);
    if (band) bands.push({ seriesId: info.id, hourStart: nextHour, json: bandToJson(band) });
    else newPeriod.push(info);
  });
  await deps.alertService.recordNormal({ keys: normalKeys, hourStart, at: evaluatedAt, runKey });
  // The next hour begins a training period: its band needs that period's trees, so its own context is loaded.
  const trainedAhead = await forEachSeriesContext(deps, newPeriod, nextHour, evaluatedAt, (context) => {
    bands.push({ seriesId: context.info.id, hourStart: nextHour, json: bandToJson(bandOfContext(context)) });
  });
  await deps.bands.upsert(bands);
  return { series: series.length, findings, treesTrained: treesTrained + trainedAhead };
}
