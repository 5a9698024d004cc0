import type { AlertFilter } from '../src/alerts/alert.js';
import { ALERT_STATUSES, isAlertStatus, isSeverity } from '../src/alerts/alert-state.js';
import { SEVERITIES } from '../src/detection/types.js';
import { apiNameProblem } from '../src/ingest/names.js';
import { escapeText } from '../src/slack/escape.js';

/** A parsed `/alerts …`. Anything that cannot be read is `usage`, with what was wrong. */
export type AlertsCommand =
  | { readonly kind: 'list'; readonly filter: AlertFilter; readonly limit: number; readonly offset: number }
  | { readonly kind: 'show'; readonly id: number }
  | { readonly kind: 'ack'; readonly id: number }
  | { readonly kind: 'resolve'; readonly id: number; readonly note: string | undefined }
  | {
      readonly kind: 'mute';
      readonly source: string;
      readonly metric: string | undefined;
      readonly durationMs: number;
    }
  | { readonly kind: 'unmute'; readonly source: string; readonly metric: string | undefined }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage'; readonly problem: string };

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 20;
const MAX_MUTE_MS = 30 * 86_400_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Reads the text after `/alerts`. Pure; never throws. */
export function parseAlertsCommand(text: string): AlertsCommand {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const [verb, ...rest] = words;
  if (verb === undefined) return { kind: 'list', filter: {}, limit: DEFAULT_LIMIT, offset: 0 };
  switch (verb.toLowerCase()) {
    case 'list':
      return parseList(rest);
    case 'show':
    case 'ack':
    case 'acknowledge':
      return withId(verb.toLowerCase() === 'show' ? 'show' : 'ack', rest);
    case 'resolve':
      return parseResolve(text, rest);
    case 'mute':
      return parseMute(rest);
    case 'unmute':
      return parseUnmute(rest);
    case 'help':
      return { kind: 'help' };
    default:
      return verb.includes(':') ? parseList(words) : usage(`I don't know \`${escapeText(verb)}\`.`);
  }
}

const FILTER_KEYS = ['status', 'severity', 'source', 'env', 'environment', 'api', 'limit'];

function parseList(words: readonly string[]): AlertsCommand {
  const filter: { -readonly [K in keyof AlertFilter]: AlertFilter[K] } = {};
  let limit = DEFAULT_LIMIT;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const [key = '', value = ''] = splitOnce(word, ':');
    const name = key.toLowerCase();
    if (name === 'api') {
      const taken = takeApi(words, i);
      const problem = taken.api === '' ? 'must not be empty' : apiNameProblem(taken.api);
      if (problem)
        return usage(`the api ${problem}: write it as \`api:POST /v1/payments\` or \`api:"GET /v1/x y"\`.`);
      filter.api = taken.api;
      i = taken.last;
      continue;
    }
    if (!value) return usage(`\`${escapeText(word)}\` is not a filter (write it as key:value).`);
    if (name === 'status') {
      const status = value.toLowerCase();
      if (!isAlertStatus(status)) return usage(`status must be one of ${ALERT_STATUSES.join(', ')}.`);
      filter.status = status;
    } else if (name === 'severity') {
      const severity = value.toLowerCase();
      if (!isSeverity(severity)) return usage(`severity must be one of ${SEVERITIES.join(', ')}.`);
      filter.severity = severity;
    } else if (name === 'source' || name === 'env' || name === 'environment') {
      if (!NAME.test(value)) return usage(`\`${escapeText(value)}\` is not a ${name} name.`);
      if (name === 'source') filter.source = value;
      else filter.environment = value;
    } else if (name === 'limit') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
        return usage(`limit must be a whole number from 1 to ${MAX_LIMIT}.`);
      limit = n;
    } else {
      return usage(
        `\`${escapeText(key)}\` is not a filter: use status, severity, source, env, api or limit.`,
      );
    }
  }
  return { kind: 'list', filter, limit, offset: 0 };
}

