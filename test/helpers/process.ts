import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

/** The repository root (where package.json and dist/ are). */
export const ROOT = join(import.meta.dirname, '..', '..');

/** A process started by a test, with everything it printed so far. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

export function start(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string },
) {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env, stdio: 'pipe' });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => text, exited } satisfies Started;
}

/** Waits until the process printed something matching `pattern` (or exited, which fails). */
export function waitForOutput(started: Started, pattern: RegExp, what: string): Promise<RegExpMatchArray> {
  return waitFor(
    () => pattern.exec(started.output()) ?? false,
    `${what} (printed so far: ${started.output()})`,
  );
}

/**
 * Builds dist/ when it is missing or older than a source file (scripts/build-if-stale.mjs, what `npm start`
 * runs first): the tests that start the real process run the compiled JavaScript, as production does.
 */
export function ensureBuilt(): void {
  const result = spawnSync('node', ['scripts/build-if-stale.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building dist/ failed:\n${result.stdout}\n${result.stderr}`);
}
