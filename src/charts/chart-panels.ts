import type { AlertChartInput } from './alert-chart-input.js';
import { CHART } from './chart-style.js';

/** One plot area on the canvas (px) and the time range it shows. */
export interface Panel {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly from: number;
  readonly to: number;
  /** What the panel shows, above it: `48 hours`, `last 6 hours`. */
  readonly caption: string;
  /** x in px of an instant (epoch ms). */
  xOf(at: number): number;
}

const HOUR_MS = 3_600_000;
/** Ranges longer than this get a second, zoomed panel of the last hours (the incident is a sliver of 48 h). */
const FOCUS_FROM_RANGE_HOURS = 12;
const FOCUS_HOURS = { usual: 6, max: 12 } as const;
/** Share of the plot width the zoomed panel takes, and the gap between the panels (px). */
const FOCUS_SHARE = 0.36;
const PANEL_GAP = 16;

/**
 * The panels of a chart between `left` and `right` (px): the whole range, and — for a range over 12 hours —
 * beside it the last hours zoomed, so 5- or 10-minute points near the incident are seen at their resolution.
 */
export function chartPanels(input: AlertChartInput, left: number, right: number): Panel[] {
  const hours = Math.round((input.to - input.from) / HOUR_MS);
  if (hours <= FOCUS_FROM_RANGE_HOURS)
    return [panel(left, right, input.from, input.to, `last ${hours} hours`)];
  const focusHours = zoomHours(input);
  const split = right - (right - left) * FOCUS_SHARE;
  return [
    panel(left, split - PANEL_GAP / 2, input.from, input.to, `last ${hours} hours`),
    panel(
      split + PANEL_GAP / 2,
      right,
      input.to - focusHours * HOUR_MS,
      input.to,
      `last ${focusHours} hours`,
    ),
  ];
}

/** 6 hours, or more whole hours (at most 12) when it takes more to show the alert's start and an hour before it. */
export function zoomHours(input: Pick<AlertChartInput, 'to' | 'alertWindow'>): number {
  const start = input.alertWindow?.start;
  if (start === undefined || start > input.to) return FOCUS_HOURS.usual;
  const needed = Math.ceil((input.to - start) / HOUR_MS) + 1;
  return Math.min(FOCUS_HOURS.max, Math.max(FOCUS_HOURS.usual, needed));
}

function panel(left: number, right: number, from: number, to: number, caption: string): Panel {
  const span = Math.max(1, to - from);
  return {
    left,
    right,
    top: CHART.grid.top,
    bottom: CHART.height - CHART.grid.bottom,
    from,
    to,
    caption,
    xOf: (at) => left + ((at - from) / span) * (right - left),
  };
}
