import { z } from 'zod';
import { ConfigError } from './errors.js';

/** The process roles a ratewatch process can take; all three by default. */
export const ROLE_NAMES = ['web', 'worker', 'scheduler'] as const;
export type Role = (typeof ROLE_NAMES)[number];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );
const urlString = (protocols: string[]) =>
  z.string().refine((value) => hasProtocol(value, protocols), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  });
const url = (protocols: string[], fallback: string) =>
  z.preprocess(emptyAsUndefined, urlString(protocols).default(fallback));
const optionalUrl = (protocols: string[]) => z.preprocess(emptyAsUndefined, urlString(protocols).optional());
const emailList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .default('')
    .transform((value) => splitList(value))
    .refine((list) => list.every(isEmailAddress), {
      message: 'must be a comma-separated list of email addresses',
    }),
);
const secret = (minLength: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.string().min(minLength, `must be at least ${minLength} characters`).optional(),
  );

const schema = z.object({
  PORT: integer(3000, 0, 65535),
  METRICS_PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(0)
      .max(65535)
      .optional(),
  ),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default('info')),
  MYSQL_URL: url(['mysql:', 'mariadb:'], 'mysql://root@127.0.0.1:3306/ratewatch'),
  MYSQL_POOL_SIZE: integer(10, 1, 200),
  REDIS_URL: url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_{}-]{1,64}$/, 'may hold only letters, digits, _, -, { and }')
      .default('ratewatch'),
  ),
  INGEST_TOKEN: secret(16),
  API_TOKEN: secret(16),
  ROLES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(ROLE_NAMES.join(','))
      .transform((value) => splitList(value))
      .refine(
        (list) => list.length > 0 && list.every((role) => (ROLE_NAMES as readonly string[]).includes(role)),
        {
          message: `must be a comma-separated list of ${ROLE_NAMES.join(', ')}`,
        },
      )
      .transform((list) => [...new Set(list)] as Role[]),
  ),
  RATEWATCH_CONFIG: optionalString,
  MINUTE_RETENTION_DAYS: integer(35, 1, 3650),
  ROLLUP_RETENTION_DAYS: integer(400, 1, 36500),
  INGEST_MAX_BODY_BYTES: integer(8 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  EVALUATE_GRACE_MINUTES: integer(2, 0, 59),
  EVALUATE_CRON: optionalString,
  /** The tick: minutes between checks inside the hour, a divisor of 60 (5, 10, 15, 20, 30 …); 60 = hourly runs only. */
  EVALUATE_EVERY_MINUTES: integer(10, 1, 60).refine((m) => 60 % m === 0, {
    message: 'must divide an hour: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60',
  }),
  MODEL_RETRAIN_HOURS: integer(24, 1, 168),
  RECOVERY_HOURS: integer(2, 1, 168),
  AUTO_RESOLVE: z.preprocess(
    emptyAsUndefined,
    z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).default('false'),
  ),
  CATCHUP_MAX_HOURS: integer(48, 0, 24 * 35),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalUrl(['http:', 'https:']),
  SLACK_DEFAULT_CHANNEL: optionalString,
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  EMAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default('ratewatch <ratewatch@localhost>')),
  EMAIL_TO: emailList,
  EMAIL_FALLBACK_TO: emailList,
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  LINK_SECRET: secret(16),
  LINK_TTL_HOURS: integer(72, 1, 24 * 30),
});

