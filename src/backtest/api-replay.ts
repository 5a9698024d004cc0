import type { ApiMinute } from '../api-calls/api-minute.js';
import { type ApiBand, apiBandOf } from '../api-detection/api-band.js';
import {
  addApiCounts,
  emptyApiCounts,
  type MutableApiCounts,
  sumApiCounts,
  ZERO_API_COUNTS,
} from '../api-detection/api-counts.js';
import { type ApiHistoryHour, apiCallsOf, apiHistoryHour } from '../api-detection/api-history.js';
import { type ApiTrees, loadApiTrees, trainApiTrees } from '../api-detection/api-trees.js';
import { evaluateApiHour } from '../api-detection/evaluate-api-hour.js';
import { type ApiPreviousHour, evaluateApiTick } from '../api-detection/evaluate-api-tick.js';
import type { ApiSeriesProfile } from '../config-file.js';
import type { ApiFinding, ApiMetric } from '../detection/api-finding.js';
import { BLOCK_MS, BLOCKS_PER_HOUR, blocksBefore } from '../detection/blocks.js';
import { type Calendar, createCalendar, reclocked } from '../detection/calendar.js';
import { clockOf } from '../detection/daylight-saving.js';
import { modelCutoff } from '../detection/schedule.js';
import type { ReplaySummary } from './replay.js';
import { lastReportedMinute, type ReplayClockOptions, runReplayClock } from './replay-clock.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const EMPTY_BLOCKS = Array.from({ length: BLOCKS_PER_HOUR }, () => ZERO_API_COUNTS);

export interface ApiReplayOptions extends ReplayClockOptions {
  /** Trees are retrained every this many hours, as live (see modelCutoff). */
  readonly retrainHours: number;
  readonly profileOf: (source: string) => ApiSeriesProfile;
  readonly onFinding: (finding: ApiFinding) => void;
  readonly onHour?: (hourStart: number, series: number) => void;
}

/** A 10-minute block of the open hour: the API's calls in it, and its last minute with a row (for silence). */
interface ApiBlock extends MutableApiCounts {
  lastMinute: number;
}

interface ApiSeriesState {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  readonly profile: ApiSeriesProfile;
  /** The source's zone, or the one its API traffic shows: chosen at each training cut-off (`clockOf`). */
  calendar: Calendar;
  history: ApiHistoryHour[];
  /** The open hour's 10-minute blocks, undefined while the API has had no row in it. */
  blocks: ApiBlock[] | undefined;
  trees: ApiTrees;
  /** What the hourly run knows of the open hour (ticks judge against it); undefined when ticks are off. */
  band: ApiBand | undefined;
  /** The API's last minute with a row before the open hour, epoch ms. */
  lastRowBefore: number | undefined;
  /** The hour before the open one: its band and blocks (ticks judge windows reaching back into it). */
  previous: ApiPreviousHour | undefined;
}

/**
 * Replays API minutes (sorted by minute, as the API-calls CSV is) through `evaluateApiHour` hour by hour and
 * `evaluateApiTick` every `tickMinutes` inside each hour, on the same clock as `replay` (replay-clock.ts): no
 * look-ahead (an hour is evaluated once the first minute after it arrives, with the history before it; a tick at
 * `at` runs once the clock passes `at` + grace and judges only the blocks before `at`, window_end = `at`), trees
 * retrained at every `modelCutoff` on the history before it, each hour's band built at its start from the
 * history and trees its hourly run will have, an hour's findings (not a tick's) marking it alerting in the
 * history, and only each API's trailing days kept.
 */
