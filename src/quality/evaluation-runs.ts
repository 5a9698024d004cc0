import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSimulation } from '../cli/simulate.js';
import { DEFAULT_DETECTION } from '../detection/settings.js';
import { createSimulation } from '../simulate/simulation.js';
import type { SimulationOptions } from '../simulate/types.js';
import { naiveBaselineFindings } from './naive-baseline.js';
import { oracleFindings } from './oracle.js';
import { readFindings, readHourlyCounts, readLabels, readSimulationInfo } from './read-inputs.js';
import type { Finding, Incident } from './records.js';
import type { ScoredRun } from './report.js';
import { runBacktest } from './run-backtest.js';
import { type Score, scoreFindings } from './score-findings.js';

/** A problem with how the evaluation was asked for: main prints it with the usage and exits 2. */
export class EvaluationUsageError extends Error {}

/** A run that could not finish (the backtest failed): main prints the message and exits 1. */
export class EvaluationFailed extends Error {}

export interface SeedRunOptions {
  readonly simulation: Omit<SimulationOptions, 'seed'>;
  /** Minutes per counts row written for the backtest (1: every minute). */
  readonly everyMinutes: number;
  /** Score the naive baseline only, without running the backtest. */
  readonly baselineOnly: boolean;
  /**
   * The backtest's tick (EVALUATE_EVERY_MINUTES: 10, 20, 30; 60 = hourly only). Below 60, `ratewatch` is scored
   * at that cadence and `hourly` on the same run's hourly findings alone (they do not change with ticks).
   */
  readonly tickMinutes: number;
  /** EVALUATE_GRACE_MINUTES of the backtest: its hourly findings end at the hour + this. */
  readonly graceMinutes: number;
  /** The oracle's score threshold (`--oracle-threshold`); DEFAULT_DETECTION's by default. */
  readonly oracleThreshold?: number | undefined;
  readonly log: (message: string) => void;
}

/** Simulates into .tmp/eval-<seed>/, runs the backtest on it as a user would, and scores it and the baseline. */
export async function runSeed(seed: number, options: SeedRunOptions): Promise<ScoredRun> {
  const dir = join('.tmp', `eval-${seed}`);
  const simulation = createSimulation({ ...options.simulation, seed });
  options.log(`seed ${seed}: simulating into ${dir}/`);
  await writeSimulation(simulation, dir, options.everyMinutes);
  const countsPath = join(dir, 'counts.csv');
  const detectors: Record<string, Score> = {};
  const score = (findings: readonly Finding[], incidents: readonly Incident[]) =>
    scoreFindings({
      findings,
      incidents,
      seriesCount: simulation.series.length,
      days: options.simulation.days,
    });
  if (!options.baselineOnly) {
    const { ticked, hourly } = await backtestAtCadence(seed, countsPath, options);
    detectors.ratewatch = score(ticked, simulation.incidents);
    if (hourly) detectors.hourly = score(hourly, simulation.incidents);
  }
  const counts = await readHourlyCounts(countsPath);
  detectors.baseline = score(naiveBaselineFindings(counts.series, counts.lastHourMs), simulation.incidents);
  // The oracle reads the simulation's minutes: beside coarser rows (--every) it would not judge the same data.
  if (options.everyMinutes === 1)
    detectors.oracle = score(
      oracleFindings(simulation, Math.min(options.tickMinutes, 60), {
        ...DEFAULT_DETECTION,
        threshold: options.oracleThreshold ?? DEFAULT_DETECTION.threshold,
      }),
      simulation.incidents,
    );
  return {
    label: `seed ${seed}`,
    seriesCount: simulation.series.length,
    days: options.simulation.days,
    detectors,
  };
}

/** The backtest's cadence, as SeedRunOptions holds it. */
export interface Cadence {
  readonly tickMinutes: number;
  readonly graceMinutes: number;
  readonly log: (message: string) => void;
}

