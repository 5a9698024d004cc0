import { type Logger, pino } from 'pino';
import PinoPretty from 'pino-pretty';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log line: credentials never reach the logs. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
];

/**
 * The process logger on stdout (or stderr for CLI commands whose stdout is data): JSON lines, one per event, for
 * log collectors — or, with `pretty` (the entry points pass "is a terminal"), coloured readable lines for a
 * person watching. Redaction applies either way.
 */
export function createLogger(options: {
  level: string;
  name?: string;
  destination?: 1 | 2;
  pretty?: boolean;
}): Logger {
  const settings = {
    level: options.level,
    name: options.name ?? 'ratewatch',
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  const fd = options.destination ?? 1;
  if (options.pretty) {
    // In this thread (not a transport worker), so the last lines before an exit are not lost.
    return pino(settings, PinoPretty({ destination: fd, sync: true, ignore: 'pid,hostname,name' }));
  }
  return pino(settings, pino.destination({ fd, sync: false }));
}

/** Pretty logs for a person at a terminal, JSON for everything else (files, pipes, containers, collectors). */
export function wantsPrettyLogs(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}

/** A URL with its password replaced, safe to log. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '[unparseable URL]';
  }
}
