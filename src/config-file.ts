import { readFileSync } from 'node:fs';
import { isMap, isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { type ApiDetectionSettings, apiDetectionSettings } from './api-detection/api-settings.js';
import { isTimeZone } from './detection/calendar.js';
import { DEFAULT_DETECTION, type DetectionSettings, type SeriesProfile } from './detection/settings.js';
import { SEVERITIES, type Severity } from './detection/types.js';
import { ConfigError } from './errors.js';
import { apiNameProblem } from './ingest/names.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const timeZone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone such as Europe/Berlin' });
const severity = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
const positive = z.number({ error: 'must be a number' }).positive('must be above 0');
const share = z.number({ error: 'must be a number' }).min(0, 'must be 0–1').max(1, 'must be 0–1');
const windowMinutes = z.union([z.literal(10), z.literal(20), z.literal(30)], {
  error: 'must be 10, 20 or 30',
});

/** Detection settings a file may override, in the file's snake_case. */
const detectionSchema = z.strictObject({
  history_days: z.number().int().min(7, 'must be at least 7').max(90, 'must be at most 90').optional(),
  min_history_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
  threshold: positive.optional(),
  confirm_threshold: positive.optional(),
  span_penalty: z.number().min(0).optional(),
  tick_penalty: z.number().min(0).optional(),
  silence_minutes: z.number().int().min(10, 'must be 10–120').max(120, 'must be 10–120').optional(),
  shortest_window_minutes: windowMinutes.optional(),
  shortest_drop_window_minutes: windowMinutes.optional(),
  multi_hour_windows: z.number().int().min(1, 'must be 1–6').max(6, 'must be 1–6').optional(),
  multi_hour_penalty: z.number().min(0).optional(),
  min_sustained_share: share.optional(),
  min_rate_factor: z.number().min(1, 'must be at least 1').optional(),
  min_rate_rise: share.optional(),
  min_excess_transactions: z.number().min(0).optional(),
  traffic_drop_factor: share.optional(),
  traffic_surge_factor: z.number().min(1, 'must be at least 1').optional(),
  min_traffic_excess: z.number().min(0).optional(),
  cold_start_ceilings: z
    .strictObject({
      failed: share.optional(),
      denied: share.optional(),
      reversed: share.optional(),
      /** API sources: the error share (5xx + timeouts) of cold start; default 5 %. */
      errors: share.optional(),
    })
    .optional(),
  /** API sources: judge 4xx (`client_errors`) too; off by default (product.md: "judged only where asked"). */
  judge_4xx: z.boolean({ error: 'must be true or false' }).optional(),
  severity: z
    .array(z.strictObject({ severity, min_score: z.number().min(0), min_factor: z.number().min(0) }))
    .min(1)
    .optional(),
});

/** A page a person can open from an alert: http or https only (no javascript: or data: links in cards). */
const webUrl = z.string({ error: 'must be a URL' }).refine((value) => /^https?:$/.test(safeProtocol(value)), {
  message: 'must be an http:// or https:// URL',
});

const sourceSchema = z.strictObject({
  timezone: timeZone.optional(),
  /** What to do when this source alerts: linked from its Slack card, email and alert page. */
  runbook_url: webUrl.optional(),
  holidays: z.array(z.string().regex(DATE, 'must be a date such as 2026-12-25')).optional(),
  detection: detectionSchema.optional(),
  /** API sources: in cold start (no normal p99 yet), a p99 above this many ms alerts. */
  latency_slo_ms: positive.max(600_000, 'must be at most 600000 (10 minutes)').optional(),
});

/** An api name as names.ts allows it, where `*` stands for any characters. */
const apiPattern = z
  .string({ error: 'must be an api pattern such as "POST /v1/*"' })
  .superRefine((value, ctx) => {
    const problem = apiNameProblem(value);
    if (problem)
      ctx.addIssue({ code: 'custom', message: `${problem} (an api pattern such as "POST /v1/*")` });
  });