/**
 * The api of `api:…`, which holds spaces (`api:POST /v1/payments`): the words after it up to the next filter
 * (`status:`, `limit:` …), or everything between double quotes (`api:"POST /v1/a status:x"`). Slack sends
 * `&`, `<` and `>` as HTML entities; they are read back as the characters.
 */
function takeApi(words: readonly string[], at: number): { api: string; last: number } {
  let text = (words[at] as string).slice('api:'.length);
  let last = at;
  if (/^["“]/.test(text)) {
    // Quoted (Slack clients may curl the quotes): up to the word that closes it.
    while (!(text.length > 1 && /["”]$/.test(text)) && last + 1 < words.length) text += ` ${words[++last]}`;
    return { api: unescapeSlack(text.replace(/^["“]|["”]$/g, '')), last };
  }
  while (last + 1 < words.length && !isFilterWord(words[last + 1] as string)) text += ` ${words[++last]}`;
  return { api: unescapeSlack(text), last };
}

function isFilterWord(word: string): boolean {
  const at = word.indexOf(':');
  return at > 0 && FILTER_KEYS.includes(word.slice(0, at).toLowerCase());
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function withId(kind: 'show' | 'ack', rest: readonly string[]): AlertsCommand {
  const id = parseId(rest[0]);
  if (id === undefined || rest.length !== 1)
    return usage(`\`/alerts ${kind} <id>\` needs one alert id, such as 12.`);
  return { kind, id };
}

function parseResolve(text: string, rest: readonly string[]): AlertsCommand {
  const id = parseId(rest[0]);
  if (id === undefined) return usage('`/alerts resolve <id> [note]` needs an alert id, such as 12.');
  // The note keeps its own spacing: everything after the id.
  const note = text
    .trim()
    .replace(/^\S+\s+\S+\s*/, '')
    .slice(0, 1000);
  return { kind: 'resolve', id, note: note.length > 0 ? note : undefined };
}

function parseMute(rest: readonly string[]): AlertsCommand {
  if (rest.length < 2 || rest.length > 3)
    return usage(
      '`/alerts mute <source> [metric] <duration>` needs a source and a duration, such as `card-eu 2h`.',
    );
  const durationMs = parseDuration(rest[rest.length - 1] as string);
  if (durationMs === undefined) return usage('the duration must look like `30m`, `2h`, `1d` or `1h30m`.');
  if (durationMs > MAX_MUTE_MS) return usage('a mute lasts at most 30 days.');
  const [source = '', metric] = rest.length === 3 ? rest : [rest[0]];
  const bad = [source, metric].find((w) => w !== undefined && !NAME.test(w));
  if (bad !== undefined) return usage(`\`${escapeText(bad)}\` is not a source or metric name.`);
  return { kind: 'mute', source, metric, durationMs };
}

function parseUnmute(rest: readonly string[]): AlertsCommand {
  const [source, metric] = rest;
  if (
    source === undefined ||
    rest.length > 2 ||
    [source, metric].some((w) => w !== undefined && !NAME.test(w))
  )
    return usage('`/alerts unmute <source> [metric]` needs a source name.');
  return { kind: 'unmute', source, metric };
}

/** `90m`, `2h`, `1d`, `1h30m` in milliseconds; undefined if it is not a duration. */
export function parseDuration(word: string): number | undefined {
  if (!/^(\d+[mhdw])+$/i.test(word)) return undefined;
  let total = 0;
  for (const [, n, unit] of word.toLowerCase().matchAll(/(\d+)([mhdw])/g))
    total += Number(n) * (UNIT_MS[unit as string] ?? 0);
  return total > 0 ? total : undefined;
}

function parseId(word: string | undefined): number | undefined {
  const match = /^#?(\d{1,15})$/.exec(word ?? '');
  const id = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function splitOnce(word: string, separator: string): [string, string] {
  const at = word.indexOf(separator);
  return at < 0 ? [word, ''] : [word.slice(0, at), word.slice(at + 1)];
}

function usage(problem: string): AlertsCommand {
  return { kind: 'usage', problem };
}
