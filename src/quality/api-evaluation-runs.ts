import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeApiSimulation } from '../simulate/api-calls/api-files.js';
import { createApiSimulation } from '../simulate/api-calls/api-simulation.js';
import type { ApiSimulationOptions } from '../simulate/api-calls/types.js';
import { parseApiFindingLine, type ScoredApiFinding } from './api-records.js';
import { backtestAtCadence, type Cadence, EvaluationUsageError } from './evaluation-runs.js';
import { naiveApiBaselineFindings } from './naive-api-baseline.js';
import { readApiLabels, readHourlyApiCalls } from './read-api-inputs.js';
import type { ScoredRun } from './report.js';
import { scoreApiFindings } from './score-api-findings.js';
import type { Score } from './score-findings.js';

export interface ApiSeedRunOptions extends Cadence {
  readonly simulation: Omit<ApiSimulationOptions, 'seed'>;
  readonly baselineOnly: boolean;
}

/**
 * `npm run eval -- --kind api-calls`: simulates API traffic into .tmp/eval-api-<seed>/, runs `backtest` on
 * its api-calls.csv as a user would at the cadence (`ratewatch`: ticks + hourly runs; `hourly`: the same
 * replay's hourly findings alone, as for counts), and scores them and the naive baseline (the old alert
 * manager's rule) against labels.csv, per (source, environment, api).
 */
export async function runApiSeed(seed: number, options: ApiSeedRunOptions): Promise<ScoredRun> {
  const dir = join('.tmp', `eval-api-${seed}`);
  const simulation = createApiSimulation({ ...options.simulation, seed });
  options.log(`seed ${seed}: simulating API calls into ${dir}/`);
  await writeApiSimulation(simulation, dir);
  const csvPath = join(dir, 'api-calls.csv');
  const seriesCount = simulation.services.reduce((n, s) => n + s.apis.length, 0);
  const { days } = options.simulation;
  const score = (findings: readonly ScoredApiFinding[]) =>
    scoreApiFindings({ findings, incidents: simulation.incidents, seriesCount, days });
  const detectors: Record<string, Score<string>> = {};
  if (!options.baselineOnly) {
    const { ticked, hourly } = await backtestAtCadence(seed, csvPath, options, parseApiFindingLine);
    detectors.ratewatch = score(ticked);
    if (hourly) detectors.hourly = score(hourly);
  }
  const calls = await readHourlyApiCalls(csvPath);
  detectors.baseline = score(naiveApiBaselineFindings(calls.series, calls.lastHourMs));
  return { label: `seed ${seed} (API calls)`, seriesCount, days, detectors };
}

export interface ApiFileRunOptions {
  readonly findingsPath: string;
  readonly labelsPath: string;
  /** Defaults to sources.json beside the labels (`series`: APIs, and `days`). */
  readonly infoPath?: string | undefined;
  readonly seriesCount?: number | undefined;
  readonly days?: number | undefined;
}

/** Scores an existing API findings file against an API labels.csv (and the baseline when api-calls.csv is beside it). */
export async function runApiFiles(options: ApiFileRunOptions): Promise<ScoredRun> {
  const dir = dirname(options.labelsPath);
  const infoPath = options.infoPath ?? join(dir, 'sources.json');
  const info = existsSync(infoPath)
    ? (JSON.parse(await readFile(infoPath, 'utf8')) as { series?: unknown; days?: unknown })
    : {};
  const seriesCount = options.seriesCount ?? (typeof info.series === 'number' ? info.series : undefined);
  const days = options.days ?? (typeof info.days === 'number' ? info.days : undefined);
  if (seriesCount === undefined || days === undefined)
    throw new EvaluationUsageError('give --series and --days, or keep sources.json beside the labels');
  const incidents = await readApiLabels(options.labelsPath);
  const score = (findings: readonly ScoredApiFinding[]) =>
    scoreApiFindings({ findings, incidents, seriesCount, days });
  const lines = (await readFile(options.findingsPath, 'utf8')).split('\n');
  const findings = lines.flatMap((line, i) => (line.trim() ? [parseApiFindingLine(line, i + 1)] : []));
  const detectors: Record<string, Score<string>> = { findings: score(findings) };
  const csvPath = join(dir, 'api-calls.csv');
  if (existsSync(csvPath)) {
    const hourly = await readHourlyApiCalls(csvPath);
    detectors.baseline = score(naiveApiBaselineFindings(hourly.series, hourly.lastHourMs));
  }
  return { label: options.findingsPath, seriesCount, days, detectors };
}
