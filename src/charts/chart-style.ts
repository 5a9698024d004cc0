import type { Severity } from '../detection/types.js';

/**
 * Size, type and colours of the alert chart. Drawn at 640 × 360 and rasterised at 2×: Slack shows images in a
 * thread at roughly 360–600 px wide, where the 13–14 px labels come out at 8–13 px (the title and the latest
 * value larger) and the 2× pixels keep them sharp on high-density phone screens. The background is opaque white, so the chart reads the same in Slack's light
 * and dark themes and in email.
 */
export const CHART = {
  width: 640,
  height: 360,
  scale: 2,
  /** The plot area; `left` grows with the widest value label, `right` with the latest value's label. */
  grid: { top: 86, right: 18, bottom: 60, minLeft: 40 },
  font: { title: 18, badge: 11.5, subtitle: 13, caption: 13, axis: 13.5, legend: 13, marker: 13, latest: 14 },
} as const;

export const COLOURS = {
  background: '#ffffff',
  title: '#0f172a',
  text: '#475569',
  axisLine: '#94a3b8',
  grid: '#e2e8f0',
  observed: '#1d4ed8',
  expected: '#475569',
  band: 'rgba(100, 116, 139, 0.22)',
  bandLegend: '#d5dae1',
} as const;

/**
 * The severity's accent (stripe, badge, alert window, the observed line inside it): the hues of the Slack card's
 * badges, dark enough for white badge text and for a line on white (contrast ≥ 3:1).
 */
export const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  low: '#64748b',
  medium: '#b45309',
  high: '#ea580c',
  critical: '#dc2626',
};

/** The alert window's shading: the accent, faint (`rgba`, which every SVG renderer reads). */
export function windowFill(severity: Severity, alpha = 0.12): string {
  const hex = SEVERITY_COLOURS[severity];
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
