import { type Band, bandOf } from '../detection/band.js';
import { BLOCK_MS, BLOCKS_PER_HOUR, blocksBefore, sumCounts } from '../detection/blocks.js';
import { type Calendar, createCalendar, reclocked } from '../detection/calendar.js';
import { clockOf } from '../detection/daylight-saving.js';
import { type LoadedTree, loadTree, trainTree } from '../detection/decision-tree.js';
import { evaluateHour } from '../detection/evaluate-hour.js';
import { evaluateTick } from '../detection/evaluate-tick.js';
import { historyHour, ZERO_COUNTS } from '../detection/history.js';
import { modelCutoff } from '../detection/schedule.js';
import type { SeriesProfile } from '../detection/settings.js';
import {
  type Finding,
  type HistoryHour,
  METRICS,
  type Metric,
  type WindowCounts,
} from '../detection/types.js';
import type { CsvMinute } from './counts-csv.js';
import { lastReportedMinute, runReplayClock } from './replay-clock.js';

const HOUR_MS = 3_600_000;
const EMPTY_BLOCKS = Array.from({ length: BLOCKS_PER_HOUR }, () => ZERO_COUNTS);
const DAY_MS = 86_400_000;

export interface ReplayOptions {
  /** Only hours starting in [from, to) are evaluated; earlier hours still build history. Epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** Trees are retrained every this many hours, as live (see modelCutoff). */
  readonly retrainHours: number;
  /** Minutes after an hour ends that its evaluation runs: the findings' window_end. */
  readonly graceMinutes: number;
  /**
   * Minutes between ticks inside each hour (EVALUATE_EVERY_MINUTES, a divisor of 60); 60 or 0 (the default)
   * replays the hourly runs only. A tick at `at` runs before the first row at `at` or later (replay-clock.ts).
   */
  readonly tickMinutes?: number;
  readonly profileOf: (source: string) => SeriesProfile;
  readonly onFinding: (finding: Finding) => void;
  readonly onHour?: (hourStart: number, series: number) => void;
}

export interface ReplaySummary {
  readonly rows: number;
  readonly series: number;
  readonly hoursEvaluated: number;
  readonly findings: number;
  /** Ticks run (one per tick instant, all series at once) and the findings they raised (part of `findings`). */
  readonly ticks: number;
  readonly tickFindings: number;
  readonly treesTrained: number;
  /** Set when the file ended inside an hour that was therefore not evaluated. */
  readonly incompleteLastHour?: number;
}

interface MutableCounts {
  minutes: number;
  total: number;
  failed: number;
  denied: number;
  reversed: number;
  /** The block's last minute with a row (epoch ms). */
  lastMinute: number;
}

interface SeriesState {
  readonly source: string;
  readonly environment: string;
  readonly profile: SeriesProfile;
  /** The source's zone, or the one its traffic shows: chosen at each training cut-off (`clockOf`). */
  calendar: Calendar;
  readonly firstHour: number;
  history: HistoryHour[];
  /** The open hour's 10-minute blocks, undefined while the series has posted nothing in it. */
  blocks: MutableCounts[] | undefined;
  trees: Partial<Record<Metric, LoadedTree>>;
  /** What the hourly run knows of the open hour (ticks judge against it); undefined when ticks are off. */
  band: Band | undefined;
  /** The series' last minute with a row before the open hour, epoch ms. */
  lastRowBefore: number | undefined;
  /** The hour before the open one: its band and blocks (ticks judge windows reaching back into it). */
  previous: { band: Band; blocks: readonly WindowCounts[] } | undefined;
}

/**
 * Replays minutes (sorted by minute) through the live detection code hour by hour, with no look-ahead:
 * an hour is evaluated once the first minute after it arrives, with the history before it and the trees
 * trained at the last retrain cut-off before it — exactly what the scheduled job would have had.
 * Memory holds each series' trailing history only, so it does not grow with the file's length.
 */
