import { alertKey } from '../alerts/alert-state.js';
import { tickRunKey } from '../alerts/run-key.js';
import { type Band, bandFromJson, bandToJson } from '../detection/band.js';
import { BLOCK_MS, BLOCKS_PER_HOUR } from '../detection/blocks.js';
import { evaluateTick, type TickInput } from '../detection/evaluate-tick.js';
import { ZERO_COUNTS } from '../detection/history.js';
import { SILENCE_LOOKBACK_MINUTES } from '../detection/silence.js';
import type { Finding, WindowCounts } from '../detection/types.js';
import type { Catalog } from '../storage/catalogs.js';
import { isMuted } from '../storage/mutes.js';
import type { SeriesInfo, SourceStore } from '../storage/sources.js';
import type { BatchDeps } from './evaluate-batch.js';
import { SERIES_PER_BATCH } from './hour-run.js';
import { bandOfContext } from './next-band.js';
import { raiseCounted } from './raise-counted.js';
import { forEachSeriesContext } from './series-context.js';
import { toWindowCounts } from './window-counts.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface TickRunDeps extends BatchDeps {
  readonly sources: SourceStore;
  /** Days of history any model looks back: the same active series as the hourly run. */
  readonly activeDays: number;
}

/** What one tick batch did: every finding it computed (muted ones too) and the bands it had to compute. */
export interface TickBatchResult {
  readonly series: number;
  readonly findings: Finding[];
  readonly bandsComputed: number;
}

/**
 * Whether `at` is an instant a tick can judge: a 10-minute block boundary strictly inside its clock hour (the
 * hour's start belongs to the hourly run). The tick's unit is the 10-minute block of the hourly core.
 */
export function isTickInstant(at: Date): boolean {
  const intoHour = at.getTime() % HOUR_MS;
  return intoHour > 0 && intoHour % BLOCK_MS === 0;
}

/** The clock hour a tick falls in. */
export function tickHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/**
 * First step of a tick: the series the hourly run would judge (reported in the last `activeDays`, not paused), in
 * id order and cut as the hourly run cuts them, so a retried step cuts the same batches.
 */
export async function prepareTick(deps: TickRunDeps, at: Date): Promise<SeriesInfo[][]> {
  if (!isTickInstant(at)) throw new Error(`not a tick instant: ${at.toISOString()}`);
  const series = await deps.sources.listActiveSeries(
    new Date(tickHour(at).getTime() - deps.activeDays * DAY_MS),
  );
  const batches: SeriesInfo[][] = [];
  for (let i = 0; i < series.length; i += SERIES_PER_BATCH)
    batches.push(series.slice(i, i + SERIES_PER_BATCH));
  return batches;
}

/**
 * One batch of a tick: reads, in one query each, the bands of its series for the hour, the hour's 10-minute
 * blocks before `at`, each series' last reported minute (within the silence look-back), and the previous hour's
 * bands and blocks (for the windows that reach back across the hour's start); judges each series
 * (evaluateTick) and raises every finding through the alert service under the tick's run key — recorded once
 * per series, metric and tick, so a retried batch, a second worker or a repeated tick raises nothing twice —
 * and counts the metrics it judged normal towards recovery. A series without a stored band (a fresh start, or
 * the hourly run not done yet) gets one computed from its own context, as the hourly run would, and stored.
 */