export async function replayApiCalls(
  rows: AsyncIterable<ApiMinute>,
  options: ApiReplayOptions,
): Promise<ReplaySummary> {
  const series = new Map<string, ApiSeriesState>();
  const stats = { findings: 0, tickFindings: 0, treesTrained: 0 };
  const report = (findings: readonly ApiFinding[]) => {
    for (const finding of findings) options.onFinding(finding);
    stats.findings += findings.length;
  };

  const tick = (hourStart: number, at: number) => {
    // The clock runs a tick before any row at `at` or later is taken, so a partly elapsed last block holds only
    // the minutes before `at`.
    const { count } = blocksBefore(hourStart, at);
    for (const state of series.values()) {
      if (state.band?.hourStart !== hourStart) continue;
      const blocks = state.blocks?.slice(0, count) ?? [];
      const { findings } = evaluateApiTick(
        {
          source: state.source,
          environment: state.environment,
          api: state.api,
          at,
          hourStart,
          blocks,
          lastReportedMinute: lastReportedMinute(state.lastRowBefore, blocks, at),
          previous: state.previous,
        },
        state.band,
        state.profile.settings,
      );
      report(findings);
      stats.tickFindings += findings.length;
    }
  };

  const close = (hourStart: number, evaluate: boolean, ticking: boolean) => {
    for (const state of series.values()) {
      const blocks = state.blocks;
      state.blocks = undefined;
      const counts = blocks ? sumApiCounts(blocks) : ZERO_API_COUNTS;
      for (const block of blocks ?? []) if (block.minutes > 0) state.lastRowBefore = block.lastMinute;
      state.previous = state.band ? { band: state.band, blocks: blocks ?? EMPTY_BLOCKS } : undefined;
      let alerting: Set<ApiMetric> | undefined;
      if (evaluate) {
        const { findings } = evaluateApiHour(
          {
            source: state.source,
            environment: state.environment,
            api: state.api,
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
        report(findings);
        if (findings.length > 0) alerting = new Set(findings.map((f) => f.metric));
      }
      appendHistory(state, apiHistoryHour(hourStart, counts, state.calendar, alerting));
    }
    options.onHour?.(hourStart, series.size);
    const nextHour = hourStart + HOUR_MS;
    if (modelCutoff(nextHour, options.retrainHours) === nextHour) {
      for (const state of series.values()) stats.treesTrained += retrain(state, nextHour);
    }
    for (const state of series.values()) {
      const { history, trees, calendar, profile } = state;
      state.band = ticking
        ? apiBandOf(nextHour, calendar.position(nextHour), history, trees, profile.settings)
        : undefined;
    }
  };

  const add = (row: ApiMinute, hour: number) => {
    const state = stateOf(series, row, options);
    state.blocks ??= Array.from({ length: BLOCKS_PER_HOUR }, () => ({ ...emptyApiCounts(), lastMinute: 0 }));
    const block = state.blocks[Math.floor((row.minuteMs - hour) / BLOCK_MS)] as ApiBlock;
    const { calls, silentFailures, latency } = row;
    addApiCounts(block, { minutes: 1, calls, silentFailures, latency });
    block.lastMinute = row.minuteMs;
  };

  const clock = await runReplayClock(rows, options, { minuteOf: (row) => row.minuteMs, add, tick, close });
  return { ...clock, ...stats, series: series.size };
}

function stateOf(
  series: Map<string, ApiSeriesState>,
  row: ApiMinute,
  options: ApiReplayOptions,
): ApiSeriesState {
  const key = `${row.source}\u0000${row.environment}\u0000${row.api}`;
  let state = series.get(key);
  if (!state) {
    const profile = options.profileOf(row.source);
    state = {
      source: row.source,
      environment: row.environment,
      api: row.api,
      profile,
      calendar: createCalendar(profile.timeZone, profile.holidays),
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
function appendHistory(state: ApiSeriesState, hour: ApiHistoryHour): void {
  state.history.push(hour);
  const settings = state.profile.settings;
  const keep = Math.max(settings.historyDays, settings.tree.trainingDays) * 24;
  if (state.history.length > keep + 24) state.history = state.history.slice(state.history.length - keep);
}

function retrain(state: ApiSeriesState, cutoff: number): number {
  const settings = state.profile.settings;
  const timeZone = clockOf(state.profile, state.history, apiCallsOf, cutoff, settings.tree.trainingDays);
  Object.assign(
    state,
    reclocked(state.history, state.calendar, timeZone, (zone) =>
      createCalendar(zone, state.profile.holidays),
    ),
  );
  const from = cutoff - settings.tree.trainingDays * DAY_MS;
  const models = trainApiTrees(
    state.history.filter((h) => h.hourStart >= from),
    cutoff,
    settings,
  );
  state.trees = loadApiTrees(models);
  return models.length;
}
