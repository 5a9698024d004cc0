import type { Alert } from '../alerts/alert.js';
import type { AlertChartInput } from '../charts/alert-chart-input.js';
import { type ChartDataDeps, loadChartData, seriesOf } from './alert-chart-data.js';
import { type ApiChartDeps, apiSeriesOf, loadApiChartData } from './api-chart-data.js';

/** An alert's chart as PNG bytes with how long a client may keep it, or why there is none. */
export type AlertChart =
  | { readonly kind: 'png'; readonly png: Buffer; readonly maxAgeSeconds: number }
  | { readonly kind: 'none'; readonly reason: string };

export interface AlertCharts {
  chartOf(alert: Alert): Promise<AlertChart>;
  /** Why the alert has no chart (without drawing one), or undefined when it has one. */
  reasonWithout(alert: Alert): Promise<string | undefined>;
}

type Render = (input: AlertChartInput) => Promise<Buffer>;

/** Charts kept: the page and its image, or a few people opening one alert, reuse one render. */
const CACHED = 16;
/** A chart gains a 10-minute block every 10 minutes; a resolved alert's, once settled, never changes. */
const MOVING_MAX_AGE_SECONDS = 60;
const SETTLED_MAX_AGE_SECONDS = 86_400;

/**
 * Renders alert charts on request. The renderer (ECharts, resvg and the font: ~50–140 MB) is imported on the
 * first chart a process draws, not at start-up: a worker or a web process nobody asks for charts never pays
 * for it. The same alert at the same revision and 10-minute mark is rendered once (concurrent requests share
 * the render).
 */
export function createAlertCharts(
  deps: ChartDataDeps & ApiChartDeps,
  render: () => Promise<Render> = loadRenderer,
): AlertCharts {
  const cache = new Map<string, Promise<AlertChart>>();
  return {
    async reasonWithout(alert) {
      const found = alert.api === null ? await seriesOf(deps, alert) : await apiSeriesOf(deps, alert);
      return found.kind === 'none' ? found.reason : undefined;
    },
    chartOf(alert) {
      // An API alert's chart is of its calls; a payment alert's of its source's counts.
      const data = alert.api === null ? loadChartData(deps, alert) : loadApiChartData(deps, alert);
      return data.then((found) => {
        if (found.kind === 'none') return found;
        const key = `${alert.id}:${alert.revision}:${found.input.to}`;
        let chart = cache.get(key);
        if (!chart) {
          chart = render()
            .then((draw) => draw(found.input))
            .then((png) => ({ kind: 'png', png, maxAgeSeconds: maxAgeOf(alert, found.settled) }) as const);
          chart.catch(() => cache.delete(key));
          cache.set(key, chart);
          if (cache.size > CACHED) cache.delete(cache.keys().next().value as string);
        }
        return chart;
      });
    },
  };
}

/** An open alert can still merge (its window grows): only a resolved, settled chart is kept long. */
function maxAgeOf(alert: Alert, settled: boolean): number {
  return alert.status === 'resolved' && settled ? SETTLED_MAX_AGE_SECONDS : MOVING_MAX_AGE_SECONDS;
}

async function loadRenderer(): Promise<Render> {
  const { renderAlertChart } = await import('../charts/render-alert-chart.js');
  return renderAlertChart;
}
