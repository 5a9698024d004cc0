import { PROMQL, rateSql, SQL } from './panel-queries.js';

/** The data sources the provisioning file declares; panels name them by uid. */
export const DATASOURCES = {
  mysql: { type: 'mysql', uid: 'ratewatch-mysql' },
  prometheus: { type: 'prometheus', uid: 'ratewatch-prometheus' },
} as const;

type Datasource = (typeof DATASOURCES)[keyof typeof DATASOURCES];
type Target = Record<string, unknown> & { refId: string };
export type Panel = Record<string, unknown> & {
  id: number;
  title: string;
  datasource?: Datasource;
  targets?: Target[];
};
export type Dashboard = Record<string, unknown> & { uid: string; title: string; panels: Panel[] };

const sql = (refId: string, rawSql: string, format: 'time_series' | 'table' = 'time_series'): Target => ({
  refId,
  datasource: DATASOURCES.mysql,
  editorMode: 'code',
  format,
  rawQuery: true,
  rawSql,
});
const prom = (refId: string, expr: string, legendFormat = ''): Target => ({
  refId,
  datasource: DATASOURCES.prometheus,
  expr,
  legendFormat,
});

/** A panel at a grid position; ids are given in order, so they are unique. */
function panels(list: readonly PanelBody[]): Panel[] {
  return list.map((panel, index) => ({ ...panel, id: index + 1 }));
}

type PanelBody = Record<string, unknown> & { title: string; datasource?: Datasource; targets?: Target[] };

