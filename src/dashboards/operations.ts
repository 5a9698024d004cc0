import { DATASOURCES, type Dashboard, panels, prom, timeseries } from './panel-builders.js';
import { PROMQL } from './panel-queries.js';

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
        'Evaluation run and tick duration (p95)',
        p,
        [prom('A', PROMQL.evaluationDurationP95, '{{trigger}}'), prom('B', PROMQL.tickDurationP95, 'tick')],
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
