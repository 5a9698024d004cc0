import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { registerCommands } from '../commands/index.js';
import { readConfigFile, startRatewatch } from './app.js';
import { type Config, loadConfig } from './config.js';
import { withEnvFile } from './env-file.js';
import { createLogger, wantsPrettyLogs } from './logger.js';
import { explainMysqlError } from './storage/db.js';

export const USAGE = `usage: npm start [-- --help]
  Runs ratewatch: the HTTP API, Slack, the queue workers and the scheduler (ROLES decides which); the
  scheduler enqueues the hourly evaluation and a tick every EVALUATE_EVERY_MINUTES (10 by default).
  Configured by environment variables, read from .env in the directory it starts in as well (the real
  environment wins); every variable is described in .env.example and the README's Configuration.
  Stops cleanly on SIGTERM or SIGINT.
options:
  -h, --help   this text (nothing is started)
`;

/** What the command line asks for: run, or print the usage (0), or a mistake (the usage on stderr, 2). */
export function readArgs(argv: readonly string[]): { run: true } | { exitCode: 0 | 2; message?: string } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return values.help ? { exitCode: 0 } : { run: true };
  } catch (error) {
    return { exitCode: 2, message: (error as Error).message };
  }
}

/**
 * The process entry (`npm start`): reads its arguments (before anything else: `--help` touches nothing), the
 * environment and `.env`, starts ratewatch with Slack's commands and buttons (commands/), and stops it cleanly
 * on SIGTERM or SIGINT. Building the app is src/app.ts's.
 */
async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  if ('exitCode' in args) {
    if (args.exitCode === 0) process.stdout.write(USAGE);
    else process.stderr.write(`${args.message}\n${USAGE}`);
    process.exit(args.exitCode);
  }
  let config: Config;
  try {
    config = loadConfig(withEnvFile(process.env));
    readConfigFile(config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel, pretty: wantsPrettyLogs(process.stdout) });
  const app = await startRatewatch(config, { logger, slackListeners: registerCommands }).catch((error) => {
    logger.flush();
    const explained = explainMysqlError(error, config.mysqlUrl);
    process.stderr.write(`ratewatch failed to start: ${explained ?? (error as Error).message}\n`);
    process.exit(1);
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`ratewatch failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
