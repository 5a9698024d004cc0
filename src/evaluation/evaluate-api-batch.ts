import type { AlertService } from '../alerts/alert-service.js';
import { alertKey } from '../alerts/alert-state.js';
import { hourRunKey } from '../alerts/run-key.js';
import { type ApiCounts, sumApiCounts, ZERO_API_COUNTS } from '../api-detection/api-counts.js';
import { denseApiHistory } from '../api-detection/api-history.js';
import { type ApiDetectionSettings, apiDetectionSettings } from '../api-detection/api-settings.js';
import { evaluateApiHour } from '../api-detection/evaluate-api-hour.js';
import type { ApiFinding } from '../detection/api-finding.js';
import type { SeriesProfile } from '../detection/settings.js';
import type { Metrics } from '../metrics/metrics.js';
import { apiCountsOf } from '../storage/api-call-columns.js';
import type { ApiCallReads, ApiSeriesInfo, ApiWindowRow } from '../storage/api-call-reads.js';
import type { FindingStore } from '../storage/findings.js';
import { isMuted, type MuteStore } from '../storage/mutes.js';
import { calendarOf } from './calendar-of.js';

const DAY_MS = 86_400_000;
/** APIs whose history is read at once within a batch (as READ_SERIES for payments: it bounds a worker's memory). */
export const READ_APIS = 50;

export interface ApiBatchDeps {
  readonly apiReads: ApiCallReads;
  readonly findings: FindingStore;
  readonly alertService: AlertService;
  readonly mutes: MuteStore;
  readonly profileOf: (source: string) => SeriesProfile;
  /** How a source's APIs are judged; by default its detection settings with the API defaults. */
  readonly apiSettingsOf?: ((source: string) => ApiDetectionSettings) | undefined;
  readonly metrics?: Pick<Metrics, 'finding' | 'alertRaised'> | undefined;
}

/** What one batch of APIs did: every finding it computed (muted ones too). */
export interface ApiBatchResult {
  readonly series: number;
  readonly findings: ApiFinding[];
}

/**
 * Evaluates one hour of a batch of APIs, as `evaluateBatch` does payment series, through the same alert
 * service under the hour's run key: each API's history from its hourly rollups (`historyDays` back; the hours
 * whose metric alerted left out of baselines), the hour's 10-minute blocks from its minutes, then the pure
 * `evaluateApiHour`. Each finding is recorded once per (series, API, metric, hour) with its alert opened or
 * merged (key source/environment/metric/api) unless a mute covers it; metrics judged normal count towards
 * their open alerts' recovery. Trees: none yet — the z-score (and the cold-start ceilings) judge alone.
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
  for (let first = 0; first < apis.length; first += READ_APIS) {
    const slice = apis.slice(first, first + READ_APIS);
    const read = await readSlice(deps, slice, hourStart);
    for (const info of slice) {
      const profile = deps.profileOf(info.source);
      const settings = deps.apiSettingsOf?.(info.source) ?? apiDetectionSettings(profile.settings);
      const calendar = calendarOf(profile);
      const from = hourStart.getTime() - settings.historyDays * DAY_MS;
      const history = denseApiHistory(
        (read.hours.get(info.id) ?? []).map(countsOf),
        { from, until: hourStart.getTime() },
        calendar,
        read.alerting.get(info.id),
      );
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
        {},
        settings,
      );
      for (const finding of evaluation.findings) {
        findings.push(finding);
        await raise(deps, { info, finding, hourStart, evaluatedAt, runKey, mutes });
      }
      for (const metric of evaluation.normal)
        normalKeys.push(alertKey(info.source, info.environment, metric, info.api));
    }
  }
  await deps.alertService.recordNormal({ keys: normalKeys, hourStart, at: evaluatedAt, runKey });
  return { series: apis.length, findings };
}

async function raise(
  deps: ApiBatchDeps,
  input: {
    info: ApiSeriesInfo;
    finding: ApiFinding;
    hourStart: Date;
    evaluatedAt: Date;
    runKey: string;
    mutes: Awaited<ReturnType<MuteStore['active']>>;
  },
): Promise<void> {
  const { info, finding } = input;
  const result = await deps.alertService.raiseFinding({
    seriesId: info.seriesId,
    apiSeriesId: info.id,
    hourStart: input.hourStart,
    finding,
    muted: isMuted(input.mutes, info.source, info.environment, finding.metric, info.api),
    at: input.evaluatedAt,
    runKey: input.runKey,
  });
  // Counted once: a retried batch finds the finding already recorded.
  if (!result.recorded) return;
  deps.metrics?.finding(finding.metric, finding.severity, result.muted);
  if (!result.muted) deps.metrics?.alertRaised(finding.metric, result.alert.severity, result.outcome);
}

/** A slice's reads: the APIs' rollups since the earliest day any of them looks back, the hour's blocks, alerting hours. */
async function readSlice(deps: ApiBatchDeps, apis: readonly ApiSeriesInfo[], hourStart: Date) {
  const ids = apis.map((a) => a.id);
  const lookBackDays = Math.max(...apis.map((a) => deps.profileOf(a.source).settings.historyDays));
  const from = new Date(hourStart.getTime() - lookBackDays * DAY_MS);
  const [hours, blocks, alerting] = await Promise.all([
    deps.apiReads.readApiHours(ids, from, hourStart),
    deps.apiReads.readApiBlocks(ids, hourStart),
    deps.findings.apiAlertingHours(ids, from, hourStart),
  ]);
  return { hours, blocks, alerting };
}

function countsOf(row: ApiWindowRow): ApiCounts & { hourStart: number } {
  return { hourStart: row.start, minutes: row.minutes, ...apiCountsOf(row.counts) };
}
