import type { Config } from '../config.js';

/** What a CLI command gets: its arguments after the command words, the config, and where to write. */
export interface CommandContext {
  readonly args: readonly string[];
  readonly config: Config;
  /** Data (tokens, JSON lines) goes to stdout; everything meant for a person goes to stderr. */
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** The clock (the wall clock; tests pass a fixed one). */
  readonly now: () => Date;
}

export interface Command {
  /** The command words, e.g. `sources add`. */
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  /** Resolves to the process exit code. */
  run(context: CommandContext): Promise<number>;
}

/** A mistake in how the command was called: the dispatcher prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Runs an argument parser (node:util parseArgs), turning its complaints into a UsageError. */
export function parse<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
