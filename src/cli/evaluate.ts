import { parseArgs } from 'node:util';
import { isApiFinding } from '../alerts/alert-finding.js';
import { alertServiceFor, hourRunDeps, openQueues, readConfigFile } from '../app.js';
import { apiFindingToJson } from '../detection/api-finding-json.js';
import { findingToJson } from '../detection/finding-json.js';
import { evaluateApiBatch } from '../evaluation/evaluate-api-batch.js';
import { evaluateBatch } from '../evaluation/evaluate-batch.js';
import {
  addTotals,
  finishHour,
  type HourRunDeps,
  prepareApiBatches,
  prepareHour,
} from '../evaluation/hour-run.js';
import {
  addTickTotals,
  evaluateTickBatch,
  finishTick,
  isTickInstant,
  prepareTick,
  type TickRunDeps,
} from '../evaluation/tick-run.js';
import { createLogger } from '../logger.js';
import { openStorage } from '../storage/open-storage.js';
import { type Command, parse, UsageError } from './command.js';
import { parseCliTime } from './iso-time.js';

const HOUR_MS = 3_600_000;
/** A backfill longer than this is refused: it would be a mistake more often than not. */
const MAX_BACKFILL_HOURS = 24 * 400;

export const evaluateCommand: Command = {
  name: 'evaluate',
  usage: 'evaluate --hour <ISO hour> | --from <ISO hour> --to <ISO hour> | --at <ISO minute>',
  summary:
    'evaluate an hour that is over (or every hour of [from, to), oldest first) now, as the scheduled job would: payment series and APIs; --at runs the tick at that instant (any whole minute that has begun: the windows ending at it; at :00 the closing tick of the hour before, silence only), series and APIs, as the tick job would; times without a zone are UTC',
  async run(context) {
    const { values } = parse(() =>
      parseArgs({
        args: [...context.args],
        options: {
          hour: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          at: { type: 'string' },
        },
      }),
    );
    const now = context.now();
    const tick = values.at === undefined ? undefined : tickArg(values, now);
    const hours = tick ? [] : hoursToEvaluate(values, now);
    const storage = await openStorage(context.config);
    const logger = createLogger({ level: context.config.logLevel, destination: 2 });
    // Queues and alerts keep the wall clock: `context.now` is the instant the evaluation stands at.
    const wallClock = () => new Date();
    const clients = openQueues(context.config, storage.deliveries, { logger, now: wallClock });
    try {
      const service = alertServiceFor(context.config, storage, clients.notifications, wallClock);
      const deps = hourRunDeps(context.config, storage, readConfigFile(context.config), service);
      if (tick) {
        const found = await evaluateTickNow(deps, tick, context.now, (line) =>
          context.stdout.write(`${line}\n`),
        );
        context.stderr.write(`evaluate: tick ${tick.toISOString()}, ${found} finding(s)\n`);
        return 0;
      }
      let findings = 0;
      for (const hourStart of hours) {
        findings += await evaluateHourNow(deps, hourStart, (line) => context.stdout.write(`${line}\n`));
        if (hours.length > 1) context.stderr.write(`evaluate: ${hourStart.toISOString()} done\n`);
      }
      context.stderr.write(`evaluate: ${hours.length} hour(s), ${findings} finding(s)\n`);
      return 0;
    } finally {
      await clients.close();
      await storage.close();
    }
  },
};

/**
 * Evaluates one hour in this process, batch after batch — payment series, then APIs — prints each finding (API
 * findings with their `api`); returns how many there were.
 */
async function evaluateHourNow(
  deps: HourRunDeps,
  hourStart: Date,
  print: (line: string) => void,
): Promise<number> {
  const evaluatedAt = new Date();
  const batches = await prepareHour(deps, hourStart, 'cli', evaluatedAt);
  const totals = [];
  for (const series of batches) {
    const result = await evaluateBatch(deps, series, hourStart, evaluatedAt);
    for (const finding of result.findings) print(findingToJson(finding));
    totals.push({ series: result.series, findings: result.findings.length });
  }
  for (const apis of await prepareApiBatches(deps, hourStart)) {
    const result = await evaluateApiBatch(deps, apis, hourStart, evaluatedAt);
    for (const finding of result.findings) print(apiFindingToJson(finding));
    totals.push({ series: result.series, findings: result.findings.length });
  }
  const sum = addTotals(totals);
  await finishHour(deps, hourStart, sum, new Date());
  return sum.findings;
}