function timeseries(
  title: string,
  datasource: Datasource,
  targets: Target[],
  gridPos: { x: number; y: number; w: number; h: number },
  unit: string,
  description?: string,
): PanelBody {
  return {
    type: 'timeseries',
    title,
    ...(description ? { description } : {}),
    datasource,
    gridPos,
    fieldConfig: { defaults: { unit, custom: { lineWidth: 2, fillOpacity: 0 } }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets,
  };
}

/** "Payment rates": per source and environment, each rate, the volume, the models' expectations, alerts. */
export function paymentRatesDashboard(): Dashboard {
  return {
    uid: 'ratewatch-payment-rates',
    title: 'Payment rates',
    tags: ['ratewatch'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-2d', to: 'now' },
    refresh: '5m',
    templating: {
      list: [variable('source', SQL.sources), variable('environment', SQL.environments)],
    },
    annotations: {
      list: [
        {
          name: 'Alerts',
          enable: true,
          iconColor: 'red',
          datasource: DATASOURCES.mysql,
          target: sql('Anno', SQL.alertAnnotations, 'table'),
        },
      ],
    },
    panels: panels([
      timeseries(
        'Failed, denied and reversed rates',
        DATASOURCES.mysql,
        [sql('A', rateSql('failed')), sql('B', rateSql('denied')), sql('C', rateSql('reversed'))],
        { x: 0, y: 0, w: 24, h: 9 },
        'percentunit',
        'Each status over all statuses, per hour (hourly rollups). Alerts are shown as annotations.',
      ),
      timeseries(
        'Volume',
        DATASOURCES.mysql,
        [sql('A', SQL.volume)],
        { x: 0, y: 9, w: 12, h: 8 },
        'short',
        'Transactions per hour, all statuses.',
      ),
      timeseries(
        'Expected rate where the models judged an hour (the full band: pending)',
        DATASOURCES.mysql,
        [sql('A', SQL.expectedAtFindings)],
        { x: 12, y: 9, w: 12, h: 8 },
        'percentunit',
        'What the models expected in the hours they found abnormal (findings). The expected band of every ' +
          'hour is not stored yet: the per-hour band table that detection is adding will feed this panel.',
      ),
      {
        type: 'table',
        title: 'Open alerts',
        datasource: DATASOURCES.mysql,
        gridPos: { x: 0, y: 17, w: 24, h: 7 },
        targets: [sql('A', SQL.openAlerts, 'table')],
      },
    ]),
  };
}

/** "ratewatch operations": ingest, evaluation runs and their duration, findings and alerts, deliveries, queues. */
export function operationsDashboard(): Dashboard {
  const p = DATASOURCES.prometheus;
  return {
    uid: 'ratewatch-operations',
    title: 'ratewatch operations',
    tags: ['ratewatch'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    panels: panels([
      timeseries('Posts accepted', p, [prom('A', PROMQL.postsAccepted, 'accepted')], at(0, 0), 'reqps'),
      timeseries(
        'Posts rejected, by reason',
        p,
        [prom('A', PROMQL.postsRejected, '{{reason}}')],
        at(1, 0),
        'reqps',
      ),
      timeseries('Rows stored per minute', p, [prom('A', PROMQL.rowsStored, 'rows')], at(2, 0), 'short'),
      timeseries('Evaluation runs', p, [prom('A', PROMQL.evaluationRuns, '{{trigger}}')], at(0, 1), 'short'),
      timeseries(
        'Evaluation run duration (p95)',
        p,
        [prom('A', PROMQL.evaluationDurationP95, '{{trigger}}')],
        at(1, 1),
        's',
      ),
      timeseries(
        'Since the last evaluation finished',
        p,
        [prom('A', PROMQL.sinceLastEvaluation, 'age')],
        at(2, 1),
        's',
      ),
      timeseries(
        'Series evaluated per hour',
        p,
        [prom('A', PROMQL.seriesEvaluated, 'series')],
        at(0, 2),
        'short',
      ),
      timeseries(
        'Findings per hour',
        p,
        [prom('A', PROMQL.findings, '{{metric}} {{severity}}')],
        at(1, 2),
        'short',
      ),
      timeseries(
        'Alerts per hour',
        p,
        [prom('A', PROMQL.alerts, '{{outcome}} {{severity}}')],
        at(2, 2),
        'short',
      ),
      timeseries(
        'Deliveries per hour',
        p,
        [prom('A', PROMQL.deliveries, '{{channel}} {{outcome}}')],
        at(0, 3),
        'short',
      ),
      timeseries(
        'Deliveries owed (outbox)',
        p,
        [prom('A', PROMQL.deliveriesPending, '{{channel}}')],
        at(1, 3),
        'short',
      ),
      timeseries(
        'Oldest owed delivery',
        p,
        [prom('A', PROMQL.oldestPendingDelivery, '{{channel}}')],
        at(2, 3),
        's',
      ),
      timeseries(
        'Deliveries given up on',
        p,
        [prom('A', PROMQL.deliveriesFailed, '{{channel}}')],
        at(0, 4),
        'short',
      ),
      timeseries('Queued jobs', p, [prom('A', PROMQL.queues, '{{queue}} {{state}}')], at(1, 4), 'short'),
      timeseries('Oldest waiting job', p, [prom('A', PROMQL.oldestWaitingJob, '{{queue}}')], at(2, 4), 's'),
      timeseries(
        'Source reporting lag',
        p,
        [prom('A', PROMQL.reportingLag, '{{source}} {{environment}}')],
        at(0, 5),
        's',
      ),
      timeseries('Memory (resident)', p, [prom('A', PROMQL.memory, '{{instance}}')], at(1, 5), 'bytes'),
      timeseries(
        'Sources onboarded per hour',
        p,
        [prom('A', PROMQL.onboarded, 'onboarded')],
        at(2, 5),
        'short',
      ),
    ]),
  };
}

/** Three panels a row, 8 units high. */
function at(column: number, row: number) {
  return { x: column * 8, y: row * 8, w: 8, h: 8 };
}

function variable(name: string, query: string) {
  return {
    name,
    label: name,
    type: 'query',
    datasource: DATASOURCES.mysql,
    query,
    definition: query,
    refresh: 1,
    includeAll: false,
    multi: false,
  };
}
