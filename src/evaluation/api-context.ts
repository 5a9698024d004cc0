import { type ApiCounts, sumApiCounts, ZERO_API_COUNTS } from '../api-detection/api-counts.js';
import { type ApiHistoryHour, apiCallsOf, denseApiHistory } from '../api-detection/api-history.js';
import { type ApiDetectionSettings, apiDetectionSettings } from '../api-detection/api-settings.js';
import { type ApiTreeModel, type ApiTrees, loadApiTrees, trainApiTrees } from '../api-detection/api-trees.js';
import type { ApiHourInput } from '../api-detection/evaluate-api-hour.js';
import { type Calendar, reclocked } from '../detection/calendar.js';
import { clockOf } from '../detection/daylight-saving.js';
import { modelCutoff } from '../detection/schedule.js';
import { apiCountsOf } from '../storage/api-call-columns.js';
import type { ApiCallReads, ApiSeriesInfo, ApiWindowRow } from '../storage/api-call-reads.js';
import type { ApiModelStore } from '../storage/api-models.js';
import { calendarOf } from './calendar-of.js';
import { type ContextDeps, READ_SERIES } from './series-context.js';

const DAY_MS = 86_400_000;

/** What loading APIs' contexts reads: the payments' profiles, findings and cut-off, and the API stores. */
export interface ApiContextDeps extends Pick<ContextDeps, 'findings' | 'profileOf' | 'retrainHours'> {
  readonly apiReads: ApiCallReads;
  readonly apiModels: ApiModelStore;
  /** How a source's APIs are judged; by default its detection settings with the API defaults. */
  readonly apiSettingsOf?: ((source: string) => ApiDetectionSettings) | undefined;
}

/** Everything `evaluateApiHour` (and `apiBandOf`) needs for one API's hour, as the backtest would have it. */
export interface ApiContext {
  readonly info: ApiSeriesInfo;
  readonly settings: ApiDetectionSettings;
  readonly calendar: Calendar;
  /** The hours before the hour, dense; hours whose metric alerted marked (left out of baselines). */
  readonly history: ApiHistoryHour[];
  readonly hour: ApiHourInput;
  /** The hour's six blocks as read (all zero when the API had no row in the hour). */
  readonly blocks: readonly ApiCounts[];
  readonly trees: ApiTrees;
}

/**
 * Loads a batch of APIs for `hourStart`, READ_SERIES at a time (as payment series are read: it bounds a worker's memory) — each API's history from its hourly rollups (the
 * longest look-back of any of them, for judging and for training at the cut-off; the hours whose metric alerted
 * marked), the hour's 10-minute blocks, and the trees of the current training cut-off (`modelCutoff`, every
 * MODEL_RETRAIN_HOURS as payments') — and hands each API's context to `visit` in turn. Trees missing for the
 * cut-off are trained from the same history the first time an hour past it is loaded, and stored once
 * (api_models, first write wins), so a retried batch or another worker loads the same trees. Returns how many
 * APIs' trees it trained.
 */
export async function forEachApiContext(
  deps: ApiContextDeps,
  apis: readonly ApiSeriesInfo[],
  hourStart: Date,
  evaluatedAt: Date,
  visit: (context: ApiContext) => void | Promise<void>,
): Promise<number> {
  let treesTrained = 0;
  for (let first = 0; first < apis.length; first += READ_SERIES) {
    const slice = apis.slice(first, first + READ_SERIES);
    const read = await readSlice(deps, slice, hourStart);
    const trained: { apiSeriesId: number; trainedUntil: Date; trees: ApiTreeModel[] }[] = [];
    for (const info of slice) {
      const settings = apiSettingsFor(deps, info.source);
      const profile = deps.profileOf(info.source);
      const own = calendarOf(profile);
      const placed = denseApiHistory(
        (read.hours.get(info.id) ?? []).map(countsOf),
        { from: read.from, until: hourStart.getTime() },
        own,
        read.alerting.get(info.id),
      );
      const timeZone = clockOf(profile, placed, apiCallsOf, read.cutoff, settings.tree.trainingDays);
      const { history, calendar } = reclocked(placed, own, timeZone, (zone) => calendarOf(profile, zone));
      let models = read.models.get(info.id);
      if (models === undefined) {
        models = trainApiTrees(history, read.cutoff, settings);
        trained.push({ apiSeriesId: info.id, trainedUntil: new Date(read.cutoff), trees: models });
      }
      const rows = (read.blocks.get(info.id) ?? []).map(countsOf);
      const blocks = rows.length > 0 ? rows : Array.from({ length: 6 }, () => ZERO_API_COUNTS);
      const hour = hourStart.getTime();
      await visit({
        ...{ info, settings, calendar, history, blocks, trees: loadApiTrees(models) },
        hour: {
          ...{ source: info.source, environment: info.environment, api: info.api },
          ...{ hourStart: hour, evaluatedAt: evaluatedAt.getTime(), position: calendar.position(hour) },
          counts: rows.length > 0 ? sumApiCounts(rows) : ZERO_API_COUNTS,
          blocks,
        },
      });
    }
    await deps.apiModels.save(trained);
    treesTrained += trained.length;
  }
  return treesTrained;
}

/** How a source's APIs are judged: its API settings, by default its detection settings with the API defaults. */
export function apiSettingsFor(
  deps: Pick<ApiContextDeps, 'profileOf' | 'apiSettingsOf'>,
  source: string,
): ApiDetectionSettings {
  return deps.apiSettingsOf?.(source) ?? apiDetectionSettings(deps.profileOf(source).settings);
}

/**
 * A slice's reads: the APIs' rollups and alerting hours since the earliest day any of them looks back (for
 * judging, and for training at the cut-off), the hour's blocks, and the stored trees of the cut-off.
 */
async function readSlice(deps: ApiContextDeps, apis: readonly ApiSeriesInfo[], hourStart: Date) {
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

/** A rollup or block row as the API detection reads it. */
export function countsOf(row: ApiWindowRow): ApiCounts & { hourStart: number } {
  return { hourStart: row.start, minutes: row.minutes, ...apiCountsOf(row.counts) };
}
