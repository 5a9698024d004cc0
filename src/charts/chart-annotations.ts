import type { GraphicComponentOption } from 'echarts';
import type { Severity } from '../detection/types.js';
import type { AlertChartInput } from './alert-chart-input.js';
import { type Measure, rect, text } from './chart-header.js';
import type { Panel } from './chart-panels.js';
import { CHART, COLOURS, SEVERITY_COLOURS, windowFill } from './chart-style.js';
import { localTimeLabel } from './time-axis.js';

type Element = GraphicComponentOption;

const SAMPLE_WIDTH = 18;
const SAMPLE_GAP = 6;
const ITEM_GAP = 18;

/** The legend under the axis, centred: observed, expected, normal range, alert window. */
export function legendGraphics(severity: Severity, measure: Measure): Element[] {
  const y = CHART.height - 14;
  const font = `${CHART.font.legend}px`;
  const items: { label: string; sample: (x: number) => Element }[] = [
    { label: 'observed', sample: (x) => line(x, y, COLOURS.observed, 2.5) },
    { label: 'expected', sample: (x) => line(x, y, COLOURS.expected, 1.5, [4, 3]) },
    { label: 'normal range', sample: (x) => rect(x, y - 6, SAMPLE_WIDTH, 12, COLOURS.bandLegend) },
    {
      label: 'alert',
      sample: (x) => ({
        type: 'group',
        children: [
          rect(x, y - 7, SAMPLE_WIDTH, 14, windowFill(severity, 0.18)),
          line(x + 0.75, y - 7, SEVERITY_COLOURS[severity], 1.5, [3, 2], { x: 0, y: 14 }),
        ],
      }),
    },
  ];
  const widths = items.map((item) => SAMPLE_WIDTH + SAMPLE_GAP + measure(item.label, font));
  const total = widths.reduce((sum, w) => sum + w, 0) + ITEM_GAP * (items.length - 1);
  let x = (CHART.width - total) / 2;
  return items.flatMap((item, i) => {
    const elements = [
      item.sample(x),
      text(x + SAMPLE_WIDTH + SAMPLE_GAP, y, item.label, { fill: COLOURS.text, fontSize: CHART.font.legend }),
    ];
    x += (widths[i] ?? 0) + ITEM_GAP;
    return elements;
  });
}

/**
 * `alert since 18:40` at the top of the plot, beside the window's start line: to its left when there is room
 * (the window is usually at the right edge), else to its right. A window that began before the range is
 * labelled at the left edge with its real start.
 */
export function windowLabel(input: AlertChartInput, frame: Panel, measure: Measure): Element[] {
  const window = input.alertWindow;
  if (!window || window.end < frame.from || window.start > frame.to) return [];
  const label = `alert since ${localTimeLabel(window.start, input.to, input.timeZone)}`;
  const font = `600 ${CHART.font.marker}px`;
  const x = frame.xOf(Math.max(window.start, frame.from));
  const leftOfLine = x - 6 - measure(label, font) >= frame.left + 4;
  return [
    text(leftOfLine ? x - 6 : x + 6, frame.top + 11, label, {
      fill: SEVERITY_COLOURS[input.severity],
      fontSize: CHART.font.marker,
      weight: 600,
      align: leftOfLine ? 'right' : 'left',
      // Left of the line the label sits on white, above the grid lines; right of it, on the window's shading.
      ...(leftOfLine ? { background: COLOURS.background } : {}),
    }),
  ];
}

/** What each panel shows, above its top-left corner. */
export function panelCaptions(panels: readonly Panel[]): Element[] {
  return panels.map((panel) =>
    text(panel.left, panel.top - 11, panel.caption, {
      fill: COLOURS.text,
      fontSize: CHART.font.caption,
      weight: 600,
    }),
  );
}

/** Says so across the plot when there is nothing to draw. */
export function noDataLabel(input: AlertChartInput, panels: readonly Panel[]): Element[] {
  const hours = Math.round((input.to - input.from) / 3_600_000);
  const left = panels[0]?.left ?? 0;
  const right = panels.at(-1)?.right ?? CHART.width;
  const middle = CHART.grid.top + (CHART.height - CHART.grid.bottom - CHART.grid.top) / 2;
  return [
    text((left + right) / 2, middle, `No data in these ${hours} hours`, {
      fill: COLOURS.text,
      fontSize: 15,
      weight: 600,
      align: 'center',
      background: COLOURS.background,
    }),
  ];
}

/** A legend sample line from (x, y), horizontal and `SAMPLE_WIDTH` long unless `extent` says otherwise. */
function line(
  x: number,
  y: number,
  stroke: string,
  lineWidth: number,
  lineDash?: number[],
  extent = { x: SAMPLE_WIDTH, y: 0 },
): Element {
  return {
    type: 'line',
    silent: true,
    shape: { x1: x, y1: y, x2: x + extent.x, y2: y + extent.y },
    style: { stroke, lineWidth, ...(lineDash ? { lineDash } : {}) },
  };
}
