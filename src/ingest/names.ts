import { z } from 'zod';

/**
 * The one definition of source, environment and api names, for every entry point (counts, API calls, call
 * logs, `POST /v1/alerts` and its filters, query strings, the CLI). The limits are the columns': `sources.name`
 * VARCHAR(64), `series.environment` and `alerts.environment` VARCHAR(32), and the api column VARCHAR(200)
 * (utf8mb4_bin) — so a name that passes is always stored, never a 500.
 */
export const MAX_SOURCE_NAME = 64;
export const MAX_ENVIRONMENT_NAME = 32;
export const MAX_API_NAME = 200;

export const SOURCE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ENVIRONMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/**
 * 1–200 printable characters (code points, as MySQL counts a utf8mb4 VARCHAR): no control, format or
 * unassigned characters, no line or paragraph separators, and no space at either end — MySQL's PAD SPACE
 * collations compare "GET /x " equal to "GET /x", so a trailing space would make two keys of one.
 */
export const API_NAME_PATTERN = /^[^\p{C}\p{Z}](?:[^\p{C}\p{Zl}\p{Zp}]{0,198}[^\p{C}\p{Z}])?$/u;

/** The messages of today's counts ingest, kept word for word. */
export const SOURCE_NAME_RULE =
  'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
export const ENVIRONMENT_NAME_RULE =
  'must be 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit';
export const ENVIRONMENT_NOT_STRING = 'must be a string such as "production"';
export const API_NOT_STRING = 'is required: the API, such as "POST /v1/payments"';

/** A name's pattern and what a wrong value is told: the rule, in words. */
export interface NameRule {
  readonly pattern: RegExp;
  readonly message: string;
}

export const SOURCE_NAME: NameRule = { pattern: SOURCE_NAME_PATTERN, message: SOURCE_NAME_RULE };
export const ENVIRONMENT_NAME: NameRule = {
  pattern: ENVIRONMENT_NAME_PATTERN,
  message: ENVIRONMENT_NAME_RULE,
};

/** The zod schema of a name; `required` is what a missing value (or one of another type) is told. */
export function nameSchema(rule: NameRule, required: string) {
  return z.string({ error: required }).regex(rule.pattern, rule.message);
}

export function isSourceName(value: string): boolean {
  return SOURCE_NAME_PATTERN.test(value);
}

export function isEnvironmentName(value: string): boolean {
  return ENVIRONMENT_NAME_PATTERN.test(value);
}

export function isApiName(value: string): boolean {
  return API_NAME_PATTERN.test(value);
}

/**
 * isApiName with a memory of the names it passed (up to `capacity`, then it starts over): a batch or a log
 * names few APIs many times, and the Unicode pattern is not free.
 */
export function createApiNameCheck(capacity = 10_000): (value: string) => boolean {
  const known = new Set<string>();
  return (value) => {
    if (known.has(value)) return true;
    if (!API_NAME_PATTERN.test(value)) return false;
    if (known.size >= capacity) known.clear();
    known.add(value);
    return true;
  };
}

/** What is wrong with an api name, in words; undefined when it is a valid one. */
export function apiNameProblem(value: string): string | undefined {
  if (API_NAME_PATTERN.test(value)) return undefined;
  if (value.length === 0) return 'must not be empty';
  const length = [...value].length;
  if (length > MAX_API_NAME) return `must be at most ${MAX_API_NAME} characters (it has ${length})`;
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(value))
    return 'must hold only printable characters (no control characters, tabs or line breaks)';
  return 'must not start or end with a space';
}

/**
 * A source name. `required` is the message for a missing or non-string value, which names what the source
 * is at that entry point (today's counts ingest: "is required: the name of the payment system").
 */
export function sourceNameSchema(required = 'is required: the name of the payment system') {
  return nameSchema(SOURCE_NAME, required);
}

export const environmentNameSchema = nameSchema(ENVIRONMENT_NAME, ENVIRONMENT_NOT_STRING);

export const apiNameSchema = z.string({ error: API_NOT_STRING }).superRefine((value, context) => {
  const problem = apiNameProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
