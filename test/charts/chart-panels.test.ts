import { describe, expect, it } from 'vitest';
import type { AlertChartInput } from '../../src/charts/alert-chart-input.js';
import { chartPanels, zoomHours } from '../../src/charts/chart-panels.js';
import { exampleChartInput } from '../../src/charts/example-chart.js';

const HOUR = 3_600_000;
const input = exampleChartInput();
const now = input.to;

describe('chartPanels', () => {
  it('shows 48 hours beside the last 6 hours, zoomed', () => {
    const panels = chartPanels(input, 50, 600);
    expect(panels.map((p) => [p.caption, (p.to - p.from) / HOUR])).toEqual([
      ['last 48 hours', 48],
      ['last 6 hours', 6],
    ]);
    expect(panels[0]?.right).toBeLessThan(panels[1]?.left ?? 0);
    expect(panels[1]?.xOf(now)).toBe(600);
  });

  it('shows a range of 12 hours or less in one panel', () => {
    const short: AlertChartInput = { ...input, from: now - 12 * HOUR };
    expect(chartPanels(short, 50, 600).map((p) => p.caption)).toEqual(['last 12 hours']);
  });
});

describe('zoomHours', () => {
  it.each([
    { case: 'no alert window', window: undefined, hours: 6 },
    { case: 'an alert since 1 hour', window: { start: now - HOUR, end: now }, hours: 6 },
    {
      case: 'an alert since 7.5 hours (8 + 1 before it)',
      window: { start: now - 7.5 * HOUR, end: now },
      hours: 9,
    },
    { case: 'an alert since 30 hours (at most 12)', window: { start: now - 30 * HOUR, end: now }, hours: 12 },
  ])('zooms on the last $hours hours with $case', ({ window, hours }) => {
    expect(zoomHours({ to: now, alertWindow: window })).toBe(hours);
  });
});