export async function evaluateTickBatch(
  deps: TickRunDeps,
  series: readonly SeriesInfo[],
  at: Date,
  evaluatedAt: Date,
): Promise<TickBatchResult> {
  const hourStart = tickHour(at);
  const previousHour = new Date(hourStart.getTime() - HOUR_MS);
  const ids = series.map((s) => s.id);
  const [stored, blocks, lastMinutes, mutes, previousBands, previousBlocks] = await Promise.all([
    deps.bands.load(ids, hourStart),
    deps.counts.readBlocks(ids, hourStart, at),
    deps.counts.lastMinutes(ids, new Date(at.getTime() - SILENCE_LOOKBACK_MINUTES * MINUTE_MS), at),
    deps.mutes.active(evaluatedAt),
    // The previous hour's band and blocks: windows of up to an hour that reach back across its end.
    deps.bands.load(ids, previousHour),
    deps.counts.readBlocks(ids, previousHour),
  ]);
  const bands = new Map<number, Band>([...stored].map(([id, json]) => [id, bandFromJson(json)]));
  const missing = series.filter((s) => !bands.has(s.id));
  if (missing.length > 0)
    for (const [id, band] of await computeBands(deps, missing, hourStart, at)) bands.set(id, band);
  const runKey = tickRunKey(at);
  const complete = (at.getTime() - hourStart.getTime()) / BLOCK_MS;
  const findings: Finding[] = [];
  const normalKeys: string[] = [];
  for (const info of series) {
    const band = bands.get(info.id) as Band;
    const catalog = deps.catalogs.get(info.catalogId) as Catalog;
    const previousBand = previousBands.get(info.id);
    const input: TickInput = {
      source: info.source,
      environment: info.environment,
      at: at.getTime(),
      hourStart: hourStart.getTime(),
      blocks: blockCounts(blocks.get(info.id), catalog, complete),
      lastReportedMinute: lastMinutes.get(info.id)?.getTime(),
      previous: previousBand
        ? {
            band: bandFromJson(previousBand),
            blocks: blockCounts(previousBlocks.get(info.id), catalog, BLOCKS_PER_HOUR),
          }
        : undefined,
    };
    const evaluation = evaluateTick(input, band, deps.profileOf(info.source).settings);
    for (const finding of evaluation.findings) {
      findings.push(finding);
      await raiseCounted(deps, {
        seriesId: info.id,
        hourStart,
        tickAt: at,
        finding,
        muted: isMuted(mutes, info.source, info.environment, finding.metric),
        at: evaluatedAt,
        runKey,
      });
    }
    for (const metric of evaluation.normal) normalKeys.push(alertKey(info.source, info.environment, metric));
  }
  await deps.alertService.recordNormalTick({ keys: normalKeys, tickAt: at, at: evaluatedAt, runKey });
  return { series: series.length, findings, bandsComputed: missing.length };
}

/**
 * The bands of series the hourly run stored none for, computed from their own context for the hour (after
 * rolling up their pending minutes, so the hour before is in their history) and stored.
 */
async function computeBands(
  deps: TickRunDeps,
  series: readonly SeriesInfo[],
  hourStart: Date,
  at: Date,
): Promise<Map<number, Band>> {
  await deps.counts.flushRollups({ seriesIds: series.map((s) => s.id) });
  const bands = new Map<number, Band>();
  await forEachSeriesContext(deps, series, hourStart, at, (context) => {
    bands.set(context.info.id, bandOfContext(context));
  });
  await deps.bands.upsert(
    [...bands].map(([seriesId, band]) => ({ seriesId, hourStart, json: bandToJson(band) })),
  );
  return bands;
}

/** The hour's first `complete` blocks as detection reads them; a block without rows counts zero. */
function blockCounts(
  rows: readonly { slots: readonly number[]; minutes: number }[] | undefined,
  catalog: Catalog,
  complete: number,
): WindowCounts[] {
  const counts: WindowCounts[] = [];
  for (let block = 0; block < Math.min(complete, BLOCKS_PER_HOUR); block++) {
    const row = rows?.[block];
    counts.push(row ? toWindowCounts(row.slots, catalog, row.minutes) : ZERO_COUNTS);
  }
  return counts;
}

/** Adds up tick batch results. */
export function addTickTotals(parts: readonly { series: number; findings: number }[]): {
  series: number;
  findings: number;
} {
  return {
    series: parts.reduce((n, p) => n + p.series, 0),
    findings: parts.reduce((n, p) => n + p.findings, 0),
  };
}

/**
 * Last step of a tick: releases the alert changes its batches made (held under the tick's run key) for
 * delivery together, and records how long the tick took.
 */
export async function finishTick(
  deps: Pick<TickRunDeps, 'alertService' | 'metrics'>,
  at: Date,
  startedAt: Date,
  totals: { series: number; findings: number },
  finishedAt: Date,
): Promise<void> {
  deps.metrics?.evaluationTick((finishedAt.getTime() - startedAt.getTime()) / 1000, totals.series);
  await deps.alertService.runFinished(tickRunKey(at));
}
