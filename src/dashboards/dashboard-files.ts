import { operationsDashboard } from './operations.js';
import type { Dashboard } from './panel-builders.js';
import { paymentRatesDashboard } from './payment-rates.js';

/** Each dashboard and the file it is provisioned from (deploy/grafana/dashboards/). */
export function dashboardFiles(): { file: string; dashboard: Dashboard }[] {
  return [
    { file: 'payment-rates.json', dashboard: paymentRatesDashboard() },
    { file: 'ratewatch-operations.json', dashboard: operationsDashboard() },
  ];
}
