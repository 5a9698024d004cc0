import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { COUNTS_CSV_HEADER } from '../backtest/counts-csv.js';
import { writeApiSimulation } from '../simulate/api-calls/api-files.js';
import { createApiSimulation } from '../simulate/api-calls/api-simulation.js';
import { coarserRows } from '../simulate/coarser-rows.js';
import {
  createCountRowFormatter,
  describeSimulation,
  EVENTS_HEADER,
  formatEventLine,
} from '../simulate/csv-format.js';
import { createSimulation, type Simulation } from '../simulate/simulation.js';
import type { SimulationOptions } from '../simulate/types.js';
import { type Command, parse, UsageError } from './command.js';
import { parseCliTime } from './iso-time.js';

export const DEFAULT_SIMULATION = { seed: 1, days: 35, sources: 24, start: '2026-01-05T00:00:00Z' } as const;
/** API services are 2–5 APIs each: 8 services make about as many series (≈ 35) as 24 payment sources. */
export const DEFAULT_API_SOURCES = 8;
const CHUNK_CHARS = 1 << 18;

export const simulateCommand: Command = {
  name: 'simulate',
  usage:
    'simulate [--kind counts|api-calls] [--seed N] [--days D] [--sources S] [--start ISO] [--every M] [--out DIR]',
  summary:
    'write labelled synthetic traffic: payments (counts.csv; --every 60: one row per source and hour) or, with --kind api-calls, API calls (api-calls.csv); plus labels.csv, benign.csv, sources.json',
  async run(context) {
    const { values } = parse(() =>
      parseArgs({
        args: [...context.args],
        options: {
          seed: { type: 'string' },
          days: { type: 'string' },
          sources: { type: 'string' },
          start: { type: 'string' },
          every: { type: 'string' },
          out: { type: 'string' },
          kind: { type: 'string' },
        },
      }),
    );
    const kind = values.kind ?? 'counts';
    if (kind !== 'counts' && kind !== 'api-calls') throw new UsageError('--kind must be counts or api-calls');
    if (kind === 'api-calls') {
      if (values.every !== undefined) throw new UsageError('--every applies to --kind counts only');
      const options = simulationOptions({
        ...values,
        sources: values.sources ?? String(DEFAULT_API_SOURCES),
      });
      const out = values.out ?? join('.tmp', `sim-api-${options.seed}`);
      const startedMs = performance.now();
      const simulation = createApiSimulation(options);
      const rows = await writeApiSimulation(simulation, out);
      const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
      const apis = simulation.services.reduce((n, s) => n + s.apis.length, 0);
      context.stderr.write(
        `wrote ${rows} rows for ${apis} APIs of ${simulation.services.length} services, ${simulation.incidents.length} incidents ` +
          `and ${simulation.benign.length} benign events to ${out}/ in ${seconds} s\n`,
      );
      return 0;
    }
    const options = simulationOptions(values);
    const out = values.out ?? join('.tmp', `sim-${options.seed}`);
    const startedMs = performance.now();
    const simulation = createSimulation(options);
    const rows = await writeSimulation(simulation, out, everyMinutesOption(values.every));
    const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
    context.stderr.write(
      `wrote ${rows} rows for ${simulation.series.length} series, ${simulation.incidents.length} incidents ` +
        `and ${simulation.benign.length} benign events to ${out}/ in ${seconds} s\n`,
    );
    return 0;
  },
};

/** Parses the simulate options (strings as given on the command line), defaults filled in. */
export function simulationOptions(values: Partial<Record<'seed' | 'days' | 'sources' | 'start', string>>) {
  const problems: string[] = [];
  const checked = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return fallback;
    }
  };
  const startText = values.start ?? DEFAULT_SIMULATION.start;
  const startMs = parseCliTime(startText);
  if (!startText.includes('T') || Number.isNaN(startMs) || startMs % 60_000 !== 0)
    problems.push('--start must be an ISO-8601 time on a whole minute, such as 2026-01-05T00:00:00Z');
  const options = {
    seed: checked(() => integerOption('--seed', values.seed, DEFAULT_SIMULATION.seed, 0, 2 ** 31 - 1), 0),
    days: checked(() => integerOption('--days', values.days, DEFAULT_SIMULATION.days, 1, 366), 0),
    sources: checked(
      () => integerOption('--sources', values.sources, DEFAULT_SIMULATION.sources, 1, 1000),
      0,
    ),
    startMs,
  } satisfies SimulationOptions;
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return options;
}

/** Minutes per counts row (`--every`): a whole number that divides the hour; 1 by default. */
export function everyMinutesOption(text: string | undefined): number {
  const every = integerOption('--every', text, 1, 1, 60);
  if (60 % every !== 0)
    throw new UsageError('--every must divide the hour: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60');
  return every;
}

/**
 * Writes the four files of a simulation into `dir` (created if missing), streaming the counts, in rows of
 * `everyMinutes` minutes (1: every minute); resolves to the row count.
 */
export async function writeSimulation(
  simulation: Simulation,
  dir: string,
  everyMinutes = 1,
): Promise<number> {
  await mkdir(dir, { recursive: true });
  const events = (list: Simulation['incidents']) => `${EVENTS_HEADER}\n${list.map(formatEventLine).join('')}`;
  await writeFile(join(dir, 'labels.csv'), events(simulation.incidents));
  await writeFile(join(dir, 'benign.csv'), events(simulation.benign));
  await writeFile(join(dir, 'sources.json'), `${JSON.stringify(describeSimulation(simulation), null, 2)}\n`);
  let rows = 0;
  async function* chunks() {
    const format = createCountRowFormatter();
    let chunk = `${COUNTS_CSV_HEADER}\n`;
    const gaps = simulation.benign.filter((event) => event.kind === 'reporting_gap');
    for (const row of coarserRows(simulation.rows(), everyMinutes, gaps)) {
      rows += 1;
      chunk += format(row);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
  }
  await pipeline(Readable.from(chunks()), createWriteStream(join(dir, 'counts.csv')));
  return rows;
}

function integerOption(name: string, text: string | undefined, fallback: number, min: number, max: number) {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}
