import { sumCounts } from '../detection/blocks.js';
import { type Calendar, reclocked } from '../detection/calendar.js';
import { clockOf } from '../detection/daylight-saving.js';
import { type LoadedTree, loadTree, type TreeModel, trainTree } from '../detection/decision-tree.js';
import type { HourInput } from '../detection/evaluate-hour.js';
import { historyHour, ZERO_COUNTS } from '../detection/history.js';
import { modelCutoff } from '../detection/schedule.js';
import type { SeriesProfile } from '../detection/settings.js';
import { type HistoryHour, METRICS, type Metric } from '../detection/types.js';
import type { Catalog } from '../storage/catalogs.js';
import type { BlockRow, CountStore, HourColumns } from '../storage/counts.js';
import type { FindingStore } from '../storage/findings.js';
import type { ModelStore, StoredModel } from '../storage/models.js';
import { SLOT_COUNT } from '../storage/slots.js';
import type { SeriesInfo } from '../storage/sources.js';
import { calendarOf } from './calendar-of.js';
import { toWindowCounts } from './window-counts.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * Series whose data is read at once within a batch. A job's batch (SERIES_PER_BATCH) is read in slices of this
 * size: what a slice holds (weeks of history, four trees a series) is what a worker keeps while it works, and V8
 * lets the heap grow to several times that before it collects (bench:evaluate: 200 at once peaked near 550 MB
 * per worker, 50 near 380 MB, at the same speed).
 */
export const READ_SERIES = 50;

export interface ContextDeps {
  readonly counts: CountStore;
  readonly findings: FindingStore;
  readonly models: ModelStore;
  readonly catalogs: ReadonlyMap<number, Catalog>;
  readonly profileOf: (source: string) => SeriesProfile;
  readonly retrainHours: number;
}

/** Everything detection needs to judge one series' hour, as the backtest would have it. */
export interface SeriesContext {
  readonly info: SeriesInfo;
  readonly profile: SeriesProfile;
  readonly history: HistoryHour[];
  readonly hour: HourInput;
  readonly trees: Partial<Record<Metric, LoadedTree>>;
  /** The calendar the history and the hour are placed in: the source's zone, or the one its traffic shows. */
  readonly calendar: Calendar;
  /** Trees this load had to train (the scheduled training had not run for this cut-off). */
  readonly trained: number;
}

/** A series' context, handed to the caller's visit while it is the only history built. */
export type VisitContext = (context: SeriesContext) => void | Promise<void>;

/**
 * Loads a batch of series for evaluating `hourStart`, READ_SERIES at a time, each slice in a handful of queries —
 * their hourly history since the earliest day models need, the hour's 10-minute blocks, the hours that alerted
 * (left out of baselines), and the trees of the current training cut-off — then builds each series' context in
 * turn and hands it to `visit`, so only one series' history exists at a time (a batch's histories at once were
 * most of a worker's memory). Trees that are missing are trained on exactly the history the scheduled training
 * would have used, so a late or skipped training changes nothing, and stored once the slice's series were
 * visited. Returns how many it trained.
 */
export async function forEachSeriesContext(
  deps: ContextDeps,
  series: readonly SeriesInfo[],
  hourStart: Date,
  evaluatedAt: Date,
  visit: VisitContext,
): Promise<number> {
  let trained = 0;
  for (let first = 0; first < series.length; first += READ_SERIES) {
    const chunk = series.slice(first, first + READ_SERIES);
    const slice = await readSlice(deps, chunk, hourStart);
    const newModels: NewModel[] = [];
    for (const [index, info] of chunk.entries()) {
      const profile = slice.profiles[index] as SeriesProfile;
      const context = seriesContext(deps, slice, info, profile, evaluatedAt, newModels);
      trained += context.trained;
      await visit(context);
    }
    await deps.models.save(newModels);
  }
  return trained;
}

type NewModel = Parameters<ModelStore['save']>[0][number];

/** What a slice's reads returned, before any series' history is built. */
interface SliceData {
  readonly hourStart: number;
  /** Start of the history read, epoch ms. */
  readonly from: number;
  readonly cutoff: number;
  readonly profiles: readonly SeriesProfile[];
  readonly hours: ReadonlyMap<number, HourColumns>;
  readonly blocks: ReadonlyMap<number, BlockRow[]>;
  readonly alerting: ReadonlyMap<number, ReadonlyMap<number, ReadonlySet<Metric>>>;
  readonly models: ReadonlyMap<string, StoredModel>;
  readonly firstHours: ReadonlyMap<number, Date>;
}

