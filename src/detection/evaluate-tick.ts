import { type Band, bandModels } from './band.js';
import { BLOCK_MS, BLOCKS_PER_HOUR, blocksBefore, sumCounts } from './blocks.js';
import type { Candidate, MetricModel, MetricModels } from './candidate.js';
import { candidate, partialShares, windowPenaltyShape, withProfile } from './candidate-windows.js';
import { ZERO_COUNTS } from './history.js';
import type { DetectionSettings } from './settings.js';
import { type SilenceInput, silence } from './silence.js';
import { stillThere } from './sustained.js';
import { type Finding, METRICS, type Metric, type ModelName, type WindowCounts } from './types.js';
import { decide } from './window-verdict.js';

const MINUTE_MS = 60_000;
/**
 * Extra score the windows of a tick between block boundaries (:25 every 5 minutes) need. Such a tick looks again
 * at nearly the windows of the boundary ticks on either side, so without it every 5 minutes paged about a tenth
 * more false episodes than every 10 (payment seeds 1–9: 0.163, 0.131, 0.150 per source-week against 0.149, 0.123,
 * 0.135); with it 0.149, 0.128 and 0.139, and silences (judged apart) are still paged 2–3 minutes sooner
 * (src/quality/README.md, "Every 5 minutes"). Ticks on a boundary are unchanged.
 */
const BETWEEN_BOUNDARIES_PENALTY = 0.5;

/** One tick of one series: the minutes of the current clock hour so far. */
export interface TickInput extends SilenceInput {
  /**
   * Epoch ms of the tick's clock hour; `at` is 1 … 59 whole minutes past it (on 10-minute boundaries with the
   * default cadence), or 60 (the closing tick).
   */
  readonly hourStart: number;
  /**
   * The hour's 10-minute blocks before `at`, in order: the complete ones and, when `at` falls inside a block, that
   * block's minutes before `at` (blocksBefore). Missing trailing blocks count as no rows.
   */
  readonly blocks: readonly WindowCounts[];
  /**
   * The previous clock hour: its band and its six blocks. With it, the tick also judges the trailing windows
   * that reach back across the hour boundary (up to 60 minutes ending at `at`), and for rates the whole hour
   * before with this one (withHourBefore); without it, only the hour so far.
   */
  readonly previous?: PreviousHour | undefined;
}

/** The clock hour before the tick's: what the hourly run knew of it, and its six 10-minute blocks. */
export interface PreviousHour {
  readonly band: Band;
  readonly blocks: readonly WindowCounts[];
}

/** A window judged at a tick, and — for windows reaching into the previous hour — its own models per metric. */
export interface TickWindow {
  readonly candidate: Candidate;
  readonly models?: Readonly<Partial<Record<Metric, MetricModels>>>;
}

export interface TickEvaluation {
  readonly findings: Finding[];
  /** Metrics judged at this tick that look normal: no window fired and the last 20 minutes score under `confirmThreshold`. */
  readonly normal: Metric[];
}

/**
 * Judges the minutes of the hour so far against the band the hourly run computed for it. The windows are the
 * tails ending at the tick — [:00, at), [:10, at) … [at − 10, at) — judged as the hourly run judges its sub-hour
 * windows (decide; rates only in windows of at least `shortestWindowMinutes`, traffic drops down to
 * `shortestDropWindowMinutes`), each with its multiscale window penalty plus `tickPenalty`: the ticks of an hour
 * are more looks at nested windows. With the previous hour (`input.previous`) the trailing windows reaching back
 * across the hour are judged too (crossHourWindows), and a rate no such window fires on over the whole hour
 * before and this one (withHourBefore: the hourly run's windows of several hours). A series that posts every minute and has gone silent is
 * judged by silence (silence.ts). Cold-start and bulk-posting series are left to the hourly run, and so is
 * traffic in a series' first week (provisional: only gross changes of whole clock hours count then, and parts of
 * hours of a weekly cycle not yet seen paged on ordinary quiet stretches). A window fires at a tick only while
 * its deviation is still there in its last block (stillThere): an incident that has ended is left to the hourly
 * run, and its alert recovers within a few ticks. `window_end` of a finding = `at`.
 *
 * The **closing tick**, at the hour's end (`at` = hourStart + 60 minutes, run beside the hourly run), judges
 * silence only: without it a silence that passed `silenceMinutes` after the :50 tick waited for the next hour's
 * :10 tick (a poster down from :41 paged after 29 minutes instead of 19), as the hourly run reads a
 * partly silent hour as missing data. Its windows are the hourly run's to judge, so it adds no other look.
 */
