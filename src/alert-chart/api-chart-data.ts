import type { Alert } from '../alerts/alert.js';
import { isApiFinding } from '../alerts/alert-finding.js';
import { latencyText } from '../alerts/alert-text.js';
import { mergeHistograms } from '../api-calls/latency.js';
import { normalP99Bound } from '../api-calls/normal-p99-bound.js';
import { type ApiCounts, sumApiCounts } from '../api-detection/api-counts.js';
import { type ApiHistoryHour, denseApiHistory } from '../api-detection/api-history.js';
import { apiDetectionSettings } from '../api-detection/api-settings.js';
import { loadApiTrees } from '../api-detection/api-trees.js';
import {
  callsHistoryHour,
  callWindowCounts,
  coreSettings,
  coreSlotOf,
  latencyHistoryHour,
  latencyWindowCounts,
} from '../api-detection/core-adapter.js';
import { slowerThanBound } from '../api-detection/latency-bound.js';
import type { AlertChartInput } from '../charts/alert-chart-input.js';
import { type ApiMetric, isApiMetric } from '../detection/api-finding.js';
import type { LoadedTree } from '../detection/decision-tree.js';
import { modelCutoff } from '../detection/schedule.js';
import type { SeriesProfile } from '../detection/settings.js';
import type { HistoryHour, WindowCounts } from '../detection/types.js';
import { calendarOf } from '../evaluation/calendar-of.js';
import { apiCountsOf } from '../storage/api-call-columns.js';
import type { ApiCallReads, ApiWindowRow } from '../storage/api-call-reads.js';
import type { ApiModelStore } from '../storage/api-models.js';
import type { FindingStore } from '../storage/findings.js';
import { type ChartData, chartRange } from './alert-chart-data.js';
import { chartPoints, type FineBlock } from './chart-points.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BLOCK_MS = 600_000;
const RANGE_MS = 48 * HOUR_MS;

/** What an API alert's chart reads. */
export interface ApiChartDeps {
  readonly apiReads: Pick<ApiCallReads, 'findApiSeries' | 'readApiHours' | 'readApiMinutes'>;
  readonly apiModels: Pick<ApiModelStore, 'load'>;
  readonly retrainHours: number;
  readonly findings: Pick<FindingStore, 'apiAlertingHours'>;
  readonly profileOf: (source: string) => SeriesProfile;
  readonly now: () => Date;
}

/**
 * The chart of an API alert: its metric over the same 48 hours as a payment alert's — hourly from the API's
 * rollups, then 10-minute blocks of its minutes — with the band of the live models, computed by the payment
 * code through the API adapter (src/api-detection/core-adapter.ts) exactly as the hourly run judges it:
 * errors, silent failures and 4xx as shares of calls, traffic in calls per hour, latency as the share of calls
 * slower than the alert's normal p99 bound (the finding's; else the bound of the chart's history) — and the
 * trees stored for each hour's training cut-off (none trained on the request path). A latency alert without any normal p99 (cold start) shows the
 * observed share against the SLO bound, with no band.
 */
export async function loadApiChartData(deps: ApiChartDeps, alert: Alert): Promise<ChartData> {
  const found = await apiSeriesOf(deps, alert);
  if (found.kind === 'none') return found;
  const { info, metric } = found;
  const profile = deps.profileOf(alert.source);
  const settings = apiDetectionSettings(profile.settings);
  const range = chartRange(alert, deps.now().getTime());
  const calendar = calendarOf(profile);
  const from = range.hoursFrom - settings.historyDays * DAY_MS;
  const until = Math.floor(range.to / HOUR_MS) * HOUR_MS;
  const [hours, alerting, minutes, treeAt] = await Promise.all([
    deps.apiReads.readApiHours([info.id], new Date(from), new Date(until)),
    deps.findings.apiAlertingHours([info.id], new Date(from), new Date(until)),
    deps.apiReads.readApiMinutes(info.id, new Date(range.fineFrom), new Date(range.to)),
    loadTrees(deps, info.id, metric, range.hoursFrom, until),
  ]);
  const history = denseApiHistory(
    (hours.get(info.id) ?? []).map((row) => ({ hourStart: row.start, ...countsOf(row) })),
    { from, until },
    calendar,
    alerting.get(info.id),
  );
  const view = viewOf(alert, metric, history);
  const { pass, slot } = coreSlotOf(metric);
  const points = chartPoints({
    metric: slot,
    history: history.map(view.hour),
    hoursFrom: range.hoursFrom,
    fineFrom: range.fineFrom,
    blocks: apiBlocks(minutes, range.fineFrom, range.to, view.window),
    // A latency tree counted slow calls against its own bound: it judges only when that is the chart's.
    treeAt: (hour) => {
      const tree = treeAt(hour);
      return tree && (metric !== 'latency' || tree.boundMs === view.boundMs) ? tree.tree : undefined;
    },
    settings: coreSettings(pass, settings),
    positionOf: (hourStart) => calendar.position(hourStart),
  });
  const input: AlertChartInput = {
    title: apiChartTitle(alert, view.label),
    severity: alert.severity,
    valueAxis: metric === 'traffic' ? { kind: 'count', unit: 'calls per hour' } : { kind: 'rate' },
    timeZone: profile.timeZone,
    from: range.to - RANGE_MS,
    to: range.to,
    observed: points.observed,
    expected: view.banded ? points.expected : [],
    alertWindow: range.window,
  };
  return { kind: 'chart', input, settled: range.settled };
}

