import { pathToFileURL } from 'node:url';
import { type Config, loadConfig } from '../config.js';
import { withEnvFile } from '../env-file.js';
import { isCodedError } from '../errors.js';
import { explainMysqlError } from '../storage/db.js';
import { backtestCommand } from './backtest.js';
import { type Command, UsageError } from './command.js';
import { evaluateCommand } from './evaluate.js';
import { importLogsCommand } from './import-logs.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate.js';
import { sourcesAdd, sourcesList, sourcesPause, sourcesResume, sourcesRotateToken } from './sources.js';

/** Every command, in the order `help` lists them. Add one: write `src/cli/<name>.ts` exporting a Command, list it here. */
export const commands: readonly Command[] = [
  migrateCommand,
  sourcesAdd,
  sourcesList,
  sourcesRotateToken,
  sourcesPause,
  sourcesResume,
  evaluateCommand,
  backtestCommand,
  simulateCommand,
  importLogsCommand,
];

export interface CliIo {
  readonly env: Record<string, string | undefined>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** The clock commands read (`import-logs` refuses lines outside the retention); the wall clock by default. */
  readonly now?: () => Date;
}

/** Runs one CLI invocation and resolves to its exit code: 0 done, 1 failed, 2 called wrongly. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = findCommand(argv);
  if (!command) {
    const asked = argv.length === 0 || ['help', '--help', '-h'].includes(argv[0] ?? '');
    (asked ? io.stdout : io.stderr).write(helpText(asked ? undefined : argv.join(' ')));
    return asked ? 0 : 2;
  }
  const args = argv.slice(command.name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`usage: npm run cli -- ${command.usage}\n  ${command.summary}\n`);
    return 0;
  }
  let config: Config | undefined;
  try {
    config = loadConfig(io.env);
    const now = io.now ?? (() => new Date());
    return await command.run({ args, config, stdout: io.stdout, stderr: io.stderr, now });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nusage: npm run cli -- ${command.usage}\n`);
      return 2;
    }
    const mysql = config && explainMysqlError(error, config.mysqlUrl);
    if (mysql) io.stderr.write(`${mysql}\n`);
    else if (isCodedError(error)) io.stderr.write(`${error.message}\n`);
    else io.stderr.write(`${command.name} failed: ${(error as Error).stack ?? error}\n`);
    return 1;
  }
}

function findCommand(argv: readonly string[]): Command | undefined {
  const words = argv.join(' ');
  return [...commands]
    .sort((a, b) => b.name.length - a.name.length)
    .find((command) => words === command.name || words.startsWith(`${command.name} `));
}

function helpText(unknown?: string): string {
  const lines = commands.map((c) => `  ${c.usage}\n      ${c.summary}`);
  const head = unknown ? `unknown command: ${unknown}\n\n` : '';
  return `${head}usage: npm run cli -- <command>\n\ncommands:\n${lines.join('\n')}\n  help\n      this list\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // A .env in the directory it runs in configures it too; the real environment wins.
  runCli(process.argv.slice(2), {
    env: withEnvFile(process.env),
    stdout: process.stdout,
    stderr: process.stderr,
  }).then((code) => {
    process.exitCode = code;
  });
}