const emailAddress = z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address');
const routeRuleSchema = z.strictObject({
  match: z
    .strictObject({
      source: z.string().min(1).optional(),
      environment: z.string().min(1).optional(),
      /** Alerts of API calls whose api matches this pattern (`*` any characters): `POST /v1/*`. */
      api: apiPattern.optional(),
      severity: z.array(severity).min(1).optional(),
    })
    .default({}),
  channel: z.string().min(1).optional(),
  email: z.array(emailAddress).optional(),
  fallback_email: z.array(emailAddress).optional(),
});

/** Where alerts go: Slack channels and email recipients by source, environment and severity. */
const routingSchema = z.strictObject({
  default_channel: z.string().min(1).optional(),
  digest_threshold: z.number().int().min(1, 'must be at least 1').optional(),
  rules: z.array(routeRuleSchema).optional(),
});

/** A Slack mention: a user group `<!subteam^S0123ABC|oncall>`, a person `<@U0123ABC>`, or `<!here>`/`<!channel>`. */
const SLACK_MENTION = /^(<!subteam\^[A-Z0-9]+(\|[^<>]+)?>|<@[UW][A-Z0-9]+>|<!here>|<!channel>)$/;

/** Who hears about a critical alert nobody acknowledged in time (src/email/escalation.ts reads it). */
const escalationSchema = z.strictObject({
  severities: z.array(severity).min(1, 'must name at least one severity').optional(),
  after_minutes: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(7 * 1440, 'must be at most 10080 (a week)')
    .optional(),
  email: z.array(emailAddress).optional(),
  slack_mention: z
    .string({ error: 'must be a string' })
    .regex(SLACK_MENTION, 'must be a Slack mention such as <!subteam^S0123ABC|oncall> or <@U0123ABC>')
    .optional(),
});

/** Who may acknowledge, resolve and mute from Slack (src/slack/allow-list.ts); both empty or absent: everyone. */
const slackSchema = z.strictObject({
  allowed_users: z
    .array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id such as U0123ABCD'))
    .optional(),
  allowed_groups: z
    .array(z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group id such as S0123ABCD'))
    .optional(),
});

/** Sections owned by the Slack and email adapters are validated here too, so every mistake shows at start-up. */
const fileSchema = z.strictObject({
  defaults: sourceSchema.optional(),
  sources: z.record(z.string(), sourceSchema).optional(),
  routing: routingSchema.optional(),
  escalation: escalationSchema.optional(),
  slack: slackSchema.optional(),
});

export type RatewatchFile = z.infer<typeof fileSchema>;

/**
 * Reads and validates the RATEWATCH_CONFIG YAML file. Every mistake is reported at once in a ConfigError,
 * each with its line: `ratewatch.yml line 12 (sources.card-eu.timezone): is not an IANA time zone …`.
 */
export function loadConfigFile(path: string): RatewatchFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseConfigFile(text, path);
}