/** The API an alert's chart shows, or why it has none (a metric ratewatch does not judge, no calls of it). */
export async function apiSeriesOf(deps: Pick<ApiChartDeps, 'apiReads'>, alert: Alert) {
  const api = alert.api ?? '';
  if (!isApiMetric(alert.metric))
    return none(`ratewatch does not measure "${alert.metric}" of an API, so alert #${alert.id} has no chart`);
  const info = await deps.apiReads.findApiSeries(alert.source, alert.environment, api);
  if (!info)
    return none(
      `ratewatch has no calls of ${api} on ${alert.source} (${alert.environment}), so alert #${alert.id} has no chart`,
    );
  return { kind: 'api', info, metric: alert.metric } as const;
}

/**
 * `checkout-api · POST /v1/payments · 5xx+timeouts`, `checkout-api (staging) · GET /v1/x · calls > 500 ms`: the
 * chart's title is cut at about 55 characters, so the environment is said only when it is not production.
 */
export function apiChartTitle(alert: Pick<Alert, 'source' | 'environment' | 'api'>, label: string): string {
  const env = alert.environment === 'production' ? '' : ` (${alert.environment})`;
  return `${alert.source}${env} · ${alert.api} · ${label}`;
}

const LABELS: Record<Exclude<ApiMetric, 'latency'>, string> = {
  errors: '5xx+timeouts',
  silent_failures: 'silent failures',
  client_errors: '4xx',
  traffic: 'traffic',
};

/** How the metric is counted for the chart: the core's view of an hour and of a window, its label, its band. */
function viewOf(alert: Alert, metric: ApiMetric, history: readonly ApiHistoryHour[]) {
  if (metric !== 'latency') {
    const boundMs: number | undefined = undefined;
    return { hour: callsHistoryHour, window: callWindowCounts, boundMs, label: LABELS[metric], banded: true };
  }
  const facts = alert.lastFinding && isApiFinding(alert.lastFinding) ? alert.lastFinding.latency : undefined;
  const normal = normalP99Bound(mergeHistograms(history.map((h) => h.latency)));
  const boundMs = facts?.boundMs ?? (normal.kind === 'bound' ? normal.boundMs : undefined) ?? 1000;
  const slower = slowerThanBound(boundMs);
  return {
    hour: (h: ApiHistoryHour): HistoryHour => latencyHistoryHour(h, boundMs),
    window: (counts: ApiCounts) => latencyWindowCounts(counts, slower),
    boundMs,
    label: `calls > ${latencyText(boundMs)}`,
    // In cold start the bound is the SLO's, not a normal the z-score was judging against.
    banded: facts?.normal !== null,
  };
}

/** The stored trees of the API's metric that judged each hour of the range (by training cut-off); none trained here. */
async function loadTrees(
  deps: Pick<ApiChartDeps, 'apiModels' | 'retrainHours'>,
  id: number,
  metric: ApiMetric,
  from: number,
  until: number,
): Promise<(hourStart: number) => { tree: LoadedTree; boundMs?: number } | undefined> {
  const cutoffs = new Set<number>();
  for (let hour = from; hour <= until; hour += HOUR_MS) cutoffs.add(modelCutoff(hour, deps.retrainHours));
  const trees = new Map<number, { tree: LoadedTree; boundMs?: number }>();
  for (const cutoff of cutoffs) {
    const stored = (await deps.apiModels.load([id], new Date(cutoff))).get(id) ?? [];
    const tree = loadApiTrees(stored)[metric];
    if (tree) trees.set(cutoff, tree);
  }
  return (hourStart) => trees.get(modelCutoff(hourStart, deps.retrainHours));
}

/** The minutes as complete 10-minute blocks from `from` to `to`, in the core's view (a block without rows is zero). */
function apiBlocks(
  rows: readonly ApiWindowRow[],
  from: number,
  to: number,
  window: (counts: ApiCounts) => WindowCounts,
): FineBlock[] {
  const byBlock = new Map<number, ApiCounts[]>();
  for (const row of rows) {
    const start = Math.floor(row.start / BLOCK_MS) * BLOCK_MS;
    byBlock.set(start, [...(byBlock.get(start) ?? []), countsOf(row)]);
  }
  const blocks: FineBlock[] = [];
  for (let start = from; start + BLOCK_MS <= to; start += BLOCK_MS)
    blocks.push({ start, counts: window(sumApiCounts(byBlock.get(start) ?? [])) });
  return blocks;
}

function countsOf(row: ApiWindowRow): ApiCounts {
  return { minutes: row.minutes, ...apiCountsOf(row.counts) };
}

function none(reason: string) {
  return { kind: 'none', reason } as const;
}