export function evaluateTick(input: TickInput, band: Band, settings: DetectionSettings): TickEvaluation {
  const elapsed = input.at - input.hourStart;
  if (elapsed <= 0 || elapsed > BLOCKS_PER_HOUR * BLOCK_MS || elapsed % MINUTE_MS !== 0) {
    throw new Error("a tick falls on a whole minute inside its hour, or at the hour's end");
  }
  const findings: Finding[] = [];
  const normal: Metric[] = [];
  const quiet = silence(input, band, settings);
  // The hour's closing tick judges silence only: the hourly run judges the hour's windows.
  if (!band.established || band.pace === 'bulk' || elapsed === BLOCKS_PER_HOUR * BLOCK_MS) {
    if (quiet) findings.push(quiet);
    return { findings, normal };
  }
  const windows = [
    ...tickWindows(input, band, settings).map((candidate): TickWindow => ({ candidate })),
    ...crossHourWindows(input, band, settings),
  ];
  const hoursWindow = withHourBefore(input, band, settings);
  const identity = { ...input, evaluatedAt: input.at, position: band.position };
  const firstWeek = [band, input.previous?.band].some((b) => b?.traffic.some((m) => m.provisional));
  for (const metric of METRICS) {
    const models = bandModels(band, metric);
    if (models.length === 0) continue;
    if (metric === 'traffic' && firstWeek && !quiet) continue;
    const judge = (w: TickWindow) => {
      const own = w.models ? w.models[metric] : models;
      if (!own || own.length === 0) return [];
      const bars = shortWindowSettings(w.candidate, settings);
      return [{ window: w.candidate, ...decide(identity, metric, w.candidate, own, bars) }];
    };
    const firing = ({ finding, window }: ReturnType<typeof judge>[number]) =>
      finding && stillThere(metric, finding.direction, finding.expectedRate, window, settings)
        ? [finding]
        : [];
    const verdicts = windows.flatMap(judge);
    let fired = verdicts.flatMap(firing);
    // A rate that no window of an hour at most shows may still be plain over the hour before and this one
    // (its models are rates only).
    if (fired.length === 0 && hoursWindow) fired = judge(hoursWindow).flatMap(firing);
    const best = metric === 'traffic' && quiet ? quiet : fired.sort((a, b) => b.score - a.score)[0];
    if (best) findings.push(best);
    else if ((recentOf(verdicts)?.strongest ?? 0) < settings.confirmThreshold) normal.push(metric);
  }
  return { findings, normal };
}

const RECENT_FRACTION = 2 / BLOCKS_PER_HOUR;
/** A rate in a tick window of 20 minutes or less must be at least this many times expected … */
const SHORT_RISE_FACTOR = 2;
/** … and traffic in a 10-minute window below this fraction of it. */
const SHORT_DROP_FACTOR = 0.3;

/**
 * The bars of the shortest windows a tick judges. A burst of a few minutes (a rate blip, a lull) that straddles
 * a block boundary shows in two blocks, so the sustained check cannot tell it from an incident; what it cannot
 * do is move a whole 20-minute window far: a 5-minute blip at ×3 makes ×1.5 of it. So at a tick, a 20-minute
 * (or shorter) window needs a rise of ×2 and a 10-minute drop a fall below ×0.3 (outages are far below that).
 * Longer windows and the hourly run keep the usual bars.
 */
