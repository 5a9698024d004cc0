import type { ExpectedPoint, ObservedPoint } from '../charts/alert-chart-input.js';
import { BLOCK_MS, BLOCKS_PER_HOUR } from '../detection/blocks.js';
import type { LoadedTree } from '../detection/decision-tree.js';
import { hourProfile } from '../detection/hour-profile.js';
import { metricModels } from '../detection/metric-models.js';
import { withLostPostsOut } from '../detection/reporting-pace.js';
import type { DetectionSettings } from '../detection/settings.js';
import type { CalendarPosition, HistoryHour, Metric, WindowCounts } from '../detection/types.js';
import { type BandBucket, expectedBandOf } from './expected-band.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A 10-minute block of minute rows. */
export interface FineBlock {
  readonly start: number;
  readonly counts: WindowCounts;
}

/** What the chart's points are computed from: one series' hours and recent blocks, its trees and settings. */
export interface PointsInput {
  readonly metric: Metric;
  /** Dense hourly history, oldest first, from at least `historyDays` before `from` up to the last whole hour. */
  readonly history: readonly HistoryHour[];
  /** Hourly points cover [hoursFrom, fineFrom); 10-minute blocks cover [fineFrom, …). Both hour-aligned. */
  readonly hoursFrom: number;
  readonly fineFrom: number;
  readonly blocks: readonly FineBlock[];
  /** The trees that judged the hour starting then (the stored ones of its training cut-off), if any. */
  readonly treeAt: (hourStart: number) => LoadedTree | undefined;
  readonly settings: DetectionSettings;
  /** The source's calendar (time zone, holidays): where an hour sits for the models. */
  readonly positionOf: (hourStart: number) => CalendarPosition;
}

export interface ChartPoints {
  readonly observed: ObservedPoint[];
  readonly expected: ExpectedPoint[];
}

/**
 * The observed series and the expected band of the chart: an hourly point per history hour in
 * [hoursFrom, fineFrom), then a point per 10-minute block. Each bucket's models are the live ones
 * (`metricModels` at the bucket's hour, with the 28 days of history before that hour), its band that of
 * `expectedBandOf` at the bucket's own length and volume. Rates are fractions; traffic is transactions per hour
 * (a block's count × 6), so hourly and 10-minute points share one axis. Pure.
 */
export function chartPoints(input: PointsInput): ChartPoints {
  const observed: ObservedPoint[] = [];
  const expected: ExpectedPoint[] = [];
  const first = input.history[0]?.hourStart;
  if (first === undefined) return { observed, expected };
  for (const hour of input.history) {
    if (hour.hourStart < input.hoursFrom || hour.hourStart >= input.fineFrom) continue;
    const models = modelsAt(input, hour.hourStart, first);
    const bucket = { start: hour.hourStart, minutes: 60, total: hour.total, share: 1, shareLogVariance: 0 };
    observed.push({ start: hour.hourStart, minutes: 60, value: observedValue(input.metric, hour, 60) });
    expected.push(expectedPoint(input, models.models, bucket));
  }
  for (const block of input.blocks) {
    const hourStart = Math.floor(block.start / HOUR_MS) * HOUR_MS;
    const { models, recent } = modelsAt(input, hourStart, first);
    const index = Math.round((block.start - hourStart) / BLOCK_MS);
    const profile = hourProfile(recent, hourStart, BLOCKS_PER_HOUR);
    const bucket: BandBucket = {
      start: block.start,
      minutes: 10,
      total: block.counts.total,
      share: profile.shares[index] ?? 1 / BLOCKS_PER_HOUR,
      shareLogVariance: profile.logVariance,
    };
    observed.push({ start: block.start, minutes: 10, value: observedValue(input.metric, block.counts, 10) });
    expected.push(expectedPoint(input, models, bucket));
  }
  return { observed, expected };
}

/** The models at an hour, from the history before it (as evaluateHour reads it: lost posts left out). */
function modelsAt(input: PointsInput, hourStart: number, first: number) {
  const end = Math.max(0, Math.min(input.history.length, (hourStart - first) / HOUR_MS));
  const start = Math.max(0, end - input.settings.historyDays * (DAY_MS / HOUR_MS));
  const recent = withLostPostsOut(input.history.slice(start, end));
  const position = input.positionOf(hourStart);
  const models = metricModels(input.metric, position, recent, input.treeAt(hourStart), input.settings);
  return { models, recent };
}

function expectedPoint(
  input: PointsInput,
  models: ReturnType<typeof metricModels>,
  bucket: BandBucket,
): ExpectedPoint {
  const band = expectedBandOf(input.metric, models, bucket, input.settings);
  const base = { start: bucket.start, minutes: bucket.minutes };
  if (!band) return { ...base, expected: null, low: null, high: null };
  const scale = input.metric === 'traffic' ? 60 / bucket.minutes : 1 / bucket.total;
  const edges = band.high === null ? { low: null, high: null } : { low: band.low, high: band.high };
  return {
    ...base,
    expected: band.expected * scale,
    low: edges.low === null ? null : edges.low * scale,
    high: edges.high === null ? null : edges.high * scale,
  };
}

/** A rate (null without transactions) or transactions per hour. */
function observedValue(metric: Metric, counts: WindowCounts, minutes: number): number | null {
  if (metric === 'traffic') return counts.total * (60 / minutes);
  return counts.total > 0 ? counts[metric] / counts.total : null;
}
