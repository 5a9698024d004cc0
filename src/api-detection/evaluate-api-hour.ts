import { callsSlowerThan, histogramTotal } from '../api-calls/latency.js';
import type { LatencyFacts } from '../detection/api-finding.js';
import { BLOCK_MS } from '../detection/blocks.js';
import { scoreCount } from '../detection/count-score.js';
import { evaluateHour } from '../detection/evaluate-hour.js';
import type { CalendarPosition, Finding, WindowCounts } from '../detection/types.js';
import { type ApiCounts, sumApiCounts } from './api-counts.js';
import type { ApiHistoryHour } from './api-history.js';
import type { ApiDetectionSettings } from './api-settings.js';
import { type ApiTrees, callsPassTrees } from './api-trees.js';
import {
  type ApiEvaluation,
  callsHistoryHour,
  callsPassBack,
  callWindowCounts,
  coreSettings,
  inApiOrder,
  latencyWindowCounts,
  toApiFinding,
} from './core-adapter.js';
import { percentilesOf, slowerThanMs } from './latency-bound.js';
import { latencyPassOf } from './latency-pass.js';

/** One hour of one API to evaluate (the API twin of `HourInput`). */
export interface ApiHourInput {
  readonly source: string;
  readonly environment: string;
  readonly api: string;
  /** Epoch ms of the hour's start. */
  readonly hourStart: number;
  /** When the evaluation runs: the findings' window_end. */
  readonly evaluatedAt: number;
  readonly counts: ApiCounts;
  /** The hour's six 10-minute blocks (summing to `counts`); without them only the whole hour is judged. */
  readonly blocks?: readonly ApiCounts[] | undefined;
  readonly position: CalendarPosition;
}

/** At most one finding per API metric, in API_METRICS order; the API metrics judged normal. */
export type ApiHourEvaluation = ApiEvaluation;

/** A p99 above the SLO means more than 1 % of the calls slower than it: the cold-start latency ceiling. */
const SLO_SHARE = 0.01;

/**
 * Evaluates one hour of one API against its history (the hours before it, oldest first, hours without rows
 * as zero calls) and its trees, with the payment core unchanged (see core-adapter.ts). Pure.
 *
 * - `errors`, `silent_failures` (and `client_errors` when `judge4xx`) alert on rises, `traffic` on drops and
 *   surges — the calls pass, exactly as payments' failed/denied/traffic.
 * - `latency` = calls slower than the API's normal p99 bound at comparable times (latencyNormal:
 *   `normalP99Bound` of the merged histogram of comparable past hours) / calls in the histogram — the latency
 *   pass; the finding carries p50/p95/p99 of its window and of the comparable hours (interpolated).
 * - Cold start: the core's, per pass — `errors` above its ceiling (5 %) once an hour holds
 *   `coldStartMinTotal` calls; `latency`, while the API has under `minHistoryHours` hours of latency data or no
 *   normal p99 yet, only when `latencySloMs` is set: p99 above it, i.e. surely more than 1 % of the
 *   histogram's calls slower than the SLO (slowerThanMs interpolates within the bucket).
 */
export function evaluateApiHour(
  input: ApiHourInput,
  history: readonly ApiHistoryHour[],
  trees: ApiTrees,
  settings: ApiDetectionSettings,
): ApiHourEvaluation {
  return inApiOrder(callsPass(input, history, trees, settings), latencyPass(input, history, trees, settings));
}

function callsPass(
  input: ApiHourInput,
  history: readonly ApiHistoryHour[],
  trees: ApiTrees,
  settings: ApiDetectionSettings,
): ApiHourEvaluation {
  const result = evaluateHour(
    coreInput(input, callWindowCounts),
    history.map(callsHistoryHour),
    callsPassTrees(trees, settings),
    coreSettings('calls', settings),
  );
  return callsPassBack(result, input.api, settings.judge4xx);
}

function latencyPass(
  input: ApiHourInput,
  history: readonly ApiHistoryHour[],
  trees: ApiTrees,
  settings: ApiDetectionSettings,
): ApiHourEvaluation {
  const pass = latencyPassOf(history, input.hourStart, input.position, trees, settings);
  let finding: Finding | undefined;
  let judged: boolean;
  let facts: (f: Finding) => LatencyFacts;
  if (pass) {
    const { boundMs, normal } = pass;
    const result = evaluateHour(
      coreInput(input, pass.windowCounts),
      pass.history,
      pass.tree ? { failed: pass.tree } : {},
      pass.settings,
    );
    const fired = result.findings.find((f) => f.metric === 'failed');
    const parts = fired && windowParts(fired, input, history);
    finding =
      fired && parts && outlastsBlip(fired, parts.parts, parts.blocks, boundMs, settings) ? fired : undefined;
    judged = result.normal.includes('failed');
    facts = (f) => ({ boundMs, observed: observedPercentiles(f, input, history), normal });
  } else if (settings.latencySloMs !== undefined) {
    const sloMs = settings.latencySloMs;
    const slower = slowerThanMs(sloMs);
    // An empty history puts the core in cold start: the ceiling judges the whole hour.
    const result = evaluateHour(
      coreInput(input, (c) => latencyWindowCounts(c, slower)),
      [],
      {},
      { ...coreSettings('latency', settings), coldStartCeilings: { failed: SLO_SHARE } },
    );
    finding = result.findings.find((f) => f.metric === 'failed');
    judged = false;
    facts = (f) => ({
      boundMs: sloMs,
      observed: observedPercentiles(f, input, history),
      normal: null,
      sloMs,
    });
  } else {
    return { findings: [], normal: [] };
  }
  return {
    findings: finding ? [toApiFinding(finding, input.api, 'latency', facts(finding))] : [],
    normal: judged ? ['latency'] : [],
  };
}