export function parseConfigFile(text: string, name = 'config'): RatewatchFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map(
        (e) => `${name} line ${lineCounter.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`,
      ),
    );
  }
  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
      return keys
        .map((key) => {
          const full = key === undefined ? path : [...path, key];
          const line = lineOf(doc, lineCounter, full);
          const message = key === undefined ? issue.message : 'is not a known setting';
          return `${name}${line ? ` line ${line}` : ''} (${full.join('.') || 'top level'}): ${message}`;
        })
        .join('\n  - ');
    }),
  );
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: string[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const node = prefix.length === 0 ? doc.contents : doc.getIn(prefix, true);
    if (isNode(node) && node.range) {
      // An unknown key has no value node of its own: point at the key inside its parent map.
      const last = path[depth];
      if (depth < path.length && isMap(node) && last !== undefined) {
        const pair = node.items.find(
          (item) => isNode(item.key) && String((item.key as { value?: unknown }).value) === last,
        );
        if (pair && isNode(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
      }
      return counter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}

/** A source's runbook link: its own `runbook_url`, else the file's `defaults.runbook_url`, else none. */
export function runbookResolver(file: RatewatchFile | undefined): (source: string) => string | undefined {
  return (source) => file?.sources?.[source]?.runbook_url ?? file?.defaults?.runbook_url;
}

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

/** The profile of a source: built-in defaults, then the file's `defaults`, then its own section. */
export function profileResolver(file: RatewatchFile | undefined): (source: string) => SeriesProfile {
  const cache = new Map<string, SeriesProfile>();
  return (source) => {
    let profile = cache.get(source);
    if (!profile) {
      const own = file?.sources?.[source];
      const defaults = file?.defaults;
      profile = {
        settings: mergeDetection(mergeDetection(DEFAULT_DETECTION, defaults?.detection), own?.detection),
        timeZone: own?.timezone ?? defaults?.timezone ?? 'UTC',
        holidays: own?.holidays ?? defaults?.holidays ?? [],
        clockFromTraffic: (own?.timezone ?? defaults?.timezone) === undefined,
      };
      cache.set(source, profile);
    }
    return profile;
  };
}

function mergeDetection(
  base: DetectionSettings,
  o: z.infer<typeof detectionSchema> | undefined,
): DetectionSettings {
  if (!o) return base;
  return {
    ...base,
    historyDays: o.history_days ?? base.historyDays,
    minHistoryHours: o.min_history_hours ?? base.minHistoryHours,
    threshold: o.threshold ?? base.threshold,
    confirmThreshold: o.confirm_threshold ?? base.confirmThreshold,
    spanPenalty: o.span_penalty ?? base.spanPenalty,
    tickPenalty: o.tick_penalty ?? base.tickPenalty,
    silenceMinutes: o.silence_minutes ?? base.silenceMinutes,
    shortestWindowMinutes: o.shortest_window_minutes ?? base.shortestWindowMinutes,
    shortestDropWindowMinutes: o.shortest_drop_window_minutes ?? base.shortestDropWindowMinutes,
    multiHourWindows: o.multi_hour_windows ?? base.multiHourWindows,
    multiHourPenalty: o.multi_hour_penalty ?? base.multiHourPenalty,
    minSustainedShare: o.min_sustained_share ?? base.minSustainedShare,
    minRateFactor: o.min_rate_factor ?? base.minRateFactor,
    minRateRise: o.min_rate_rise ?? base.minRateRise,
    minExcessTransactions: o.min_excess_transactions ?? base.minExcessTransactions,
    trafficDropFactor: o.traffic_drop_factor ?? base.trafficDropFactor,
    trafficSurgeFactor: o.traffic_surge_factor ?? base.trafficSurgeFactor,
    minTrafficExcess: o.min_traffic_excess ?? base.minTrafficExcess,
    coldStartCeilings: { ...base.coldStartCeilings, ...o.cold_start_ceilings },
    severity: o.severity
      ? o.severity.map((r) => ({
          severity: r.severity as Severity,
          minScore: r.min_score,
          minFactor: r.min_factor,
        }))
      : base.severity,
  };
}

/** How one API source is judged: its payment profile's settings plus 4xx judging and its latency SLO. */
export interface ApiSeriesProfile extends Omit<SeriesProfile, 'settings'> {
  readonly settings: ApiDetectionSettings;
}

/**
 * The profile of an API source: the same detection settings as `profileResolver` (defaults, then the
 * source's own), plus `detection.judge_4xx`, `detection.cold_start_ceilings.errors` and `latency_slo_ms`,
 * each the source's own else the file's `defaults`.
 */
export function apiProfileResolver(file: RatewatchFile | undefined): (source: string) => ApiSeriesProfile {
  const profileOf = profileResolver(file);
  const cache = new Map<string, ApiSeriesProfile>();
  return (source) => {
    let profile = cache.get(source);
    if (!profile) {
      const own = file?.sources?.[source];
      const defaults = file?.defaults;
      const base = profileOf(source);
      const settings = apiDetectionSettings(base.settings, {
        judge4xx: own?.detection?.judge_4xx ?? defaults?.detection?.judge_4xx ?? false,
        latencySloMs: own?.latency_slo_ms ?? defaults?.latency_slo_ms,
        errorCeiling:
          own?.detection?.cold_start_ceilings?.errors ?? defaults?.detection?.cold_start_ceilings?.errors,
      });
      profile = { ...base, settings };
      cache.set(source, profile);
    }
    return profile;
  };
}