function shortWindowSettings(window: Candidate, settings: DetectionSettings): DetectionSettings {
  const minutes = Math.round(window.fraction * 60);
  let bars = settings;
  if (minutes <= 20) bars = { ...bars, minRateFactor: Math.max(bars.minRateFactor, SHORT_RISE_FACTOR) };
  if (minutes <= 10)
    bars = { ...bars, trafficDropFactor: Math.min(bars.trafficDropFactor, SHORT_DROP_FACTOR) };
  return bars;
}

/**
 * The verdict a metric's normality at a tick is read from: the last 20 minutes (no window fired and these score
 * under confirmThreshold), so a metric whose incident ended is seen normal within a few ticks even while longer
 * windows still hold the incident's minutes.
 */
function recentOf<T extends { window: Candidate }>(verdicts: readonly T[]): T | undefined {
  const recent = verdicts.filter((v) => v.window.fraction <= RECENT_FRACTION + 1e-9);
  return recent.sort((a, b) => b.window.fraction - a.window.fraction)[0] ?? verdicts[0];
}

/** What every window of a tick needs on top of its window penalty: `tickPenalty`, and more between boundaries. */
function tickBar(settings: DetectionSettings, lastFraction: number): number {
  return settings.tickPenalty + (lastFraction < 1 ? BETWEEN_BOUNDARIES_PENALTY : 0);
}

/**
 * The tails of the hour ending at the tick, longest first, each with its window penalty plus `tickPenalty`. A
 * tick between block boundaries (:25) judges the tails from each boundary before it ([:00, :25) … [:20, :25)):
 * the last block is the part of it elapsed, expecting that share of the block's traffic and rows, and every
 * window needs BETWEEN_BOUNDARIES_PENALTY more.
 */
export function tickWindows(input: TickInput, band: Band, settings: DetectionSettings): Candidate[] {
  const { count, lastFraction } = blocksBefore(input.hourStart, input.at);
  const blocks = Array.from({ length: count }, (_, i) => input.blocks[i] ?? ZERO_COUNTS);
  const pace = band.pace ?? undefined;
  // Counts posted in bulk say nothing about parts of an hour: such a series waits for the hourly run.
  if (pace === 'bulk') return [];
  const profile = { shares: band.blockShares, logVariance: band.shareLogVariance };
  const windows: Candidate[] = [];
  for (let first = 0; first < count; first++) {
    const length = count - first;
    const span = length - 1 + lastFraction;
    const part = blocks.slice(first);
    const start = input.hourStart + first * BLOCK_MS;
    const penalty = settings.spanPenalty * windowPenaltyShape(span) + tickBar(settings, lastFraction);
    const fraction = span / BLOCKS_PER_HOUR;
    const window = candidate('span', start, fraction, sumCounts(part), part, penalty, pace, lastFraction);
    windows.push(withProfile(window, profile, first, length, lastFraction));
  }
  return windows;
}

/**
 * The trailing windows that reach back into the previous hour: [at − 10·L, at) for every L from the current hour's
 * blocks + 1 up to 6 (an hour), so an incident that began late in the previous hour is judged on all of its minutes
 * at every tick, not only on the part after the hour turned. Each part is expected as its own hour's band says
 * (rates: Σ nⱼ·pⱼ, each part's rate from its hour's models at its volume; traffic: each hour's expected volume ×
 * its block shares); the two hours' wander is not taken to average out (σ² weighted by expected count, not
 * shrunk), as adjacent hours move together. Only models both bands have judge; the same penalties as in-hour
 * tails of the same length. None when the previous hour is unknown, in cold start or posted in bulk.
 */
