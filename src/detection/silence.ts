import type { Band } from './band.js';
import { BLOCK_MS, BLOCKS_PER_HOUR, blocksBefore } from './blocks.js';
import { scoreCount } from './count-score.js';
import type { DetectionSettings } from './settings.js';
import { severityOf } from './severity.js';
import type { Finding, WindowCounts } from './types.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** How far back a tick looks for the series' last row; a longer silence counts as this long. */
export const SILENCE_LOOKBACK_MINUTES = 120;
/** A series posting every minute has this pace (reportingPace). */
const EVERY_MINUTE = 60;

/** A 10-minute block with at most this many rows (of 10) is as good as silent: a stray post does not end an outage. */
const SPARSE_ROWS = 2;

/** What silence reads of a tick. */
export interface SilenceInput {
  readonly source: string;
  readonly environment: string;
  /** The tick instant, epoch ms. */
  readonly at: number;
  /** Epoch ms of the series' last minute with a row before `at` (within the look-back), undefined if none. */
  readonly lastReportedMinute?: number | undefined;
  /** Epoch ms of the tick's clock hour and its 10-minute blocks before `at`, the last maybe partial (sparse silences). */
  readonly hourStart?: number;
  readonly blocks?: readonly WindowCounts[];
  /** The previous clock hour's six blocks. */
  readonly previous?: { readonly blocks: readonly WindowCounts[] } | undefined;
}

/**
 * A series that posts every minute and has posted no row for at least `silenceMinutes` before the tick is silent;
 * the silence is a traffic outage (a finding: traffic, down, observed 0, from the first silent minute) when the
 * traffic expected in it is large enough that zero is far outside normal — every model's score of 0 against its
 * expectation reaches `confirmThreshold`, the strongest `threshold` + `tickPenalty` (as any window at a tick), and
 * the least alarming expectation is at least `minTrafficExcess`. Expected traffic in the silent minutes: the
 * band's expected hourly volume × the block shares of the minutes in this hour (the hour's average pace for
 * minutes of the previous hour). Sources that post only busy minutes, or on a coarser clock, are left to their
 * own pace: their missing minutes are normal. Cold-start series are left to the hourly run.
 */
export function silence(input: SilenceInput, band: Band, settings: DetectionSettings): Finding | undefined {
  if (band.pace !== EVERY_MINUTE || !band.established || band.traffic.length === 0) return undefined;
  const lookedBack = input.at - SILENCE_LOOKBACK_MINUTES * MINUTE_MS;
  const noRows = Math.max(
    input.lastReportedMinute === undefined ? lookedBack : input.lastReportedMinute + MINUTE_MS,
    lookedBack,
  );
  const sparse = sparseStretch(input);
  const start = Math.min(noRows, sparse.start);
  const observed = sparse.start < noRows ? sparse.total : 0;
  const silentMinutes = Math.round((input.at - start) / MINUTE_MS);
  if (silentMinutes < settings.silenceMinutes) return undefined;
  const share = silentShare(start, input.at, band);
  const partial = input.at - start < HOUR_MS;
  const verdicts = band.traffic.map((m) => {
    const expected = m.expectedHourly * share;
    const logVariance = m.logVariance + (partial ? band.shareLogVariance : 0);
    return { model: m.model, expected, score: scoreCount(observed, expected, logVariance, 'down') };
  });
  if (!verdicts.some((v) => v.model !== 'tree')) return undefined;
  const scores = verdicts.map((v) => v.score);
  const strongest = Math.max(...scores);
  const bar = settings.threshold + settings.tickPenalty;
  if (strongest < bar || Math.min(...scores) < settings.confirmThreshold) return undefined;
  const expected = Math.min(...verdicts.map((v) => v.expected));
  if (expected - observed < settings.minTrafficExcess || observed > expected * settings.trafficDropFactor)
    return undefined;
  return {
    source: input.source,
    environment: input.environment,
    metric: 'traffic',
    windowStart: new Date(start),
    windowEnd: new Date(input.at),
    direction: 'down',
    models: verdicts.filter((v) => v.score >= bar).map((v) => v.model),
    observedRate: observed,
    expectedRate: expected,
    score: round(strongest, 2),
    severity: severityOf(strongest, Number.POSITIVE_INFINITY, settings.severity),
    counts: {
      observed,
      expected: round(expected, 1),
      excess: Math.round(observed - expected),
      total: observed,
    },
    scores: Object.fromEntries(verdicts.map((v) => [v.model, round(v.score, 2)])),
    silentMinutes,
  };
}

/**
 * The trailing 10-minute blocks before the tick (this hour's, then the previous hour's) that hold at most
 * SPARSE_ROWS rows each: where they begin and the transactions they hold. A poster that is down may still post a
 * stray minute or two; those rows do not end the silence (they are counted as observed). `at` when the newest
 * block is not sparse.
 */
function sparseStretch(input: SilenceInput): { start: number; total: number } {
  const hourStart = input.hourStart;
  if (hourStart === undefined || !input.blocks) return { start: input.at, total: 0 };
  // This hour's blocks before the tick, the last one partly elapsed when the tick falls inside it.
  const { count } = blocksBefore(hourStart, input.at);
  const trailing = [
    ...(input.previous?.blocks ?? []).slice(0, BLOCKS_PER_HOUR).map((b, i) => ({
      start: hourStart - HOUR_MS + i * BLOCK_MS,
      end: hourStart - HOUR_MS + (i + 1) * BLOCK_MS,
      block: b,
    })),
    ...Array.from({ length: count }, (_, i) => ({
      start: hourStart + i * BLOCK_MS,
      end: Math.min(hourStart + (i + 1) * BLOCK_MS, input.at),
      block: input.blocks?.[i],
    })),
  ];
  let start = input.at;
  let total = 0;
  for (let i = trailing.length - 1; i >= 0; i--) {
    const entry = trailing[i];
    if (!entry || entry.end !== start || (entry.block?.minutes ?? 0) > SPARSE_ROWS) break;
    start = entry.start;
    total += entry.block?.total ?? 0;
  }
  return { start, total };
}

/** The share of the band's hourly volume expected in [start, at): block shares inside the hour, an even pace before it. */
export function silentShare(start: number, at: number, band: Band): number {
  let share = Math.max(0, Math.min(at, band.hourStart) - start) / HOUR_MS;
  for (let i = 0; i < BLOCKS_PER_HOUR; i++) {
    const blockStart = band.hourStart + i * BLOCK_MS;
    const overlap = Math.min(at, blockStart + BLOCK_MS) - Math.max(start, blockStart);
    if (overlap > 0) share += (band.blockShares[i] ?? 0) * (overlap / BLOCK_MS);
  }
  return share;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
