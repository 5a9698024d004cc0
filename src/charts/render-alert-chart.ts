import { type RenderedImage, Resvg, type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';
import { LineChart, ScatterChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  MarkAreaComponent,
  MarkLineComponent,
  VisualMapPiecewiseComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { AlertChartInput } from './alert-chart-input.js';
import { alertChartOption } from './alert-chart-option.js';
import { type BundledFont, bundledFont, FONT_FAMILY } from './bundled-font.js';
import { CHART, COLOURS } from './chart-style.js';

/**
 * The alert chart as PNG bytes (1280 × 720: 640 × 360 at 2×). The same input gives the same bytes. Parses the
 * bundled font once per process (resvg-js 2.6 takes fonts only as files, so resvg itself reopens the two
 * files, from the page cache, on each render). Rasterising runs on libuv's thread pool, off the event loop;
 * building the SVG (ECharts) and encoding the PNG run on the caller's thread.
 */
export async function renderAlertChart(input: AlertChartInput): Promise<Buffer> {
  const font = setUp();
  const image = await renderAsync(alertChartSvgWith(input, font), rasterOptions(font.files));
  return image.asPng();
}

/** The alert chart as an SVG document (640 × 360), text as `<text>` in the Inter font. */
export function alertChartSvg(input: AlertChartInput): string {
  return alertChartSvgWith(input, setUp());
}

/**
 * Rasterises an SVG at the chart's scale with exactly the given font files and no system fonts, so the
 * output is the same on every machine. An empty list draws no text at all (what a bare container would do).
 */
export function rasterise(svg: string, fontFiles: readonly string[] = setUp().files): RenderedImage {
  return new Resvg(svg, rasterOptions(fontFiles)).render();
}

function alertChartSvgWith(input: AlertChartInput, font: BundledFont): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: CHART.width,
    height: CHART.height,
  });
  try {
    chart.setOption(alertChartOption(input, font.measure));
    return withStableIds(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * zrender names gradients and clip paths after its instance number (`zr7-g0`) and CSS classes after a counter
 * that runs for the whole process (`zr7-cls-311`): renumber them in order of appearance, so the same input
 * gives the same SVG, not only the same PNG.
 */
export function withStableIds(svg: string): string {
  const classes = new Map<string, string>();
  return svg.replace(/\bzr\d+-(cls-\d+|[gcp]\d+)\b/g, (_, local: string) => {
    if (!local.startsWith('cls-')) return `zr-${local}`;
    let name = classes.get(local);
    if (!name) {
      name = `zr-cls-${classes.size}`;
      classes.set(local, name);
    }
    return name;
  });
}

function rasterOptions(fontFiles: readonly string[]): ResvgRenderOptions {
  return {
    font: {
      loadSystemFonts: false,
      fontFiles: [...fontFiles],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    fitTo: { mode: 'zoom', value: CHART.scale },
    background: COLOURS.background,
  };
}

let ready: BundledFont | undefined;

/**
 * Registers the parts of ECharts the chart uses and lets it measure text with the bundled font's real widths
 * (without a browser it would guess, and label boxes would not fit the text resvg draws). Once per process.
 */
function setUp(): BundledFont {
  if (!ready) {
    const font = bundledFont();
    echarts.use([
      LineChart,
      ScatterChart,
      GridComponent,
      GraphicComponent,
      MarkAreaComponent,
      MarkLineComponent,
      VisualMapPiecewiseComponent,
      SVGRenderer,
    ]);
    echarts.setPlatformAPI({
      measureText: (text, cssFont) => ({ width: font.measure(text, cssFont ?? '') }),
    });
    ready = font;
  }
  return ready;
}
