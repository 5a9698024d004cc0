import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DAY_MS, HOUR_MS } from '../simulate/types.js';
import { createHourlyCounts, type HourlySeries } from './hourly-counts.js';
import { type Finding, type Incident, parseFindingLine, parseLabelsCsv } from './records.js';

/** Reads labels.csv. */
export async function readLabels(path: string): Promise<Incident[]> {
  return parseLabelsCsv(await readFile(path, 'utf8'));
}

/** Reads a findings file of JSON lines (blank lines skipped). */
export async function readFindings(path: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber += 1;
    if (line.trim() !== '') findings.push(parseFindingLine(line, lineNumber));
  }
  return findings;
}

/** What a counts CSV holds, hour by hour, and the span it covers. */
export interface CountsSummary {
  readonly series: HourlySeries[];
  readonly lastHourMs: number;
  /** Hours from the first to the last reported hour, in days. */
  readonly days: number;
}

/** Streams a counts CSV into hourly counts per series (the file can be large; rows are not kept). */
export async function readHourlyCounts(path: string): Promise<CountsSummary> {
  const hourly = createHourlyCounts();
  let columns: string[] | undefined;
  let lastMinuteText = '';
  let lastMinuteMs = Number.NaN;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line === '') continue;
    const cells = line.split(',');
    if (!columns) {
      columns = cells;
      continue;
    }
    if (cells[0] !== lastMinuteText) {
      lastMinuteText = cells[0] ?? '';
      lastMinuteMs = Date.parse(lastMinuteText);
      if (Number.isNaN(lastMinuteMs)) throw new Error(`${path}: "${lastMinuteText}" is not a minute`);
    }
    hourly.add(lastMinuteMs, cells[1] ?? '', cells[2] ?? '', countsOf(columns, cells));
  }
  const { firstHourMs, lastHourMs } = hourly.range;
  return { series: hourly.series(), lastHourMs, days: (lastHourMs - firstHourMs + HOUR_MS) / DAY_MS || 0 };
}

function countsOf(columns: readonly string[], cells: readonly string[]) {
  const counts = { total: 0, failed: 0, denied: 0, reversed: 0 };
  for (let i = 3; i < cells.length; i += 1) {
    const value = Number(cells[i]);
    counts.total += value;
    const column = columns[i];
    if (column === 'failed' || column === 'denied' || column === 'reversed') counts[column] += value;
  }
  return counts;
}

/** Series count and days from a simulation's sources.json; undefined when the file does not exist. */
export async function readSimulationInfo(
  path: string,
): Promise<{ seriesCount: number; days: number } | undefined> {
  if (!existsSync(path)) return undefined;
  const info = JSON.parse(await readFile(path, 'utf8')) as { days?: unknown; sources?: unknown };
  if (typeof info.days !== 'number' || !Array.isArray(info.sources))
    throw new Error(`${path} is not a simulation's sources.json (needs "days" and "sources")`);
  return { seriesCount: info.sources.length, days: info.days };
}