/**
 * Runs `backtest` on a seed's CSV (counts or API calls) at the cadence — its findings in `findings.jsonl` beside
 * the CSV — and, below 60 minutes, the same replay's hourly findings alone (`hourly`): they do not change with
 * ticks, so they are read off the findings' `window_end` (hour + grace); when the grace is itself a tick instant
 * (a multiple of the cadence), ticks and hourly runs cannot be told apart that way and the hourly cadence is
 * replayed again.
 */
export async function backtestAtCadence<F extends { readonly windowEndMs: number } = Finding>(
  seed: number,
  csvPath: string,
  cadence: Cadence,
  parseLine?: (line: string, lineNumber: number) => F,
): Promise<{ ticked: F[]; hourly: F[] | undefined }> {
  const dir = dirname(csvPath);
  const backtest = async (tickMinutes: number, file: string) => {
    cadence.log(
      `seed ${seed}: EVALUATE_EVERY_MINUTES=${tickMinutes} npx tsx src/cli/index.ts backtest ${csvPath}`,
    );
    const env = { EVALUATE_EVERY_MINUTES: String(tickMinutes) };
    const outcome = await runBacktest<F>(csvPath, join(dir, file), env, parseLine);
    if (!outcome.ok)
      throw new EvaluationFailed(
        `the backtest of seed ${seed} exited with ${outcome.exitCode}; --baseline-only scores the baseline alone`,
      );
    return outcome.findings;
  };
  const ticked = await backtest(cadence.tickMinutes, 'findings.jsonl');
  if (cadence.tickMinutes >= 60) return { ticked, hourly: undefined };
  const hourly =
    cadence.graceMinutes % cadence.tickMinutes !== 0
      ? ticked.filter((f) => isHourlyEnd(f.windowEndMs, cadence.graceMinutes))
      : await backtest(60, 'findings-hourly.jsonl');
  return { ticked, hourly };
}

/** Whether a finding ending at `windowEndMs` came from an hourly run (which ends at the hour + grace). */
export function isHourlyEnd(windowEndMs: number, graceMinutes: number): boolean {
  return (windowEndMs - graceMinutes * 60_000) % 3_600_000 === 0;
}

export interface FileRunOptions {
  readonly findingsPath: string;
  readonly labelsPath: string;
  /** Defaults to counts.csv beside the labels, when there is one; enables the baseline. */
  readonly countsPath?: string | undefined;
  /** Defaults to sources.json beside the labels: series count and days. */
  readonly infoPath?: string | undefined;
  readonly seriesCount?: number | undefined;
  readonly days?: number | undefined;
}

/** Scores an existing findings file against a labels file (and the baseline, when counts are at hand). */
export async function runFiles(options: FileRunOptions): Promise<ScoredRun> {
  const besideLabels = (name: string) => join(dirname(options.labelsPath), name);
  const countsPath =
    options.countsPath ?? (existsSync(besideLabels('counts.csv')) ? besideLabels('counts.csv') : undefined);
  const info = await readSimulationInfo(options.infoPath ?? besideLabels('sources.json'));
  const counts = countsPath ? await readHourlyCounts(countsPath) : undefined;
  const seriesCount = options.seriesCount ?? info?.seriesCount ?? counts?.series.length;
  const days = options.days ?? info?.days ?? counts?.days;
  if (seriesCount === undefined || days === undefined)
    throw new EvaluationUsageError(
      'give --series and --days, or keep sources.json or counts.csv beside the labels',
    );
  const incidents = await readLabels(options.labelsPath);
  const score = (findings: readonly Finding[]) => scoreFindings({ findings, incidents, seriesCount, days });
  const detectors: Record<string, Score> = { findings: score(await readFindings(options.findingsPath)) };
  if (counts) detectors.baseline = score(naiveBaselineFindings(counts.series, counts.lastHourMs));
  return { label: options.findingsPath, seriesCount, days, detectors };
}
