import { z } from 'zod';

/**
 * The one rule for the names that identify a series — source, environment and (for API calls) api — shared by
 * every entry point: `POST /v1/counts`, `POST /v1/alerts` and its filters, the CLI. The lengths are those of the
 * MySQL columns that store them (sources.name VARCHAR(64), series.environment and alerts.environment
 * VARCHAR(32)), so a name that passes is always stored, never a 500.
 */
export interface NameRule {
  readonly pattern: RegExp;
  /** What a wrong value is told: the rule, in words. */
  readonly message: string;
}

export const SOURCE_NAME: NameRule = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  message: 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
};

export const ENVIRONMENT_NAME: NameRule = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/,
  message: 'must be 1-32 letters, digits, ".", "_" or "-", starting with a letter or digit',
};

/** An API, as a service names it: `POST /v1/payments` — printable ASCII, no space at either end. */
export const API_NAME: NameRule = {
  pattern: /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/,
  message: 'must be 1-200 printable characters without a space at either end, such as "POST /v1/payments"',
};

export const isSourceName = (value: string): boolean => SOURCE_NAME.pattern.test(value);
export const isEnvironmentName = (value: string): boolean => ENVIRONMENT_NAME.pattern.test(value);
export const isApiName = (value: string): boolean => API_NAME.pattern.test(value);

/** The zod schema of a name; `required` is what a missing value (or one of another type) is told. */
export function nameSchema(rule: NameRule, required: string) {
  return z.string({ error: required }).regex(rule.pattern, rule.message);
}
