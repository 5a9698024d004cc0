import { readFile } from 'node:fs/promises';
import { readApiCallsCsv } from '../api-calls/api-calls-csv.js';
import { type ApiIncident, parseApiLabelsCsv } from './api-records.js';
import { createHourlyApiCalls, type HourlyApiSeries } from './hourly-api-calls.js';

/** Reads an API simulation's labels.csv. */
export async function readApiLabels(path: string): Promise<ApiIncident[]> {
  return parseApiLabelsCsv(await readFile(path, 'utf8'));
}

/** Streams an API-calls CSV into hourly summaries per API (minutes are not kept). */
export async function readHourlyApiCalls(
  path: string,
): Promise<{ readonly series: HourlyApiSeries[]; readonly lastHourMs: number }> {
  const hourly = createHourlyApiCalls();
  for await (const minute of readApiCallsCsv(path)) hourly.add(minute);
  return { series: hourly.series(), lastHourMs: hourly.lastHourMs };
}