export async function replay(rows: AsyncIterable<CsvMinute>, options: ReplayOptions): Promise<ReplaySummary> {
  const series = new Map<string, SeriesState>();
  const stats = { findings: 0, tickFindings: 0, treesTrained: 0 };

  /** Runs the tick at `at` for every series with a band for the open hour: the blocks before `at` only. */
  const tick = (hourStart: number, at: number) => {
    // The clock runs a tick before any row at `at` or later is taken, so a partly elapsed last block holds only
    // the minutes before `at`.
    const { count } = blocksBefore(hourStart, at);
    for (const state of series.values()) {
      const band = state.band;
      if (!band || band.hourStart !== hourStart) continue;
      const blocks = (state.blocks ?? EMPTY_BLOCKS).slice(0, count);
      const { findings } = evaluateTick(
        {
          source: state.source,
          environment: state.environment,
          at,
          hourStart,
          blocks,
          lastReportedMinute: lastReportedMinute(
            state.lastRowBefore,
            state.blocks?.slice(0, count) ?? [],
            at,
          ),
          previous: state.previous,
        },
        band,
        state.profile.settings,
      );
      for (const finding of findings) options.onFinding(finding);
      stats.findings += findings.length;
      stats.tickFindings += findings.length;
    }
  };

  const close = (hourStart: number, evaluate: boolean, ticking: boolean) => {
    for (const state of series.values()) {
      const blocks = state.blocks;
      state.blocks = undefined;
      const counts = blocks ? sumCounts(blocks) : ZERO_COUNTS;
      for (const block of blocks ?? []) if (block.minutes > 0) state.lastRowBefore = block.lastMinute;
      state.previous = state.band ? { band: state.band, blocks: blocks ?? EMPTY_BLOCKS } : undefined;
      let alerting: Set<Metric> | undefined;
      if (evaluate) {
        const { findings } = evaluateHour(
          {
            source: state.source,
            environment: state.environment,
            hourStart,
            evaluatedAt: hourStart + HOUR_MS + options.graceMinutes * 60_000,
            counts,
            blocks: blocks ?? EMPTY_BLOCKS,
            position: state.calendar.position(hourStart),
          },
          state.history,
          state.trees,
          state.profile.settings,
        );
        for (const finding of findings) options.onFinding(finding);
        stats.findings += findings.length;
        if (findings.length > 0) alerting = new Set(findings.map((f) => f.metric));
      }
      appendHistory(state, historyHour(hourStart, counts, state.calendar, alerting));
    }
    options.onHour?.(hourStart, series.size);
    const nextHour = hourStart + HOUR_MS;
    if (modelCutoff(nextHour, options.retrainHours) === nextHour) {
      for (const state of series.values()) stats.treesTrained += retrain(state, nextHour);
    }
    // The band of the next hour, from the same history and trees its hourly evaluation will have.
    for (const state of series.values()) {
      state.band = ticking
        ? bandOf(
            nextHour,
            state.calendar.position(nextHour),
            state.history,
            state.trees,
            state.profile.settings,
          )
        : undefined;
    }
  };

  const add = (row: CsvMinute, hour: number) => {
    const state = stateOf(series, row, hour, options);
    state.blocks ??= Array.from({ length: BLOCKS_PER_HOUR }, () => ({
      minutes: 0,
      total: 0,
      failed: 0,
      denied: 0,
      reversed: 0,
      lastMinute: 0,
    }));
    const block = state.blocks[Math.floor((row.minute - hour) / BLOCK_MS)] as MutableCounts;
    block.minutes += 1;
    block.lastMinute = row.minute;
    block.total += row.counts.total;
    block.failed += row.counts.failed;
    block.denied += row.counts.denied;
    block.reversed += row.counts.reversed;
  };

  const clock = await runReplayClock(rows, options, { minuteOf: (row) => row.minute, add, tick, close });
  return { ...clock, ...stats, series: series.size };
}

function stateOf(
  series: Map<string, SeriesState>,
  row: CsvMinute,
  hour: number,
  options: ReplayOptions,
): SeriesState {
  const key = `${row.source}\u0000${row.environment}`;
  let state = series.get(key);
  if (!state) {
    const profile = options.profileOf(row.source);
    state = {
      source: row.source,
      environment: row.environment,
      profile,
      calendar: createCalendar(profile.timeZone, profile.holidays),
      firstHour: hour,
      history: [],
      blocks: undefined,
      trees: {},
      band: undefined,
      lastRowBefore: undefined,
      previous: undefined,
    };
    series.set(key, state);
  }
  return state;
}

/** Keeps the trailing days the models need, dropping older hours in blocks (cheap amortised splice). */
function appendHistory(state: SeriesState, hour: HistoryHour): void {
  state.history.push(hour);
  const keepDays = Math.max(state.profile.settings.historyDays, state.profile.settings.tree.trainingDays);
  const keep = keepDays * 24;
  if (state.history.length > keep + 24) state.history = state.history.slice(state.history.length - keep);
}

function retrain(state: SeriesState, cutoff: number): number {
  const settings = state.profile.settings;
  const timeZone = clockOf(state.profile, state.history, (h) => h.total, cutoff, settings.tree.trainingDays);
  Object.assign(
    state,
    reclocked(state.history, state.calendar, timeZone, (zone) =>
      createCalendar(zone, state.profile.holidays),
    ),
  );
  const from = cutoff - settings.tree.trainingDays * DAY_MS;
  const history = state.history.filter((h) => h.hourStart >= from);
  let trained = 0;
  const trees: Partial<Record<Metric, LoadedTree>> = {};
  for (const metric of METRICS) {
    const model = trainTree(metric, history, cutoff, settings);
    if (model) {
      trees[metric] = loadTree(model);
      trained++;
    }
  }
  state.trees = trees;
  return trained;
}
