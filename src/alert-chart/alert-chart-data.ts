import type { Alert } from '../alerts/alert.js';
import type { AlertChartInput } from '../charts/alert-chart-input.js';
import { sumCounts } from '../detection/blocks.js';
import { type LoadedTree, loadTree } from '../detection/decision-tree.js';
import { denseHistory, type HourRecord } from '../detection/history.js';
import { modelCutoff } from '../detection/schedule.js';
import type { SeriesProfile } from '../detection/settings.js';
import { METRICS, type Metric, type WindowCounts } from '../detection/types.js';
import { calendarOf } from '../evaluation/calendar-of.js';
import { toWindowCounts } from '../evaluation/window-counts.js';
import type { Catalog } from '../storage/catalogs.js';
import type { CountStore, HourColumns, MinuteRow } from '../storage/counts.js';
import type { FindingStore } from '../storage/findings.js';
import type { ModelStore } from '../storage/models.js';
import { SLOT_COUNT } from '../storage/slots.js';
import type { SourceStore } from '../storage/sources.js';
import { chartPoints, type FineBlock } from './chart-points.js';

const MINUTE_MS = 60_000;
const BLOCK_MS = 10 * MINUTE_MS;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The chart's range, and the fine (10-minute) part of it: at least the last 3 hours, at most the last 12. */
const RANGE_MS = 48 * HOUR_MS;
const FINE_MIN_MS = 3 * HOUR_MS;
const FINE_MAX_MS = 12 * HOUR_MS;
/** How long after an alert's last data its chart still moves with now (long enough to show the recovery). */
const AFTER_MS = 6 * HOUR_MS;

/** What the chart's data is read through. */
export interface ChartDataDeps {
  readonly sources: Pick<SourceStore, 'findByName' | 'findSeries'>;
  readonly counts: Pick<CountStore, 'readHoursOf' | 'readMinutes'>;
  readonly findings: FindingStore;
  readonly models: Pick<ModelStore, 'load'>;
  readonly catalogs: ReadonlyMap<number, Catalog>;
  readonly profileOf: (source: string) => SeriesProfile;
  readonly retrainHours: number;
  readonly now: () => Date;
}

