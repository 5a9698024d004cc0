import type { ValueAxis } from './alert-chart-input.js';

/** A y axis from 0 to `max` in steps of `interval`, with its labels. */
export interface ValueScale {
  readonly max: number;
  readonly interval: number;
  readonly ticks: readonly { readonly value: number; readonly label: string }[];
}

const NICE_STEPS = [1, 2, 2.5, 5, 10] as const;
/** Room above the highest value so the line never runs along the top edge. */
const HEADROOM = 1.08;
/** The axis of a series that is all zeros (or empty): 0–1 % for rates, 0–10 for volumes. */
const EMPTY_TOP = { rate: 0.01, count: 10 } as const;

/**
 * A 0-based axis in the smallest step of 1, 2, 2.5 or 5 × 10^k that reaches past `highest` (plus 8 %) in at
 * most `maxIntervals` steps. Volumes step by at least 1 (no 0.5 transactions). A flat zero series still gets
 * an axis.
 */
export function valueScale(highest: number, axis: ValueAxis, maxIntervals = 5): ValueScale {
  const top = highest > 0 && Number.isFinite(highest) ? highest * HEADROOM : EMPTY_TOP[axis.kind];
  const raw = top / maxIntervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = NICE_STEPS.find((s) => s * magnitude >= raw * (1 - 1e-9)) ?? 10;
  const interval = axis.kind === 'count' ? Math.max(1, round(step * magnitude)) : round(step * magnitude);
  const count = Math.ceil(top / interval - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => {
    const value = round(i * interval);
    return { value, label: valueLabel(value, interval, axis) };
  });
  return { max: round(count * interval), interval, ticks };
}

/** The label of a value on an axis (or alone, without `interval`): `3.8 %`, `45k`. */
export function valueLabel(value: number, interval: number | undefined, axis: ValueAxis): string {
  return axis.kind === 'rate' ? formatRate(value, interval) : formatCount(value, interval);
}

/**
 * A rate (fraction) as a percentage with as many decimals as the axis step needs (0.0025 → 2), trailing zeros
 * trimmed: `0 %`, `0.25 %`, `3.8 %`. Alone (no step): one decimal under 10 %, none above.
 */
export function formatRate(rate: number, interval?: number): string {
  const percent = rate * 100;
  const digits = interval === undefined ? (Math.abs(percent) < 10 ? 1 : 0) : decimalsOf(interval * 100);
  return `${trim(percent.toFixed(digits))} %`;
}

const COUNT_UNITS = [
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'k' },
] as const;

/**
 * A volume in compact form, the unit chosen by the value itself: `850`, `1.2k`, `45k`, `1.3M`. On an axis the
 * decimals follow the step (1,250 with a 250 step → `1.25k`); alone, one decimal under 10 of the unit.
 */
export function formatCount(value: number, interval?: number): string {
  const unit = COUNT_UNITS.find((u) => Math.abs(value) >= u.size);
  const size = unit?.size ?? 1;
  const scaled = value / size;
  const digits =
    interval === undefined ? (unit && Math.abs(scaled) < 10 ? 1 : 0) : decimalsOf(interval / size);
  return `${trim(scaled.toFixed(digits))}${unit?.suffix ?? ''}`;
}

/** Decimals needed to write multiples of `step` exactly (0.25 → 2, 5 → 0), at most 3. */
function decimalsOf(step: number): number {
  for (let digits = 0; digits < 3; digits++) {
    const scaled = step * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6) return digits;
  }
  return 3;
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** Strips binary noise (0.30000000000000004 → 0.3). */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
