import { pathToFileURL } from 'node:url';
import { registerCommands } from '../commands/index.js';
import { readConfigFile, startRatewatch } from './app.js';
import { type Config, loadConfig } from './config.js';
import { createLogger } from './logger.js';

/**
 * The process entry (`npm start`): reads the environment, starts ratewatch with Slack's commands and buttons
 * (commands/), and stops it cleanly on SIGTERM or SIGINT. Building the app is src/app.ts's.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
    readConfigFile(config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  const app = await startRatewatch(config, { logger, slackListeners: registerCommands });
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
