import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Finding, parseFindingLine } from './records.js';

/** How the backtest is started: exactly as a user would, from the project directory. */
export const BACKTEST_COMMAND = ['npx', 'tsx', 'src/cli/index.ts', 'backtest'] as const;

export type BacktestOutcome<F = Finding> =
  | { readonly ok: true; readonly findings: F[] }
  | { readonly ok: false; readonly exitCode: number | null };

/**
 * Runs `npx tsx src/cli/index.ts backtest <countsPath>` (a counts or API-calls CSV) as a child process; its stdout
 * (JSON lines) is copied to `findingsPath` and parsed by `parseLine`, its stderr (progress) goes to ours; `env` is
 * added to our environment (EVALUATE_EVERY_MINUTES: the cadence replayed). A non-zero exit is returned; a line
 * that is not a finding throws (and stops the child).
 */
export async function runBacktest<F = Finding>(
  countsPath: string,
  findingsPath: string,
  env: Readonly<Record<string, string>> = {},
  parseLine: (line: string, lineNumber: number) => F = parseFindingLine as (line: string, n: number) => F,
): Promise<BacktestOutcome<F>> {
  const [command, ...args] = BACKTEST_COMMAND;
  const child = spawn(command, [...args, countsPath], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const closed = once(child, 'close') as Promise<[number | null]>;
  closed.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  const out = createWriteStream(findingsPath);
  const findings: F[] = [];
  let lineNumber = 0;
  try {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber += 1;
      out.write(`${line}\n`);
      if (line.trim() !== '') findings.push(parseLine(line, lineNumber));
    }
    const [exitCode] = await closed;
    return exitCode === 0 ? { ok: true, findings } : { ok: false, exitCode };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    out.end();
    await once(out, 'close');
  }
}