/** The chart's input, or why an alert has none (said to the person asking, as it is). */
export type ChartData =
  | { readonly kind: 'chart'; readonly input: AlertChartInput; readonly settled: boolean }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * The chart of an alert, read from MySQL: its metric over the 48 hours before `to` (now, or 6 hours after the
 * alert's last data when that was longer ago) — hourly from the rollups, then 10-minute blocks of the minute rows from
 * 3 hours before `to` (earlier when the alert's window began earlier, up to 12 hours), each with the expected
 * value and band the live models give (chartPoints). Axis in the source's time zone. An external alert about
 * something ratewatch does not measure, or about a source it has no data of, has no chart.
 */
export async function loadChartData(deps: ChartDataDeps, alert: Alert): Promise<ChartData> {
  const found = await seriesOf(deps, alert);
  if (found.kind === 'none') return found;
  const profile = deps.profileOf(alert.source);
  const range = chartRange(alert, deps.now().getTime());
  const metric = alert.metric as Metric;
  const catalog = deps.catalogs.get(found.source.catalogId) as Catalog;
  const read = await readSeries(deps, found.series.id, metric, range, profile);
  const calendar = calendarOf(profile);
  const points = chartPoints({
    metric,
    history: denseHistory(hourRecords(read.hours, catalog), read.span, calendar, read.alerting),
    hoursFrom: range.hoursFrom,
    fineFrom: range.fineFrom,
    blocks: fineBlocks(read.minutes, catalog, range.fineFrom, range.to),
    treeAt: read.treeAt,
    settings: profile.settings,
    positionOf: (hourStart) => calendar.position(hourStart),
  });
  const input: AlertChartInput = {
    title: `${alert.source} (${alert.environment}) · ${metric === 'traffic' ? 'traffic' : `${metric} rate`}`,
    severity: alert.severity,
    valueAxis: metric === 'traffic' ? { kind: 'count', unit: 'transactions per hour' } : { kind: 'rate' },
    timeZone: profile.timeZone,
    from: range.to - RANGE_MS,
    to: range.to,
    ...points,
    alertWindow: range.window,
  };
  return { kind: 'chart', input, settled: range.settled };
}

/**
 * What the chart reads of one series, in parallel: its hourly rollups and alerting hours from `historyDays`
 * before the range up to the last whole hour, the minute rows of the fine part, and the stored trees.
 */
async function readSeries(
  deps: ChartDataDeps,
  seriesId: number,
  metric: Metric,
  range: ReturnType<typeof chartRange>,
  profile: SeriesProfile,
) {
  const from = range.hoursFrom - profile.settings.historyDays * DAY_MS;
  const until = Math.floor(range.to / HOUR_MS) * HOUR_MS;
  const [hours, alerting, minutes, treeAt] = await Promise.all([
    deps.counts.readHoursOf([seriesId], new Date(from), new Date(until)),
    deps.findings.alertingHours([seriesId], new Date(from), new Date(until)),
    deps.counts.readMinutes(seriesId, new Date(range.fineFrom), new Date(range.to)),
    loadTrees(deps, seriesId, metric, range.hoursFrom, until),
  ]);
  return {
    span: { from, until },
    hours: hours.get(seriesId),
    alerting: alerting.get(seriesId),
    minutes,
    treeAt,
  };
}

/** The series an alert's chart shows, or why it has none (a metric ratewatch does not measure, no counts). */
export async function seriesOf(deps: Pick<ChartDataDeps, 'sources'>, alert: Alert) {
  // An API's alert is charted from its calls (api-chart-data.ts), never from the source's payment counts.
  if (alert.api !== null) return none(`alert #${alert.id} is about an API: its chart is of its calls`);
  if (!(METRICS as readonly string[]).includes(alert.metric)) {
    return none(`ratewatch does not measure "${alert.metric}", so alert #${alert.id} has no chart`);
  }
  const source = await deps.sources.findByName(alert.source);
  const series = source && (await deps.sources.findSeries(source.id, alert.environment));
  if (!source || !series) {
    return none(
      `ratewatch has no counts of ${alert.source} (${alert.environment}), so alert #${alert.id} has no chart`,
    );
  }
  return { kind: 'series', source, series } as const;
}

/**
 * The chart's times: `to` — now, rounded down to a whole 10 minutes so the last block is complete, but at most
 * AFTER_MS past the alert's last data, so an alert looked at days later (resolved, or open and forgotten)
 * still shows its incident and what came after it, in 10-minute blocks — the first whole hour of the range,
 * where the blocks begin, the alert's window (its findings' data window; for an external alert, first to last
 * seen), and whether `to` stays where it is now (`settled`: the last data is more than AFTER_MS ago).
 */
export function chartRange(alert: Alert, now: number) {
  const window = alert.dataWindow ?? { start: alert.firstSeenAt, end: alert.lastSeenAt };
  const latest = window.end.getTime() + AFTER_MS;
  const to = Math.floor(Math.min(now, latest) / BLOCK_MS) * BLOCK_MS;
  const hoursFrom = Math.floor((to - RANGE_MS) / HOUR_MS) * HOUR_MS;
  const fineStart = Math.max(to - FINE_MAX_MS, Math.min(window.start.getTime(), to - FINE_MIN_MS));
  const fineFrom = Math.floor(fineStart / HOUR_MS) * HOUR_MS;
  const span = { start: window.start.getTime(), end: window.end.getTime() };
  return { to, hoursFrom, fineFrom, window: span, settled: now >= latest };
}

/** The stored trees that judged each hour of the range (by training cut-off); none are trained here. */
async function loadTrees(
  deps: ChartDataDeps,
  seriesId: number,
  metric: Metric,
  from: number,
  until: number,
): Promise<(hourStart: number) => LoadedTree | undefined> {
  const cutoffs = new Set<number>();
  for (let hour = from; hour <= until; hour += HOUR_MS) cutoffs.add(modelCutoff(hour, deps.retrainHours));
  const trees = new Map<number, LoadedTree>();
  for (const cutoff of cutoffs) {
    const stored = await deps.models.load([seriesId], new Date(cutoff));
    const model = stored.find((m) => m.metric === metric)?.model;
    if (model) trees.set(cutoff, loadTree(model));
  }
  return (hourStart) => trees.get(modelCutoff(hourStart, deps.retrainHours));
}

function hourRecords(columns: HourColumns | undefined, catalog: Catalog): HourRecord[] {
  if (!columns) return [];
  return columns.hourStarts.map((hourStart, row) => ({
    hourStart,
    ...toWindowCounts(columns.slots, catalog, columns.minutesReported[row] as number, row * SLOT_COUNT),
  }));
}

/** The minutes as complete 10-minute blocks from `from` to `to` (a block without rows holds zero). */
export function fineBlocks(
  rows: readonly MinuteRow[],
  catalog: Catalog,
  from: number,
  to: number,
): FineBlock[] {
  const byBlock = new Map<number, WindowCounts[]>();
  for (const row of rows) {
    const start = Math.floor(row.minute.getTime() / BLOCK_MS) * BLOCK_MS;
    byBlock.set(start, [...(byBlock.get(start) ?? []), toWindowCounts(row.slots, catalog, 1)]);
  }
  const blocks: FineBlock[] = [];
  for (let start = from; start + BLOCK_MS <= to; start += BLOCK_MS) {
    blocks.push({ start, counts: sumCounts(byBlock.get(start) ?? []) });
  }
  return blocks;
}

function none(reason: string) {
  return { kind: 'none', reason } as const;
}
