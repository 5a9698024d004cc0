/**
 * `npm run dashboards`: writes the Grafana dashboards (deploy/grafana/dashboards/*.json) from dashboards.ts and
 * panel-queries.ts — the queries live there, the JSON is generated, and a test keeps the two in step.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dashboardFiles } from './dashboard-files.js';

for (const { file, dashboard } of dashboardFiles()) {
  const path = fileURLToPath(new URL(`../../deploy/grafana/dashboards/${file}`, import.meta.url));
  writeFileSync(path, `${JSON.stringify(dashboard, null, 2)}\n`);
  process.stdout.write(`wrote ${path}\n`);
}
