import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment an entry point (`npm start`, `npm run demo`, `npm run cli`) configures itself from: the
 * process's own variables over those of the `.env` file in `dir` (the directory it was started in; npm scripts
 * start in the project's), when there is one. A variable the process has — even set to "" — wins over the file,
 * as with Node's `--env-file`, so a deployment's real environment always decides.
 */
export function withEnvFile(
  env: Readonly<Record<string, string | undefined>>,
  dir: string = process.cwd(),
): Record<string, string | undefined> {
  const fromFile = readEnvFile(join(dir, '.env'));
  return { ...fromFile, ...env };
}

function readEnvFile(path: string): Record<string, string | undefined> {
  try {
    return parseEnv(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw new Error(`could not read ${path}: ${(error as Error).message}`);
  }
}
