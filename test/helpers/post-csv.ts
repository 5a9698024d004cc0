import { readFileSync } from 'node:fs';
import { STATUSES } from '../../src/simulate/types.js';
import type { TestApp } from './app.js';

/** Posts a counts CSV to the app's `POST /v1/counts` in batches, as a payment platform backfilling would. */
export async function postCountsCsv(app: TestApp, path: string, batchSize = 5000): Promise<number> {
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
  let posted = 0;
  for (let i = 0; i < lines.length; i += batchSize) {
    const items = lines.slice(i, i + batchSize).map((line) => {
      const [minute, source, environment, ...counts] = line.split(',');
      return {
        source,
        environment,
        minute,
        counts: Object.fromEntries(STATUSES.map((status, k) => [status, Number(counts[k] ?? 0)])),
      };
    });
    const response = await app.request('/v1/counts', { method: 'POST', json: { items } });
    if (response.status !== 202)
      throw new Error(`posting rows ${i}…: ${response.status} ${await response.text()}`);
    posted += items.length;
  }
  return posted;
}
