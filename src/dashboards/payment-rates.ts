import { DATASOURCES, type Dashboard, panels, sql, timeseries, variable } from './panel-builders.js';
import { rateSql, SQL } from './panel-queries.js';

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
