import type { AlertService } from '../alerts/alert-service.js';
import { alertKey } from '../alerts/alert-state.js';
import { hourRunKey } from '../alerts/run-key.js';
import { type ApiCounts, sumApiCounts, ZERO_API_COUNTS } from '../api-detection/api-counts.js';
import { denseApiHistory } from '../api-detection/api-history.js';
import { type ApiDetectionSettings, apiDetectionSettings } from '../api-detection/api-settings.js';
import { type ApiTreeModel, loadApiTrees, trainApiTrees } from '../api-detection/api-trees.js';
import { evaluateApiHour } from '../api-detection/evaluate-api-hour.js';
import type { ApiFinding } from '../detection/api-finding.js';
import { modelCutoff } from '../detection/schedule.js';
import type { SeriesProfile } from '../detection/settings.js';
import type { Metrics } from '../metrics/metrics.js';
import { apiCountsOf } from '../storage/api-call-columns.js';
import type { ApiCallReads, ApiSeriesInfo, ApiWindowRow } from '../storage/api-call-reads.js';
import type { ApiModelStore } from '../storage/api-models.js';
import type { FindingStore } from '../storage/findings.js';
import { isMuted, type MuteStore } from '../storage/mutes.js';
import { calendarOf } from './calendar-of.js';
import { raiseCounted } from './raise-counted.js';

const DAY_MS = 86_400_000;
/** APIs whose history is read at once within a batch (as READ_SERIES for payments: it bounds a worker's memory). */
export const READ_APIS = 50;

export interface ApiBatchDeps {
  readonly apiReads: ApiCallReads;
  readonly apiModels: ApiModelStore;
  readonly retrainHours: number;
  readonly findings: FindingStore;
  readonly alertService: AlertService;
  readonly mutes: MuteStore;
  readonly profileOf: (source: string) => SeriesProfile;
  /** How a source's APIs are judged; by default its detection settings with the API defaults. */
  readonly apiSettingsOf?: ((source: string) => ApiDetectionSettings) | undefined;
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
 * service under the hour's run key: each API's history from its hourly rollups (`historyDays` back; the hours
 * whose metric alerted left out of baselines), the hour's 10-minute blocks from its minutes, then the pure
 * `evaluateApiHour`. Each finding is recorded once per (series, API, metric, hour) with its alert opened or
 * merged (key source/environment/metric/api) unless a mute covers it; metrics judged normal count towards
 * their open alerts' recovery. Trees: those of the current training cut-off (`modelCutoff`, every
 * MODEL_RETRAIN_HOURS as payments'), trained here from the same history the first time an hour past the cut-off
 * is judged, and stored once (api_models), so a retried batch or another worker loads the same trees.
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
  let treesTrained = 0;
  for (let first = 0; first < apis.length; first += READ_APIS) {
    const slice = apis.slice(first, first + READ_APIS);
    const read = await readSlice(deps, slice, hourStart);
    const trained: { apiSeriesId: number; trainedUntil: Date; trees: ApiTreeModel[] }[] = [];
    for (const info of slice) {
      const profile = deps.profileOf(info.source);
      const settings = deps.apiSettingsOf?.(info.source) ?? apiDetectionSettings(profile.settings);
      const calendar = calendarOf(profile);
      const history = denseApiHistory(
        (read.hours.get(info.id) ?? []).map(countsOf),
        { from: read.from, until: hourStart.getTime() },
        calendar,
        read.alerting.get(info.id),
      );
      let models = read.models.get(info.id);
      if (models === undefined) {
        models = trainApiTrees(history, read.cutoff, settings);
        trained.push({ apiSeriesId: info.id, trainedUntil: new Date(read.cutoff), trees: models });
      }
      const blocks = (read.blocks.get(info.id) ?? []).map(countsOf);
      const hour = hourStart.getTime();
      const evaluation = evaluateApiHour(
        {
          ...{ source: info.source, environment: info.environment, api: info.api },
          ...{ hourStart: hour, evaluatedAt: evaluatedAt.getTime(), position: calendar.position(hour) },
          counts: blocks.length > 0 ? sumApiCounts(blocks) : ZERO_API_COUNTS,
          blocks: blocks.length > 0 ? blocks : Array.from({ length: 6 }, () => ZERO_API_COUNTS),
        },
        history,
        loadApiTrees(models),
        settings,
      );
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
    }
    await deps.apiModels.save(trained);
    treesTrained += trained.length;
  }
  await deps.alertService.recordNormal({ keys: normalKeys, hourStart, at: evaluatedAt, runKey });
  return { series: apis.length, findings, treesTrained };
}

/**
 * A slice's reads: the APIs' rollups and alerting hours since the earliest day any of them looks back (for
 * judging, and for training at the cut-off), the hour's blocks, and the stored trees of the cut-off.
 */
async function readSlice(deps: ApiBatchDeps, apis: readonly ApiSeriesInfo[], hourStart: Date) {
  const ids = apis.map((a) => a.id);
  const cutoff = modelCutoff(hourStart.getTime(), deps.retrainHours);
  const lookBackDays = Math.max(
    ...apis.map((a) => {
      const { settings } = deps.profileOf(a.source);
      return Math.max(settings.historyDays, settings.tree.trainingDays);
    }),
  );
  const from = Math.min(hourStart.getTime(), cutoff) - lookBackDays * DAY_MS;
  const [hours, blocks, alerting, models] = await Promise.all([
    deps.apiReads.readApiHours(ids, new Date(from), hourStart),
    deps.apiReads.readApiBlocks(ids, hourStart),
    deps.findings.apiAlertingHours(ids, new Date(from), hourStart),
    deps.apiModels.load(ids, new Date(cutoff)),
  ]);
  return { from, cutoff, hours, blocks, alerting, models };
}

function countsOf(row: ApiWindowRow): ApiCounts & { hourStart: number } {
  return { hourStart: row.start, minutes: row.minutes, ...apiCountsOf(row.counts) };
}
