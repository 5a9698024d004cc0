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

/** Runs a CLI command in-process with the given environment; resolves to its exit code and what it printed. */
export async function cli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [captureOutput(), captureOutput()];
  const code = await runCli(args, { env, stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