async function readSlice(
  deps: ContextDeps,
  series: readonly SeriesInfo[],
  hourStart: Date,
): Promise<SliceData> {
  const ids = series.map((s) => s.id);
  const cutoff = modelCutoff(hourStart.getTime(), deps.retrainHours);
  const profiles = series.map((s) => deps.profileOf(s.source));
  const lookBackDays = Math.max(
    ...profiles.map((p) => Math.max(p.settings.historyDays, p.settings.tree.trainingDays)),
  );
  const from = new Date(
    Math.min(hourStart.getTime() - lookBackDays * DAY_MS, cutoff - lookBackDays * DAY_MS),
  );
  const [hours, blocks, alerting, stored, firstHours] = await Promise.all([
    deps.counts.readHoursOf(ids, from, hourStart),
    deps.counts.readBlocks(ids, hourStart),
    deps.findings.alertingHours(ids, from, hourStart),
    deps.models.load(ids, new Date(cutoff)),
    deps.counts.firstHours(ids),
  ]);
  const models = new Map(stored.map((m) => [modelKey(m.seriesId, m.metric), m]));
  return {
    hourStart: hourStart.getTime(),
    from: from.getTime(),
    cutoff,
    profiles,
    hours,
    blocks,
    alerting,
    models,
    firstHours,
  };
}

function seriesContext(
  deps: ContextDeps,
  slice: SliceData,
  info: SeriesInfo,
  profile: SeriesProfile,
  evaluatedAt: Date,
  newModels: NewModel[],
): SeriesContext {
  const catalog = deps.catalogs.get(info.catalogId) as Catalog;
  const start = Math.max(slice.from, slice.firstHours.get(info.id)?.getTime() ?? slice.hourStart);
  const own = calendarOf(profile);
  const placed = denseSince(
    slice.hours.get(info.id),
    start,
    slice.hourStart,
    catalog,
    own,
    slice.alerting.get(info.id),
  );
  const timeZone = clockOf(profile, placed, (h) => h.total, slice.cutoff, profile.settings.tree.trainingDays);
  const { history, calendar } = reclocked(placed, own, timeZone, (zone) => calendarOf(profile, zone));
  const hourBlocks = slice.blocks.get(info.id)?.map((b) => toWindowCounts(b.slots, catalog, b.minutes));
  const trees: Partial<Record<Metric, LoadedTree>> = {};
  let trained = 0;
  for (const metric of METRICS) {
    const found = slice.models.get(modelKey(info.id, metric));
    let model: TreeModel | null | undefined = found?.model;
    if (found === undefined) {
      model = trainTree(metric, history, slice.cutoff, profile.settings) ?? null;
      newModels.push({ seriesId: info.id, metric, trainedUntil: new Date(slice.cutoff), model });
      trained++;
    }
    if (model) trees[metric] = loadTree(model);
  }
  const hour: HourInput = {
    source: info.source,
    environment: info.environment,
    hourStart: slice.hourStart,
    evaluatedAt: evaluatedAt.getTime(),
    counts: hourBlocks ? sumCounts(hourBlocks) : ZERO_COUNTS,
    blocks: hourBlocks ?? Array.from({ length: 6 }, () => ZERO_COUNTS),
    position: calendar.position(slice.hourStart),
  };
  return { info, profile, history, hour, trees, calendar, trained };
}

function modelKey(seriesId: number, metric: Metric): string {
  return `${seriesId}/${metric}`;
}

/** One history entry per hour from `start` to `until` (exclusive); hours without a rollup are zero traffic. */
function denseSince(
  columns: HourColumns | undefined,
  start: number,
  until: number,
  catalog: Catalog,
  calendar: Calendar,
  alerting: ReadonlyMap<number, ReadonlySet<Metric>> | undefined,
): HistoryHour[] {
  const hourStarts = columns?.hourStarts ?? [];
  const history: HistoryHour[] = [];
  // Rows are oldest first: walk them alongside the hours instead of looking each hour up.
  let row = 0;
  for (let hour = start; hour < until; hour += HOUR_MS) {
    while (row < hourStarts.length && (hourStarts[row] as number) < hour) row++;
    let counts = ZERO_COUNTS;
    if (columns && hourStarts[row] === hour) {
      counts = toWindowCounts(
        columns.slots,
        catalog,
        columns.minutesReported[row] as number,
        row * SLOT_COUNT,
      );
      row++;
    }
    history.push(historyHour(hour, counts, calendar, alerting?.get(hour)));
  }
  return history;
}