/**
 * Rules across variables, checked on the raw environment so they are reported even when other variables are
 * invalid (zod skips refinements of an object that failed).
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => (env[name] ?? '') !== '';
  const problems: string[] = [];
  if (set('SLACK_SIGNING_SECRET') && set('SLACK_APP_TOKEN')) {
    problems.push(
      'SLACK_APP_TOKEN: set either SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode), not both',
    );
  }
  if ((set('SLACK_SIGNING_SECRET') || set('SLACK_APP_TOKEN')) && !set('SLACK_BOT_TOKEN')) {
    problems.push('SLACK_BOT_TOKEN: is required when Slack is configured');
  }
  if (set('SLACK_APP_TOKEN') && !env.SLACK_APP_TOKEN?.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN: must be an app-level token (xapp-…)');
  }
  return problems;
}

export type SlackMode = 'http' | 'socket' | 'off';

/** Everything ratewatch reads from its environment, validated and frozen. */
export interface Config {
  readonly port: number;
  /** Port on which a process without the web role serves /healthz, /readyz and /metrics (none when unset). */
  readonly metricsPort: number | undefined;
  readonly host: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly mysqlUrl: string;
  readonly mysqlPoolSize: number;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly ingestToken: string | undefined;
  readonly apiToken: string | undefined;
  readonly roles: readonly Role[];
  readonly configFile: string | undefined;
  readonly retention: { readonly minuteDays: number; readonly rollupDays: number };
  readonly ingestMaxBodyBytes: number;
  readonly detection: {
    /** The hourly evaluation runs this many minutes after each hour, so late posts count. */
    readonly graceMinutes: number;
    /** Minutes between ticks inside the hour (any divisor of 60: 5, 10, 20 …); 60 = hourly runs only. */
    readonly everyMinutes: number;
    /** node-cron expression of the hourly evaluation; default `<graceMinutes> * * * *`. */
    readonly evaluateCron: string;
    /** Trees are retrained every this many hours (at UTC multiples of it). */
    readonly retrainHours: number;
    /** Hours a metric must be back to normal before its alert is marked recovered. */
    readonly recoveryHours: number;
    /** Whether a recovered alert is also resolved. */
    readonly autoResolve: boolean;
    /** At most this many missed hours are evaluated on start-up, oldest first. */
    readonly catchUpMaxHours: number;
  };
  readonly slack: {
    readonly mode: SlackMode;
    readonly botToken: string | undefined;
    readonly signingSecret: string | undefined;
    readonly appToken: string | undefined;
    readonly apiUrl: string | undefined;
    readonly defaultChannel: string | undefined;
  };
  readonly email: {
    readonly smtpUrl: string | undefined;
    readonly from: string;
    readonly to: readonly string[];
    readonly fallbackTo: readonly string[];
  };
  readonly publicUrl: string;
  /** Whether PUBLIC_URL was set (links that leave this machine, like a Slack card's Open, need it). */
  readonly publicUrlSet: boolean;
  readonly linkSecret: string | undefined;
  /** Hours an acknowledge/resolve link in an email stays valid. */
  readonly linkTtlHours: number;
}

/**
 * Validates the environment and returns a frozen Config.
 * Every problem is reported at once in one ConfigError, one line per variable; values are never echoed.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const slackMode: SlackMode = e.SLACK_APP_TOKEN ? 'socket' : e.SLACK_SIGNING_SECRET ? 'http' : 'off';
  return deepFreeze({
    port: e.PORT,
    metricsPort: e.METRICS_PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    mysqlUrl: e.MYSQL_URL,
    mysqlPoolSize: e.MYSQL_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    ingestToken: e.INGEST_TOKEN,
    apiToken: e.API_TOKEN,
    roles: e.ROLES,
    configFile: e.RATEWATCH_CONFIG,
    retention: { minuteDays: e.MINUTE_RETENTION_DAYS, rollupDays: e.ROLLUP_RETENTION_DAYS },
    ingestMaxBodyBytes: e.INGEST_MAX_BODY_BYTES,
    detection: {
      graceMinutes: e.EVALUATE_GRACE_MINUTES,
      everyMinutes: e.EVALUATE_EVERY_MINUTES,
      evaluateCron: e.EVALUATE_CRON ?? `${e.EVALUATE_GRACE_MINUTES} * * * *`,
      retrainHours: e.MODEL_RETRAIN_HOURS,
      recoveryHours: e.RECOVERY_HOURS,
      autoResolve: e.AUTO_RESOLVE === 'true' || e.AUTO_RESOLVE === '1',
      catchUpMaxHours: e.CATCHUP_MAX_HOURS,
    },
    slack: {
      mode: slackMode,
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      defaultChannel: e.SLACK_DEFAULT_CHANNEL,
    },
    email: { smtpUrl: e.SMTP_URL, from: e.EMAIL_FROM, to: e.EMAIL_TO, fallbackTo: e.EMAIL_FALLBACK_TO },
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    publicUrlSet: e.PUBLIC_URL !== undefined,
    linkSecret: e.LINK_SECRET,
    linkTtlHours: e.LINK_TTL_HOURS,
  });
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function isEmailAddress(value: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+$/.test(value);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