/** The core's HourInput of a pass, its counts and blocks mapped by `map`. */
function coreInput(input: ApiHourInput, map: (counts: ApiCounts) => WindowCounts) {
  return {
    source: input.source,
    environment: input.environment,
    hourStart: input.hourStart,
    evaluatedAt: input.evaluatedAt,
    counts: map(input.counts),
    blocks: input.blocks?.map(map),
    position: input.position,
  };
}

/** p50/p95/p99 of the finding's window: its blocks of the hour, and the history hours it reaches back into. */
function observedPercentiles(finding: Finding, input: ApiHourInput, history: readonly ApiHistoryHour[]) {
  return percentilesOf(sumApiCounts(windowParts(finding, input, history).parts).latency);
}

/**
 * The parts of a finding's window, in order: earlier hours whole (multi-hour windows), then this hour's
 * blocks (`blocks` of them; 0 without blocks, when the hour is one part).
 */
function windowParts(finding: Finding, input: ApiHourInput, history: readonly ApiHistoryHour[]) {
  const start = finding.windowStart.getTime();
  const parts: ApiCounts[] = [];
  if (start < input.hourStart) for (const hour of history) if (hour.hourStart >= start) parts.push(hour);
  const first = start > input.hourStart ? Math.round((start - input.hourStart) / BLOCK_MS) : 0;
  const blocks = input.blocks ? input.blocks.slice(first) : [];
  parts.push(...(input.blocks ? blocks : [input.counts]));
  return { parts, blocks: blocks.length };
}

/**
 * Latency blips — a GC pause, a cold cache: a few minutes in which most calls are slow — multiply the share of
 * slow calls by tens, so unlike a rate's blip they still score when diluted in a window, and with few calls a
 * block the core's sustained rule (the rest halfway up) lets them through on noise. A latency finding must
 * still score `confirmThreshold` (Poisson, against the finding's expected share) and be halfway to
 * `minRateFactor` without the adjacent 10-minute blocks of the evaluated hour that carry most of the excess —
 * the worst one, and up to the worst `leaveOut` in a row (`blocks`: how many of the last parts are such
 * blocks; earlier whole hours are never left out).
 * The hourly run leaves out one block: leaving out two adjacent blocks (a blip can straddle two) cut false
 * latency episodes to nearly none on the tuning seeds but missed a third of the latency incidents (surges of
 * 10–35 minutes). Ticks leave out two as well (evaluate-api-tick.ts): their windows are short, so a blip
 * straddling two blocks is most of one, and the hourly run still judges those surges.
 */
export function outlastsBlip(
  finding: Finding,
  parts: readonly ApiCounts[],
  blocks: number,
  boundMs: number,
  settings: ApiDetectionSettings,
  leaveOut = 1,
): boolean {
  if (blocks <= 1) return true;
  const slow = parts.map((part) => callsSlowerThan(part.latency, boundMs));
  const expected = parts.map((part) => histogramTotal(part.latency) * finding.expectedRate);
  const halfway = 1 + (settings.minRateFactor - 1) / 2;
  for (let run = 1; run <= Math.min(leaveOut, blocks); run++) {
    // The `run` adjacent blocks of the evaluated hour with the most excess, left out.
    let worst = parts.length - blocks;
    let most = Number.NEGATIVE_INFINITY;
    for (let i = worst; i + run <= parts.length; i++) {
      let excess = 0;
      for (let j = i; j < i + run; j++) excess += (slow[j] ?? 0) - (expected[j] ?? 0);
      if (excess > most) [worst, most] = [i, excess];
    }
    const kept = (_: number, i: number) => i < worst || i >= worst + run;
    const observedRest = slow.filter(kept).reduce((a, b) => a + b, 0);
    const expectedRest = expected.filter(kept).reduce((a, b) => a + b, 0);
    const up =
      expectedRest > 0 &&
      observedRest >= expectedRest * halfway &&
      scoreCount(observedRest, expectedRest, 0, 'up') >= settings.confirmThreshold;
    if (!up) return false;
  }
  return true;
}
