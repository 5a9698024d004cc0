import type { EChartsOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import type { AlertChartInput } from './alert-chart-input.js';
import { FONT_FAMILY } from './bundled-font.js';
import { legendGraphics, noDataLabel, panelCaptions, windowLabel } from './chart-annotations.js';
import { headerGraphics, type Measure } from './chart-header.js';
import { chartPanels, type Panel } from './chart-panels.js';
import { type ChartData, latestValue, panelSeries, windowColouring } from './chart-series.js';
import { CHART, COLOURS } from './chart-style.js';
import { bandData, expectedData, highestValue, observedData, type XY } from './series-data.js';
import { type TimeTick, timeTicks } from './time-axis.js';
import { type ValueScale, valueLabel, valueScale } from './value-axis.js';

const AXIS_LABEL_GAP = 8;
const LATEST_FONT = `600 ${CHART.font.latest}px`;
/** Room a time label needs (`Sat 21`, `18:00`), so narrow panels get fewer ticks. */
const TIME_LABEL_SPACING_PX = 45;
const LABEL_OVERHANG_PX = 6;

/**
 * The ECharts option of an alert chart: pure (no I/O, no clock). Panels, ticks, labels and every position are
 * computed here, so the same input always gives the same picture. `measure` sizes text in the chart's font.
 */
export function alertChartOption(input: AlertChartInput, measure: Measure): EChartsOption {
  const data = chartData(input);
  const scale = valueScale(
    highestValue([data.observed, data.expected, data.bandUpper], input.from, input.to),
    input.valueAxis,
  );
  const widestLabel = Math.max(...scale.ticks.map((tick) => measure(tick.label, `${CHART.font.axis}px`)));
  const latest = latestValue(input, data.observed);
  const left = Math.max(CHART.grid.minLeft, Math.ceil(widestLabel) + AXIS_LABEL_GAP + 12);
  const right =
    CHART.width - Math.max(CHART.grid.right, latest ? measure(latest.label, LATEST_FONT) + 14 : 0);
  const panels = chartPanels(input, left, right);
  const last = panels.at(-1);
  const series = panels.flatMap((panel, i) =>
    panelSeries(input, data, panel, i, panel === last ? latest : undefined),
  );
  const hasData = data.observed.some(([x, y]) => y !== null && x >= input.from && x <= input.to);
  return {
    animation: false,
    backgroundColor: COLOURS.background,
    textStyle: { fontFamily: FONT_FAMILY, color: COLOURS.text },
    grid: panels.map((panel) => ({
      left: panel.left,
      top: panel.top,
      right: CHART.width - panel.right,
      bottom: CHART.height - panel.bottom,
      outerBoundsMode: 'none',
    })),
    xAxis: panels.map((panel, i) => timeAxis(panel, i, input.timeZone, measure)),
    yAxis: panels.map((_, i) => valueAxis(scale, input, i)),
    visualMap: windowColouring(input, series),
    series,
    graphic: [
      ...headerGraphics(input, measure),
      ...(panels.length > 1 ? panelCaptions(panels) : []),
      ...legendGraphics(input.severity, measure),
      ...(last ? windowLabel(input, last, measure) : []),
      ...(hasData ? [] : noDataLabel(input, panels)),
    ],
  };
}

function chartData(input: AlertChartInput): ChartData & { bandUpper: XY[] } {
  const band = bandData(input.expected);
  return {
    observed: observedData(input.observed),
    expected: expectedData(input.expected),
    bandLower: band.lower,
    bandHeight: band.height,
    bandUpper: band.upper,
  };
}

/**
 * A panel's time axis with ticks at whole local hours. A label that would stick out more than a few px past the
 * panel is left off (its tick and grid line stay), so the two panels' labels never run into each other.
 */
function timeAxis(panel: Panel, index: number, timeZone: string, measure: Measure): XAXisComponentOption {
  const maxTicks = Math.max(2, Math.floor((panel.right - panel.left) / TIME_LABEL_SPACING_PX));
  const ticks = timeTicks(panel.from, panel.to, timeZone, maxTicks);
  const fits = (tick: TimeTick) => {
    const half = measure(tick.label, `${CHART.font.axis}px`) / 2;
    const x = panel.xOf(tick.at);
    return x - half >= panel.left - LABEL_OVERHANG_PX && x + half <= panel.right + LABEL_OVERHANG_PX;
  };
  const labels = new Map(ticks.filter(fits).map((tick) => [tick.at, tick.label]));
  const values = ticks.map((tick) => tick.at);
  return {
    type: 'value',
    gridIndex: index,
    min: panel.from,
    max: panel.to,
    axisLine: { lineStyle: { color: COLOURS.axisLine } },
    axisTick: { customValues: values, lineStyle: { color: COLOURS.axisLine } },
    axisLabel: {
      customValues: [...labels.keys()],
      formatter: (value: number) => labels.get(value) ?? '',
      fontSize: CHART.font.axis,
      color: COLOURS.text,
      margin: AXIS_LABEL_GAP,
      hideOverlap: true,
    },
    splitLine: { show: true, lineStyle: { color: COLOURS.grid } },
  };
}

/** The same scale in every panel; only the first shows the labels. */
function valueAxis(scale: ValueScale, input: AlertChartInput, index: number): YAXisComponentOption {
  return {
    type: 'value',
    gridIndex: index,
    min: 0,
    max: scale.max,
    interval: scale.interval,
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: {
      show: index === 0,
      // ECharts hands over min + i × interval, binary noise included: round before formatting.
      formatter: (value: number) =>
        valueLabel(Number(value.toPrecision(12)), scale.interval, input.valueAxis),
      fontSize: CHART.font.axis,
      color: COLOURS.text,
      margin: AXIS_LABEL_GAP,
    },
    splitLine: { lineStyle: { color: COLOURS.grid } },
  };
}
