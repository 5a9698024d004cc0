import type { ApiMinute } from '../api-calls/api-minute.js';
import {
  addApiCounts,
  emptyApiCounts,
  type MutableApiCounts,
  sumApiCounts,
  ZERO_API_COUNTS,
} from '../api-detection/api-counts.js';
import { type ApiHistoryHour, apiHistoryHour } from '../api-detection/api-history.js';
import { type ApiTrees, loadApiTrees, trainApiTrees } from '../api-detection/api-trees.js';
import { evaluateApiHour } from '../api-detection/evaluate-api-hour.js';
import type { ApiSeriesProfile } from '../config-file.js';
import type { ApiFinding, ApiMetric } from '../detection/api-finding.js';
import { BLOCK_MS, BLOCKS_PER_HOUR } from '../detection/blocks.js';
import { type Calendar, createCalendar } from '../detection/calendar.js';
import { modelCutoff } from '../detection/schedule.js';
import type { ReplaySummary } from './replay.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const EMPTY_BLOCKS = Array.from({ length: BLOCKS_PER_HOUR }, () => ZERO_API_COUNTS);

export interface ApiReplayOptions {
  /** Only hours starting in [from, to) are evaluated; earlier hours still build history. Epoch ms. */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  /** Trees are retrained every this many hours, as live (see modelCutoff). */
  readonly retrainHours: number;
  /** Minutes after an hour ends that its evaluation runs: the findings' window_end. */
  readonly graceMinutes: number;
  readonly profileOf: (source: string) => ApiSeriesProfile;
  readonly onFinding: (finding: ApiFinding) => void;
  readonly onHour?: (hourStart: number, series: number) => void;
}

interface ApiSeriesState {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  readonly profile: ApiSeriesProfile;
  readonly calendar: Calendar;
  history: ApiHistoryHour[];
  /** The open hour's 10-minute blocks, undefined while the API has had no row in it. */
  blocks: MutableApiCounts[] | undefined;
  trees: ApiTrees;
}

/**
 * Replays API minutes (sorted by minute, as the API-calls CSV is) through `evaluateApiHour` hour by hour,
 * exactly as `replay` does for counts: no look-ahead (an hour is evaluated once the first minute after it
 * arrives, with the history before it), trees retrained at every `modelCutoff` on the history before it, an
 * hour's findings marking it alerting in the history, and only each API's trailing days kept.
 */
export async function replayApiCalls(
  rows: AsyncIterable<ApiMinute>,
  options: ApiReplayOptions,
): Promise<ReplaySummary> {
  const series = new Map<string, ApiSeriesState>();
  const stats = { rows: 0, hoursEvaluated: 0, findings: 0, treesTrained: 0 };
  let openHour: number | undefined;
  let lastMinute = 0;

  const closeHour = (hourStart: number) => {
    const evaluate =
      hourStart >= (options.from ?? Number.NEGATIVE_INFINITY) &&
      hourStart < (options.to ?? Number.POSITIVE_INFINITY);
    for (const state of series.values()) {
      const blocks = state.blocks;
      state.blocks = undefined;
      const counts = blocks ? sumApiCounts(blocks) : ZERO_API_COUNTS;
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
        for (const finding of findings) options.onFinding(finding);
        stats.findings += findings.length;
        if (findings.length > 0) alerting = new Set(findings.map((f) => f.metric));
      }
      appendHistory(state, apiHistoryHour(hourStart, counts, state.calendar, alerting));
    }
    if (evaluate) stats.hoursEvaluated++;
    options.onHour?.(hourStart, series.size);
    const nextHour = hourStart + HOUR_MS;
    if (modelCutoff(nextHour, options.retrainHours) === nextHour) {
      for (const state of series.values()) stats.treesTrained += retrain(state, nextHour);
    }
  };

  for await (const row of rows) {
    stats.rows++;
    lastMinute = row.minuteMs;
    if (options.to !== undefined && row.minuteMs >= options.to) break;
    const hour = Math.floor(row.minuteMs / HOUR_MS) * HOUR_MS;
    if (openHour === undefined) openHour = hour;
    while (openHour < hour) {
      closeHour(openHour);
      openHour += HOUR_MS;
    }
    const state = stateOf(series, row, options);
    state.blocks ??= Array.from({ length: BLOCKS_PER_HOUR }, emptyApiCounts);
    const block = state.blocks[Math.floor((row.minuteMs - hour) / BLOCK_MS)] as MutableApiCounts;
    addApiCounts(block, {
      minutes: 1,
      calls: row.calls,
      silentFailures: row.silentFailures,
      latency: row.latency,
    });
  }

  let incompleteLastHour: number | undefined;
  if (openHour !== undefined) {
    const complete =
      options.to !== undefined ? options.to >= openHour + HOUR_MS : lastMinute >= openHour + HOUR_MS - 60_000;
    if (complete) closeHour(openHour);
    else incompleteLastHour = openHour;
  }
  // API series are judged hour by hour: no ticks yet.
  return { ...stats, ticks: 0, tickFindings: 0, series: series.size, incompleteLastHour };
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
  const from = cutoff - settings.tree.trainingDays * DAY_MS;
  const models = trainApiTrees(
    state.history.filter((h) => h.hourStart >= from),
    cutoff,
    settings,
  );
  state.trees = loadApiTrees(models);
  return models.length;
}
