import type { LineSeriesOption, ScatterSeriesOption, VisualMapComponentOption } from 'echarts';
import type { AlertChartInput } from './alert-chart-input.js';
import type { Panel } from './chart-panels.js';
import { CHART, COLOURS, SEVERITY_COLOURS, windowFill } from './chart-style.js';
import { isolatedPoints, withinRange, type XY } from './series-data.js';
import { valueLabel } from './value-axis.js';

/** The drawable series of a chart, as `series-data` prepares them. */
export interface ChartData {
  readonly observed: XY[];
  readonly expected: XY[];
  readonly bandLower: XY[];
  readonly bandHeight: XY[];
}

type Series = LineSeriesOption | ScatterSeriesOption;

/** Series ids that start with this are coloured by the alert window. */
const OBSERVED_ID = 'observed';

/**
 * The series of one panel (grid `index`): the band (two stacked lines, only the upper one filled), the expected
 * line, the observed line with the alert window shaded and its start marked, dots for observed points between
 * gaps, and (given `latest`, in the last panel) the latest observed value, labelled.
 */
export function panelSeries(
  input: AlertChartInput,
  data: ChartData,
  panel: Panel,
  index: number,
  latest: LatestValue | undefined,
): Series[] {
  const axes = { xAxisIndex: index, yAxisIndex: index };
  const inPanel = (xy: readonly XY[]) => withinRange(xy, panel.from, panel.to);
  const observed = inPanel(data.observed);
  const plain = { ...axes, silent: true, animation: false, showSymbol: false, symbol: 'none' } as const;
  const hidden = { lineStyle: { opacity: 0 } };
  const series: Series[] = [
    { ...plain, type: 'line', stack: `band-${index}`, data: inPanel(data.bandLower), ...hidden },
    {
      ...plain,
      type: 'line',
      stack: `band-${index}`,
      data: inPanel(data.bandHeight),
      ...hidden,
      areaStyle: { color: COLOURS.band, opacity: 1 },
    },
    {
      ...plain,
      type: 'line',
      data: inPanel(data.expected),
      sampling: 'lttb',
      lineStyle: { color: COLOURS.expected, width: 1.5, type: [4, 3] },
    },
    {
      ...plain,
      id: `${OBSERVED_ID}-line-${index}`,
      type: 'line',
      data: observed,
      // More points than pixels (1-minute data over 48 hours): ECharts keeps the peaks and the gaps (LTTB).
      sampling: 'lttb',
      // The colour when no alert window is given; inside a window `windowColouring` paints it in the accent.
      color: COLOURS.observed,
      lineStyle: { width: 2 },
      ...windowMarks(input, panel),
    },
    {
      ...axes,
      id: `${OBSERVED_ID}-dots-${index}`,
      type: 'scatter',
      silent: true,
      color: COLOURS.observed,
      data: isolatedPoints(observed),
      symbolSize: 5,
    },
  ];
  return latest === undefined ? series : [...series, { ...axes, ...latestValueSeries(input, latest) }];
}

/** Colours the observed line and its dots in the severity's accent inside the alert window. */
export function windowColouring(
  input: AlertChartInput,
  series: readonly Series[],
): VisualMapComponentOption[] {
  const window = input.alertWindow;
  if (!window) return [];
  const observed = series.flatMap((s, i) => (String(s.id ?? '').startsWith(OBSERVED_ID) ? [i] : []));
  return [
    {
      type: 'piecewise',
      show: false,
      dimension: 0,
      seriesIndex: observed,
      pieces: [{ gte: window.start, lte: window.end, color: SEVERITY_COLOURS[input.severity] }],
      outOfRange: { color: COLOURS.observed },
    },
  ];
}

function windowMarks(input: AlertChartInput, panel: Panel): Pick<LineSeriesOption, 'markArea' | 'markLine'> {
  const window = input.alertWindow;
  if (!window || window.end < panel.from || window.start > panel.to) return {};
  return {
    markArea: {
      silent: true,
      itemStyle: { color: windowFill(input.severity) },
      data: [[{ xAxis: Math.max(window.start, panel.from) }, { xAxis: Math.min(window.end, panel.to) }]],
    },
    // A start before the panel's range gets no line: the shading runs into the left edge instead.
    markLine: {
      silent: true,
      symbol: 'none',
      label: { show: false },
      lineStyle: { color: SEVERITY_COLOURS[input.severity], width: 1.5, type: [5, 3] },
      data: window.start >= panel.from ? [{ xAxis: window.start }] : [],
    },
  };
}

/** The latest observed point in the range, its label (`3.8 %`) and whether it lies in the alert window. */
export interface LatestValue {
  readonly point: XY;
  readonly label: string;
  readonly inWindow: boolean;
}

export function latestValue(input: AlertChartInput, observed: readonly XY[]): LatestValue | undefined {
  const point = observed.findLast(([x, y]) => y !== null && x >= input.from && x <= input.to);
  if (!point || point[1] === null) return undefined;
  const window = input.alertWindow;
  const inWindow = window !== undefined && point[0] >= window.start && point[0] <= window.end;
  return { point, label: valueLabel(point[1], undefined, input.valueAxis), inWindow };
}

/** A dot on the latest observed value with the value right of it, past the plot's edge, clear of the line. */
function latestValueSeries(input: AlertChartInput, latest: LatestValue | undefined): ScatterSeriesOption {
  return {
    id: `${OBSERVED_ID}-latest`,
    type: 'scatter',
    silent: true,
    symbolSize: 7,
    clip: false,
    // Above the band and the window's shading, which ECharts draws over lower series' labels.
    z: 20,
    color: latest?.inWindow ? SEVERITY_COLOURS[input.severity] : COLOURS.observed,
    data: latest ? [latest.point] : [],
    label: {
      show: true,
      position: 'right',
      distance: 5,
      formatter: () => latest?.label ?? '',
      color: latest?.inWindow ? SEVERITY_COLOURS[input.severity] : COLOURS.observed,
      fontSize: CHART.font.latest,
      fontWeight: 600,
      // Usually in the gutter right of the plot; when the data stopped early, it sits on the plot.
      backgroundColor: COLOURS.background,
      padding: [1, 2],
    },
  };
}
