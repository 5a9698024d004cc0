import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.js';

/** A stream that keeps what is written to it, for a command's stdout or stderr. */
export function captureOutput(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs a CLI command in-process with the given environment (and clock); resolves to its exit code and what it printed. */
export async function cli(
  args: string[],
  env: Record<string, string | undefined>,
  options: { now?: () => Date } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [captureOutput(), captureOutput()];
  const code = await runCli(args, { env, stdout: stdout.stream, stderr: stderr.stream, now: options.now });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
