import { parseArgs } from 'node:util';
import { readApiCallsCsv, readCsvKind } from '../api-calls/api-calls-csv.js';
import { replayApiCalls } from '../backtest/api-replay.js';
import { CsvError, readCountsCsv } from '../backtest/counts-csv.js';
import { type ReplaySummary, replay } from '../backtest/replay.js';
import { apiProfileResolver, loadConfigFile, profileResolver } from '../config-file.js';
import { apiFindingToJson } from '../detection/api-finding-json.js';
import { findingToJson } from '../detection/finding-json.js';
import { type Command, parse, UsageError } from './command.js';
import { parseCliTime } from './iso-time.js';

export const backtestCommand: Command = {
  name: 'backtest',
  usage: 'backtest <counts.csv | api-calls.csv> [--from ISO] [--to ISO] [--config ratewatch.yml]',
  summary:
    'replay a counts or API-calls CSV (told apart by the header) through the live detection code at the live cadence ' +
    '(a tick every EVALUATE_EVERY_MINUTES, 60 = hourly runs only, plus the hourly runs); ' +
    'findings as JSON lines on stdout',
  async run(context) {
    const { values, positionals } = parse(() =>
      parseArgs({
        args: [...context.args],
        options: { from: { type: 'string' }, to: { type: 'string' }, config: { type: 'string' } },
        allowPositionals: true,
      }),
    );
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new UsageError('name one counts or API-calls CSV file');
    const { from, to } = range(values.from, values.to);
    const configFile = values.config ?? context.config.configFile;
    const configValues = configFile ? loadConfigFile(configFile) : undefined;
    const started = Date.now();
    const cpuStarted = process.cpuUsage();
    let lastReport = 0;
    const common = {
      from,
      to,
      retrainHours: context.config.detection.retrainHours,
      graceMinutes: context.config.detection.graceMinutes,
      tickMinutes: context.config.detection.everyMinutes,
      onHour: (hourStart: number, series: number) => {
        if (Date.now() - lastReport < 1000) return;
        lastReport = Date.now();
        context.stderr.write(`backtest: at ${new Date(hourStart).toISOString()} · ${series} series\n`);
      },
    };
    const summary = await replayFile(file, context.stderr, (kind) =>
      kind === 'counts'
        ? replay(readCountsCsv(file), {
            ...common,
            profileOf: profileResolver(configValues),
            onFinding: (finding) => context.stdout.write(`${findingToJson(finding)}\n`),
          })
        : replayApiCalls(readApiCallsCsv(file), {
            ...common,
            profileOf: apiProfileResolver(configValues),
            onFinding: (finding) => context.stdout.write(`${apiFindingToJson(finding)}\n`),
          }),
    );
    if (!summary) return 1;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    // CPU time as well: on a shared machine the wall clock says more about the neighbours than about the replay.
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = ((cpu.user + cpu.system) / 1e6).toFixed(1);
    context.stderr.write(
      `backtest: ${summary.rows} rows, ${summary.series} series, ${summary.hoursEvaluated} hours evaluated, ` +
        `${summary.ticks} ticks every ${context.config.detection.everyMinutes} min, ` +
        `${summary.treesTrained} trees trained, ${summary.findings} findings (${summary.tickFindings} at ticks) in ${seconds}s ` +
        `(${cpuSeconds}s CPU, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB)\n`,
    );
    if (summary.incompleteLastHour !== undefined) {
      context.stderr.write(
        `backtest: the file ends inside the hour ${new Date(summary.incompleteLastHour).toISOString()}; it was not evaluated\n`,
      );
    }
    return 0;
  },
};

/**
 * Replays the file by the kind its header names (counts or API calls: `readCsvKind`); a malformed CSV is
 * reported with its line instead of a stack trace.
 */
async function replayFile(
  file: string,
  stderr: NodeJS.WritableStream,
  run: (kind: 'counts' | 'api-calls') => Promise<ReplaySummary>,
): Promise<ReplaySummary | undefined> {
  try {
    return await run(await readCsvKind(file));
  } catch (error) {
    if (error instanceof CsvError) {
      stderr.write(`backtest: ${file} ${error.message}\n`);
      return undefined;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      stderr.write(`backtest: ${file} does not exist\n`);
      return undefined;
    }
    throw error;
  }
}

/** `--from` and `--to` (either may be left out), or every problem with them. */
function range(fromText: string | undefined, toText: string | undefined) {
  const [from, to] = [instant(fromText), instant(toText)];
  const problems: string[] = [];
  if (Number.isNaN(from)) problems.push('--from must be an ISO-8601 time such as 2026-01-18T00:00:00Z');
  if (Number.isNaN(to)) problems.push('--to must be an ISO-8601 time such as 2026-01-25T00:00:00Z');
  if (from !== undefined && to !== undefined && to <= from) problems.push('--to must be after --from');
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { from, to };
}

function instant(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseCliTime(value);
}
