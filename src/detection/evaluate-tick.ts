import { type Band, bandModels } from './band.js';
import { BLOCK_MS, BLOCKS_PER_HOUR, sumCounts } from './blocks.js';
import type { Candidate } from './candidate.js';
import { candidate, windowPenaltyShape, withProfile } from './candidate-windows.js';
import { ZERO_COUNTS } from './history.js';
import type { DetectionSettings } from './settings.js';
import { type SilenceInput, silence } from './silence.js';
import { type Finding, METRICS, type Metric, type WindowCounts } from './types.js';
import { decide } from './window-verdict.js';

/** One tick of one series: the minutes of the current clock hour so far. */
export interface TickInput extends SilenceInput {
  /** Epoch ms of the current clock hour's start; `at` is a multiple of 10 minutes strictly inside it. */
  readonly hourStart: number;
  /** The hour's complete 10-minute blocks before `at`, in order (missing trailing blocks count as no rows). */
  readonly blocks: readonly WindowCounts[];
}

export interface TickEvaluation {
  readonly findings: Finding[];
  /** Metrics judged at this tick that look normal: no window fired and the longest window scores under `confirmThreshold`. */
  readonly normal: Metric[];
}

/**
 * Judges the minutes of the hour so far against the band the hourly run computed for it. The windows are the
 * tails ending at the tick — [:00, at), [:10, at) … [at − 10, at) — judged as the hourly run judges its sub-hour
 * windows (decide; rates only in windows of at least `shortestWindowMinutes`, traffic drops down to
 * `shortestDropWindowMinutes`), each with its multiscale window penalty plus `tickPenalty`: the ticks of an hour
 * are more looks at nested windows. A series that posts every minute and has gone silent is judged by silence
 * (silence.ts). Cold-start and bulk-posting series are left to the hourly run. `window_end` of a finding = `at`.
 */
export function evaluateTick(input: TickInput, band: Band, settings: DetectionSettings): TickEvaluation {
  const elapsed = input.at - input.hourStart;
  if (elapsed <= 0 || elapsed >= BLOCKS_PER_HOUR * BLOCK_MS || elapsed % BLOCK_MS !== 0) {
    throw new Error('a tick falls on a 10-minute boundary strictly inside its hour');
  }
  const findings: Finding[] = [];
  const normal: Metric[] = [];
  const quiet = silence(input, band, settings);
  if (!band.established || band.pace === 'bulk') {
    if (quiet) findings.push(quiet);
    return { findings, normal };
  }
  const candidates = tickWindows(input, band, settings);
  const identity = { ...input, evaluatedAt: input.at, position: band.position };
  for (const metric of METRICS) {
    const models = bandModels(band, metric);
    if (models.length === 0) continue;
    const verdicts = candidates.map((c) => decide(identity, metric, c, models, settings));
    const fired = verdicts.flatMap((v) => (v.finding ? [v.finding] : []));
    const best = metric === 'traffic' && quiet ? quiet : fired.sort((a, b) => b.score - a.score)[0];
    if (best) findings.push(best);
    else if ((verdicts[0]?.strongest ?? 0) < settings.confirmThreshold) normal.push(metric);
  }
  return { findings, normal };
}

/** The tails of the hour ending at the tick, longest first, each with its window penalty plus `tickPenalty`. */
export function tickWindows(input: TickInput, band: Band, settings: DetectionSettings): Candidate[] {
  const count = (input.at - input.hourStart) / BLOCK_MS;
  const blocks = Array.from({ length: count }, (_, i) => input.blocks[i] ?? ZERO_COUNTS);
  const pace = band.pace ?? undefined;
  // Counts posted in bulk say nothing about parts of an hour: such a series waits for the hourly run.
  if (pace === 'bulk') return [];
  const profile = { shares: band.blockShares, logVariance: band.shareLogVariance };
  const windows: Candidate[] = [];
  for (let first = 0; first < count; first++) {
    const length = count - first;
    const part = blocks.slice(first);
    const start = input.hourStart + first * BLOCK_MS;
    const penalty = settings.spanPenalty * windowPenaltyShape(length) + settings.tickPenalty;
    const window = candidate('span', start, length / BLOCKS_PER_HOUR, sumCounts(part), part, penalty, pace);
    windows.push(withProfile(window, profile, first, length));
  }
  return windows;
}
