import type { Band } from '../detection/band.js';
import { BLOCK_MS, BLOCKS_PER_HOUR, blocksBefore } from '../detection/blocks.js';
import { evaluateTick, type TickEvaluation } from '../detection/evaluate-tick.js';
import type { DetectionSettings } from '../detection/settings.js';
import type { Finding, WindowCounts } from '../detection/types.js';
import type { ApiBand } from './api-band.js';
import { type ApiCounts, sumApiCounts, ZERO_API_COUNTS } from './api-counts.js';
import type { ApiDetectionSettings } from './api-settings.js';
import {
  type ApiEvaluation,
  callsPassBack,
  callWindowCounts,
  coreSettings,
  inApiOrder,
  toApiFinding,
} from './core-adapter.js';
import { outlastsBlip } from './evaluate-api-hour.js';
import { percentilesOf } from './latency-bound.js';
import { latencyCoreSettings, latencyCountsOf } from './latency-pass.js';

/**
 * How many adjacent 10-minute blocks a tick's latency window must outlast (outlastsBlip): a tick's windows are
 * 20–60 minutes, so a blip straddling two blocks is most of one. The tuning seeds' replay with the hourly run's
 * one block paged 58 latency findings more at ticks (3 more false episodes on seed 1), and the hourly run
 * still judges the short surges this leaves to it.
 */
const TICK_BLIP_BLOCKS = 2;

/** One tick of one API: the minutes of the current clock hour so far (the API twin of `TickInput`). */
export interface ApiTickInput {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  /** The tick instant, epoch ms: 1 … 60 whole minutes past `hourStart` (60: the closing tick); window_end. */
  readonly at: number;
  /** Epoch ms of the current clock hour's start (the band's `hourStart`). */
  readonly hourStart: number;
  /**
   * The hour's 10-minute blocks before `at`, in order, the last one partly elapsed when `at` falls inside it
   * (missing trailing blocks count as no rows).
   */
  readonly blocks: readonly ApiCounts[];
  /** Epoch ms of the API's last minute with a row before `at` (within 120 minutes), undefined if none. */
  readonly lastReportedMinute?: number | undefined;
  /** The previous clock hour's band and six blocks: windows reaching back across the hour are judged too. */
  readonly previous?: ApiPreviousHour | undefined;
}

/** The clock hour before the tick's: what the hourly run knew of it, and its six 10-minute blocks. */
export interface ApiPreviousHour {
  readonly band: ApiBand;
  readonly blocks: readonly ApiCounts[];
}

/** At most one finding per API metric, in API_METRICS order; the API metrics judged normal at this tick. */
export type ApiTickEvaluation = ApiEvaluation;

/**
 * Judges the minutes of one API's hour so far against the band the hourly run computed for it (apiBandOf),
 * with the payment core's `evaluateTick` unchanged, once per pass (core-adapter.ts). Pure.
 *
 * - Calls pass: `errors`, `silent_failures` (`client_errors` only when `judge4xx`) and `traffic` over the
 *   trailing windows of the hour and those reaching back into the previous hour; an API that posts every
 *   minute and has stopped where many calls were expected is a traffic outage (silence.ts, from
 *   `lastReportedMinute`).
 * - Latency pass (once the API has a normal p99): calls slower than the band's bound out of the histogram's
 *   calls. Windows reaching into the previous hour are judged only when that hour had the same bound (all the
 *   window's slow calls are counted against one bound). A latency finding must outlast a blip as at the
 *   hourly run, and without the two adjacent blocks carrying most of its excess too (outlastsBlip), and carries
 *   p50/p95/p99 of its window and the band's normal ones.
 * - Cold start (of either pass) is left to the hourly run, as for payments; so is latency's SLO ceiling.
 *
 * Throws when `band` is not the band of the input's hour, or `at` is not a whole minute inside it (or its end).
 */
export function evaluateApiTick(
  input: ApiTickInput,
  band: ApiBand,
  settings: ApiDetectionSettings,
): ApiTickEvaluation {
  if (band.hourStart !== input.hourStart) throw new Error("the band is not of the tick's hour");
  const calls = corePass(
    input,
    { band: band.calls, previous: input.previous?.band.calls },
    callWindowCounts,
    coreSettings('calls', settings),
  );
  return inApiOrder(callsPassBack(calls, input.api, settings.judge4xx), latencyTick(input, band, settings));
}

function latencyTick(input: ApiTickInput, band: ApiBand, settings: ApiDetectionSettings): ApiEvaluation {
  const latency = band.latency;
  if (!latency) return { findings: [], normal: [] };
  const { boundMs, normal } = latency;
  const before = input.previous?.band.latency;
  const result = corePass(
    input,
    { band: latency.band, previous: before?.boundMs === boundMs ? before.band : undefined },
    latencyCountsOf(boundMs),
    latencyCoreSettings(settings),
  );
  const fired = result.findings.find((f) => f.metric === 'failed');
  const blocks = fired ? windowBlocks(fired, input) : [];
  const outlasts = fired && outlastsBlip(fired, blocks, blocks.length, boundMs, settings, TICK_BLIP_BLOCKS);
  const finding = outlasts ? fired : undefined;
  const observed = percentilesOf(sumApiCounts(blocks).latency);
  return {
    findings: finding ? [toApiFinding(finding, input.api, 'latency', { boundMs, observed, normal })] : [],
    normal: result.normal.includes('failed') ? ['latency'] : [],
  };
}

/** One pass of the core's tick: the input's blocks (and the previous hour's, with its band) mapped by `map`. */
function corePass(
  input: ApiTickInput,
  bands: { readonly band: Band; readonly previous: Band | undefined },
  map: (counts: ApiCounts) => WindowCounts,
  settings: DetectionSettings,
): TickEvaluation {
  const previous = input.previous && bands.previous;
  return evaluateTick(
    {
      source: input.source,
      environment: input.environment,
      at: input.at,
      hourStart: input.hourStart,
      blocks: input.blocks.map(map),
      lastReportedMinute: input.lastReportedMinute,
      previous: previous && { band: previous, blocks: input.previous?.blocks.map(map) ?? [] },
    },
    bands.band,
    settings,
  );
}

/**
 * The 10-minute blocks of a tick finding's window, in order: the previous hour's last ones when the window
 * reaches back across the hour, then this hour's up to the tick.
 */
function windowBlocks(finding: Finding, input: ApiTickInput): ApiCounts[] {
  const first = Math.round((finding.windowStart.getTime() - input.hourStart) / BLOCK_MS);
  const { count } = blocksBefore(input.hourStart, input.at);
  // Missing blocks count as no rows, as the core counts them.
  const blocksOf = (blocks: readonly ApiCounts[] | undefined, n: number) =>
    Array.from({ length: n }, (_, i) => blocks?.[i] ?? ZERO_API_COUNTS);
  const current = blocksOf(input.blocks, count);
  if (first >= 0) return current.slice(first);
  return [...blocksOf(input.previous?.blocks, BLOCKS_PER_HOUR).slice(BLOCKS_PER_HOUR + first), ...current];
}
