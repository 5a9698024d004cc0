/**
 * Writes the README's example chart, docs/images/alert-chart.png, from `exampleChartInput` (a failed-rate
 * incident on a diurnal source). `npm run docs:images`; the same bytes on every run and machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { exampleChartInput } from './example-chart.js';
import { renderAlertChart } from './render-alert-chart.js';

const target = fileURLToPath(new URL('../../docs/images/alert-chart.png', import.meta.url));
await mkdir(fileURLToPath(new URL('../../docs/images/', import.meta.url)), { recursive: true });
const png = await renderAlertChart(exampleChartInput());
await writeFile(target, png);
process.stdout.write(`wrote ${target} (${png.length} bytes)\n`);