/**
 * Runs one tick in this process, batch after batch — payment series, then APIs — as the tick job would; prints
 * each finding (API findings with their `api`).
 */
async function evaluateTickNow(
  deps: TickRunDeps,
  at: Date,
  now: () => Date,
  print: (line: string) => void,
): Promise<number> {
  const evaluatedAt = now();
  const totals = [];
  for (const batch of await prepareTick(deps, at)) {
    const result = await evaluateTickBatch(deps, batch, at, evaluatedAt);
    for (const finding of result.findings)
      print(isApiFinding(finding) ? apiFindingToJson(finding) : findingToJson(finding));
    totals.push({ series: result.series, findings: result.findings.length });
  }
  const sum = addTickTotals(totals);
  await finishTick(deps, at, evaluatedAt, sum, now());
  return sum.findings;
}

type EvaluateArgs = { hour?: string; from?: string; to?: string; at?: string };

/** `--at`: a whole minute that has begun (a tick judges minutes that have passed). */
function tickArg(values: EvaluateArgs, now: Date): Date {
  if (values.hour !== undefined || values.from !== undefined || values.to !== undefined)
    throw new UsageError('give --at alone');
  const at = parseCliTime(values.at as string);
  if (Number.isNaN(at)) throw new UsageError('--at must be an ISO-8601 minute such as 2026-11-21T17:20:00Z');
  if (!isTickInstant(new Date(at)))
    throw new UsageError('--at must be a whole minute, such as 2026-11-21T17:25:00Z');
  if (at > now.getTime())
    throw new UsageError(
      `--at ${new Date(at).toISOString()} is in the future (now ${now.toISOString()}): a tick judges minutes that have passed`,
    );
  return new Date(at);
}

/** The hours of `--hour`, or of [`--from`, `--to`): each must be over, or its missing minutes would page. */
function hoursToEvaluate(values: EvaluateArgs, now: Date): Date[] {
  if (values.hour !== undefined) {
    if (values.from !== undefined || values.to !== undefined)
      throw new UsageError('give --hour, or --from and --to');
    const hour = hourArg(values.hour, '--hour');
    if (typeof hour === 'string') throw new UsageError(hour);
    if (hour.getTime() + HOUR_MS > now.getTime())
      throw new UsageError(
        `--hour ${hour.toISOString()} has not ended yet (now ${now.toISOString()}): an hour is evaluated once it is over`,
      );
    return [hour];
  }
  if (values.from === undefined || values.to === undefined)
    throw new UsageError('give --hour, or --from and --to');
  const [from, to] = [hourArg(values.from, '--from'), hourArg(values.to, '--to')];
  if (typeof from === 'string' || typeof to === 'string')
    throw new UsageError([from, to].filter((x) => typeof x === 'string').join('; '));
  const problems: string[] = [];
  if (to <= from) problems.push('--to must be after --from');
  else if ((to.getTime() - from.getTime()) / HOUR_MS > MAX_BACKFILL_HOURS)
    problems.push(`at most ${MAX_BACKFILL_HOURS} hours at once`);
  if (to.getTime() > now.getTime())
    problems.push(
      `--to ${to.toISOString()} is in the future (now ${now.toISOString()}): every hour of [from, to) must be over`,
    );
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const hours: Date[] = [];
  for (let hour = from.getTime(); hour < to.getTime(); hour += HOUR_MS) hours.push(new Date(hour));
  return hours;
}

/** The start of an hour, or what is wrong with `value`. */
function hourArg(value: string, flag: string): Date | string {
  const at = parseCliTime(value);
  if (Number.isNaN(at)) return `${flag} must be an ISO-8601 time such as 2026-11-21T17:00:00Z`;
  if (at % HOUR_MS !== 0) return `${flag} must be the start of an hour (minutes and seconds 0)`;
  return new Date(at);
}