export function crossHourWindows(input: TickInput, band: Band, settings: DetectionSettings): TickWindow[] {
  const previous = input.previous;
  const { count, lastFraction } = blocksBefore(input.hourStart, input.at);
  if (!previous || band.pace === 'bulk' || previous.band.pace === 'bulk' || !previous.band.established)
    return [];
  if (previous.band.hourStart !== input.hourStart - BLOCKS_PER_HOUR * BLOCK_MS) return [];
  const current = Array.from({ length: count }, (_, i) => input.blocks[i] ?? ZERO_COUNTS);
  const before = Array.from({ length: BLOCKS_PER_HOUR }, (_, i) => previous.blocks[i] ?? ZERO_COUNTS);
  const elapsed = count - 1 + lastFraction;
  const windows: TickWindow[] = [];
  // Back from one block of the previous hour to as many as keep the window within an hour.
  for (let back = 1; back + elapsed <= BLOCKS_PER_HOUR + 1e-9; back++) {
    const span = back + elapsed;
    const earlier = before.slice(BLOCKS_PER_HOUR - back);
    const blocks = [...earlier, ...current];
    const start = input.hourStart - back * BLOCK_MS;
    const penalty = settings.spanPenalty * windowPenaltyShape(span) + tickBar(settings, lastFraction);
    // A span even at 60 minutes: sliding across the hour it is one more look than the clock hour, so surges
    // need the sub-hour surge factor, and a silent stretch is not the silent clock hour the hourly run pages.
    const base = candidate(
      'span',
      start,
      span / BLOCKS_PER_HOUR,
      sumCounts(blocks),
      blocks,
      penalty,
      band.pace ?? undefined,
      lastFraction,
    );
    const parts = [
      partOf(previous.band, sumCounts(earlier), BLOCKS_PER_HOUR - back, back),
      partOf(band, sumCounts(current), 0, count, lastFraction),
    ];
    const traffic = crossTraffic(parts);
    const models: Partial<Record<Metric, MetricModels>> = { traffic: traffic.models };
    for (const metric of METRICS)
      if (metric !== 'traffic') models[metric] = crossRates(metric, parts, 'together');
    windows.push({
      candidate: {
        ...base,
        share: 1,
        blockShares: traffic.blockShares,
        shareLogVariance: Math.max(previous.band.shareLogVariance, band.shareLogVariance),
      },
      models,
    });
  }
  return windows;
}

/**
 * The window of the whole hour before and this hour's elapsed blocks (70–110 minutes at 10-minute ticks), for
 * rates: the hourly run's windows of several hours (multiHourWindows), judged at the tick. A slow degradation or
 * a moderate step can be too weak for any window of an hour yet plain over more, because two clock hours' own
 * wander partly averages out: as there, each part is expected at its own hour's models and the hours' σ² combine
 * as independent (Σ (nⱼpⱼ)² σ²ⱼ / (Σ nⱼpⱼ)²), the earlier hour is one block of the sustained check, and the
 * window needs `multiHourPenalty` (plus the tick's bar). It is judged only where no shorter window fired.
 * Measured on payment seeds 1–9 (src/quality/README.md, "Windows of several hours at ticks").
 */
export function withHourBefore(
  input: TickInput,
  band: Band,
  settings: DetectionSettings,
): TickWindow | undefined {
  const previous = input.previous;
  const { count, lastFraction } = blocksBefore(input.hourStart, input.at);
  if (!previous || count === 0 || band.pace === 'bulk' || previous.band.pace === 'bulk') return undefined;
  if (!previous.band.established || previous.band.hourStart !== input.hourStart - BLOCKS_PER_HOUR * BLOCK_MS)
    return undefined;
  const current = Array.from({ length: count }, (_, i) => input.blocks[i] ?? ZERO_COUNTS);
  const before = sumCounts(
    Array.from({ length: BLOCKS_PER_HOUR }, (_, i) => previous.blocks[i] ?? ZERO_COUNTS),
  );
  const parts = [
    partOf(previous.band, before, 0, BLOCKS_PER_HOUR),
    partOf(band, sumCounts(current), 0, count, lastFraction),
  ];
  const blocks = [before, ...current];
  const fraction = 1 + (count - 1 + lastFraction) / BLOCKS_PER_HOUR;
  const models: Partial<Record<Metric, MetricModels>> = {};
  for (const metric of METRICS)
    if (metric !== 'traffic') models[metric] = crossRates(metric, parts, 'independent');
  return {
    candidate: {
      kind: 'hours',
      start: previous.band.hourStart,
      fraction,
      counts: sumCounts(blocks),
      blocks,
      penalty: settings.multiHourPenalty + tickBar(settings, lastFraction),
      traffic: undefined,
      share: fraction,
      blockShares: blocks.map(() => 1),
      shareLogVariance: 0,
    },
    models,
  };
}

