import { type Logger, pino } from 'pino';

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

/** The process logger: JSON lines on stdout (or stderr for CLI commands whose stdout is data). */
export function createLogger(options: { level: string; name?: string; destination?: 1 | 2 }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'ratewatch',
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    pino.destination({ fd: options.destination ?? 1, sync: false }),
  );
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
