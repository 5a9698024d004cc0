import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from '../cli/command.js';
import {
  DEFAULT_API_SOURCES,
  DEFAULT_SIMULATION,
  everyMinutesOption,
  simulationOptions,
} from '../cli/simulate.js';
import { runApiFiles, runApiSeed } from './api-evaluation-runs.js';
import { EvaluationUsageError, runFiles, runSeed } from './evaluation-runs.js';
import { meanScore } from './mean-score.js';
import { formatRun, type ScoredRun } from './report.js';

const USAGE = `usage: npm run eval -- [--kind counts|api-calls] [--seeds 1,2,3] [--days D] [--sources S] [--start ISO] [--every M] [--tick T] [--baseline-only] [--oracle-threshold S] [--json]
       npm run eval -- [--kind counts|api-calls] --findings <file> --labels <file> [--counts <csv>] [--info <sources.json>] [--series N] [--days D] [--json]
  Simulates each seed into .tmp/eval-<seed>/ (API calls: .tmp/eval-api-<seed>/), runs "backtest" on it as a user
  would, and scores its findings and the naive baseline against the labels; or scores an existing findings file.
  Beside them (counts by the minute) "oracle": the true expectation and noise of the simulator, judged at the same
  cadence and bars — what the data allows. --oracle-threshold S judges it at score S instead of the detection's
  threshold (4): how much sooner the truth could page, and at how many more false alerts.
  --every 60 writes the simulated counts as one row per source and hour (5, 15: per 5 or 15 minutes), as coarser
  exports hold them (counts only). --kind api-calls: labelled API traffic (8 services by default), scored per
  (source, environment, api) beside the old alert manager's rule (hour by hour); ticks as for counts.
  --tick T replays ticks every T minutes (EVALUATE_EVERY_MINUTES, a divisor of 60; default: the environment's, else 10):
  "ratewatch" is scored at that cadence and "hourly" on the same replay's hourly runs alone; --tick 60: hourly only.
`;

const OPTIONS = {
  seeds: { type: 'string' },
  days: { type: 'string' },
  sources: { type: 'string' },
  start: { type: 'string' },
  every: { type: 'string' },
  tick: { type: 'string' },
  'baseline-only': { type: 'boolean' },
  'oracle-threshold': { type: 'string' },
  findings: { type: 'string' },
  labels: { type: 'string' },
  counts: { type: 'string' },
  info: { type: 'string' },
  series: { type: 'string' },
  json: { type: 'boolean' },
  kind: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface EvaluationIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs the evaluation and resolves to the exit code: 0 done, 1 failed, 2 called wrongly. */
export async function runEvaluation(argv: readonly string[], io: EvaluationIo): Promise<number> {
  try {
    const { values } = parseArgs({ args: [...argv], options: OPTIONS });
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const kind = values.kind ?? 'counts';
    if (kind !== 'counts' && kind !== 'api-calls')
      throw new EvaluationUsageError('--kind must be counts or api-calls');
    const files = values.findings || values.labels;
    const runs =
      kind === 'api-calls'
        ? files
          ? [await runApiFiles(fileOptions(values))]
          : await runApiSeeds(values, io)
        : files
          ? [await runFiles(fileOptions(values))]
          : await runSeeds(values, io);
    io.stdout.write(values.json ? `${JSON.stringify(report(runs), null, 2)}\n` : formatReport(runs));
    return 0;
  } catch (error) {
    const usage = error instanceof EvaluationUsageError || error instanceof UsageError || isArgError(error);
    io.stderr.write(`${(error as Error).message}\n${usage ? USAGE : ''}`);
    return usage ? 2 : 1;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

async function runSeeds(values: Values, io: EvaluationIo): Promise<ScoredRun[]> {
  const seeds = (values.seeds ?? '1,2,3')
    .split(',')
    .map((text) => simulationOptions({ seed: text.trim() }).seed);
  const { seed: _, ...simulation } = simulationOptions({ ...values, seed: String(DEFAULT_SIMULATION.seed) });
  const everyMinutes = everyMinutesOption(values.every);
  const baselineOnly = values['baseline-only'] ?? false;
  const oracleThreshold = positiveNumber('--oracle-threshold', values['oracle-threshold']);
  const options = { simulation, everyMinutes, baselineOnly, oracleThreshold, ...cadenceOf(values, io) };
  const runs: ScoredRun[] = [];
  for (const seed of seeds) runs.push(await runSeed(seed, options));
  return runs;
}

/** The backtest's cadence: --tick, else EVALUATE_EVERY_MINUTES, else 10; the grace from EVALUATE_GRACE_MINUTES. */
function cadenceOf(values: Values, io: EvaluationIo) {
  return {
    tickMinutes: tickOption(values.tick ?? process.env.EVALUATE_EVERY_MINUTES),
    graceMinutes: Number(process.env.EVALUATE_GRACE_MINUTES || 2),
    log: (message: string) => io.stderr.write(`${message}\n`),
  };
}

function tickOption(text: string | undefined): number {
  if (text === undefined || text === '') return 10;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 60 || 60 % value !== 0)
    throw new EvaluationUsageError(
      '--tick must divide an hour: 5, 10, 15, 20, 30 or 60 (or 1, 2, 3, 4, 6, 12)',
    );
  return value;
}

async function runApiSeeds(values: Values, io: EvaluationIo): Promise<ScoredRun[]> {
  if (values.every !== undefined) throw new EvaluationUsageError('--every applies to --kind counts only');
  const seeds = (values.seeds ?? '1,2,3')
    .split(',')
    .map((text) => simulationOptions({ seed: text.trim() }).seed);
  const sources = values.sources ?? String(DEFAULT_API_SOURCES);
  const { seed: _, ...simulation } = simulationOptions({ ...values, sources, seed: '1' });
  const runs: ScoredRun[] = [];
  for (const seed of seeds) {
    const baselineOnly = values['baseline-only'] ?? false;
    runs.push(await runApiSeed(seed, { simulation, baselineOnly, ...cadenceOf(values, io) }));
  }
  return runs;
}

function fileOptions(values: Values) {
  if (!values.findings || !values.labels)
    throw new EvaluationUsageError('--findings and --labels go together');
  return {
    findingsPath: values.findings,
    labelsPath: values.labels,
    countsPath: values.counts,
    infoPath: values.info,
    seriesCount: positiveNumber('--series', values.series),
    days: positiveNumber('--days', values.days),
  };
}

function positiveNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0)) throw new EvaluationUsageError(`${name} must be a positive number`);
  return value;
}

/** The runs and, with more than one, their mean per detector. */
function report(runs: readonly ScoredRun[]) {
  if (runs.length < 2) return { runs };
  const names = Object.keys(runs[0]?.detectors ?? {});
  const detectors = Object.fromEntries(
    names.map((name) => [name, meanScore(runs.flatMap((r) => r.detectors[name] ?? []))]),
  );
  const mean: ScoredRun = {
    label: `mean of ${runs.length} runs`,
    seriesCount: runs.reduce((sum, r) => sum + r.seriesCount, 0) / runs.length,
    days: runs.reduce((sum, r) => sum + r.days, 0) / runs.length,
    detectors,
  };
  return { runs, mean };
}

function formatReport(runs: readonly ScoredRun[]): string {
  const { mean } = report(runs) as { mean?: ScoredRun };
  return [...runs, ...(mean ? [mean] : [])].map(formatRun).join('\n');
}

function isArgError(error: unknown): boolean {
  return (
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('ERR_PARSE_ARGS')
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEvaluation(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