/**
 * One hour's part of a window reaching across the hour boundary: its band, counts, length in blocks and its
 * blocks' shares of the hour's traffic.
 */
interface Part {
  readonly band: Band;
  readonly counts: WindowCounts;
  readonly length: number;
  readonly shares: readonly number[];
}

/**
 * The part of `band`'s hour made of blocks [first, first + blocks), the last of them partly elapsed
 * (`lastFraction`, 1 when whole) at a tick between block boundaries: it counts by that share.
 */
function partOf(band: Band, counts: WindowCounts, first: number, blocks: number, lastFraction = 1): Part {
  const shares = partialShares(band.blockShares, first, blocks, lastFraction);
  return { band, counts, length: blocks - 1 + lastFraction, shares };
}

const MODEL_ORDER: readonly ModelName[] = ['zscore', 'tree'];

/**
 * Each rate model's expectation over the parts (models both hours have), as one rate for the window. The hours'
 * wander moves `together` (σ² weighted by expected count: adjacent parts of a window of an hour at most), or is
 * `independent` (Σ (nⱼpⱼ)² σ²ⱼ / (Σ nⱼpⱼ)², as multiHourWindows: whole clock hours).
 */
function crossRates(
  metric: Exclude<Metric, 'traffic'>,
  parts: readonly Part[],
  wander: 'together' | 'independent',
): MetricModels {
  const independent = wander === 'independent';
  return MODEL_ORDER.flatMap((name): MetricModel[] => {
    const chosen = parts.map((p) => bandModels(p.band, metric).find((m) => m.model === name));
    if (chosen.some((m) => m?.kind !== 'rate')) return [];
    let expected = 0;
    let weighted = 0;
    let widest = 0;
    chosen.forEach((model, j) => {
      if (model?.kind !== 'rate') return;
      const part = parts[j] as Part;
      const count =
        part.counts.total * model.expectedRate((part.counts.total * BLOCKS_PER_HOUR) / part.length);
      expected += count;
      weighted += (independent ? count * count : count) * model.logVariance;
      widest = Math.max(widest, model.logVariance);
    });
    const total = parts.reduce((sum, p) => sum + p.counts.total, 0);
    const rate = total > 0 ? expected / total : 0;
    let logVariance = independent ? 0 : widest;
    if (expected > 0) logVariance = weighted / (independent ? expected * expected : expected);
    return [{ kind: 'rate', metric, model: name, expectedRate: () => rate, logVariance }];
  });
}

/**
 * Each traffic model's expected volume over the parts, as the "hourly" expectation of a window whose share is 1,
 * and the window's block shares (of the first model's expectation) for the sustained check.
 */
function crossTraffic(parts: readonly Part[]): { models: MetricModels; blockShares: number[] } {
  let blockShares: number[] = [];
  const models = MODEL_ORDER.flatMap((name): MetricModel[] => {
    const chosen = parts.map((p) => p.band.traffic.find((m) => m.model === name));
    if (chosen.some((m) => m === undefined)) return [];
    const perBlock = parts.flatMap((part, j) =>
      part.shares.map((share) => share * (chosen[j]?.expectedHourly ?? 0)),
    );
    const expected = perBlock.reduce((sum, x) => sum + x, 0);
    let weighted = 0;
    chosen.forEach((model, j) => {
      const part = parts[j] as Part;
      const share = part.shares.reduce((a, b) => a + b, 0);
      weighted += (model?.expectedHourly ?? 0) * share * (model?.logVariance ?? 0);
    });
    if (blockShares.length === 0) blockShares = perBlock.map((x) => (expected > 0 ? x / expected : 0));
    return [
      {
        kind: 'traffic',
        model: name,
        expectedHourly: expected,
        logVariance: expected > 0 ? weighted / expected : Math.max(...chosen.map((m) => m?.logVariance ?? 0)),
        provisional: chosen.some((m) => m?.provisional),
      },
    ];
  });
  return { models, blockShares };
}
