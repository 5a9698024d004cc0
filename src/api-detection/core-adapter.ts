import { callsSlowerThan, histogramTotal } from '../api-calls/latency.js';
import {
  API_METRICS,
  type ApiFinding,
  type ApiMetric,
  isApiMetric,
  type LatencyFacts,
} from '../detection/api-finding.js';
import type { DetectionSettings } from '../detection/settings.js';
import type { Finding, HistoryHour, Metric, WindowCounts } from '../detection/types.js';
import { type ApiCounts, callsOf, clientErrorsOf, errorsOf } from './api-counts.js';
import type { ApiHistoryHour } from './api-history.js';
import type { ApiDetectionSettings } from './api-settings.js';

/**
 * The adapter between an API's counts and the payment core (`evaluateHour`, `trainTree`), which judges
 * `WindowCounts` — a total and three rate slots (`failed`, `denied`, `reversed`) — plus `traffic` (the total).
 * An API is judged in two passes of the unchanged core, because its metrics have two denominators:
 *
 * | pass      | total                    | failed                     | denied          | reversed         | traffic   |
 * | --------- | ------------------------ | -------------------------- | --------------- | ---------------- | --------- |
 * | `calls`   | all calls                | errors (5xx + timeouts)    | silent_failures | client_errors (4xx) | traffic |
 * | `latency` | calls in the histogram   | latency (calls slower than the bound) | —    | —                | — (ignored) |
 *
 * So count-awareness, seasonality, trees, windows, multi-hour windows, sustained blocks, cold start and the
 * severity table all apply as they are. The latency pass's `denied`, `reversed` and `traffic` are 0 or
 * meaningless and their verdicts are dropped; `client_errors` findings are dropped unless `judge4xx`.
 */
export type CorePass = 'calls' | 'latency';

const CALLS_SLOTS = {
  errors: 'failed',
  silent_failures: 'denied',
  client_errors: 'reversed',
  traffic: 'traffic',
} as const satisfies Partial<Record<ApiMetric, Metric>>;
const LATENCY_SLOTS = { latency: 'failed' } as const satisfies Partial<Record<ApiMetric, Metric>>;

/** The core metric an API metric is judged as, in its pass. */
export function coreSlotOf(metric: ApiMetric): { pass: CorePass; slot: Metric } {
  if (metric === 'latency') return { pass: 'latency', slot: LATENCY_SLOTS.latency };
  return { pass: 'calls', slot: CALLS_SLOTS[metric] };
}

/** The API metric a core metric of a pass stands for; undefined for the latency pass's unused slots. */
export function apiMetricOf(pass: CorePass, slot: Metric): ApiMetric | undefined {
  const slots: Partial<Record<ApiMetric, Metric>> = pass === 'calls' ? CALLS_SLOTS : LATENCY_SLOTS;
  const found = Object.entries(slots).find(([, s]) => s === slot);
  return found?.[0] as ApiMetric | undefined;
}

/** The calls pass: total = calls, failed = 5xx + timeouts, denied = silent failures, reversed = 4xx. */
export function callWindowCounts(counts: ApiCounts): WindowCounts {
  return {
    minutes: counts.minutes,
    total: callsOf(counts),
    failed: errorsOf(counts),
    denied: counts.silentFailures,
    reversed: clientErrorsOf(counts),
  };
}

/** The latency pass: total = calls in the histogram, failed = the calls `slower` counts in it. */
export function latencyWindowCounts(
  counts: ApiCounts,
  slower: (histogram: readonly number[]) => number,
): WindowCounts {
  return {
    minutes: counts.minutes,
    total: histogramTotal(counts.latency),
    failed: slower(counts.latency),
    denied: 0,
    reversed: 0,
  };
}

const alertingCache = new WeakMap<ReadonlySet<ApiMetric>, Record<CorePass, ReadonlySet<Metric>>>();

/** The core metrics that alerted in an hour, per pass (cached per set: most hours share the empty one). */
export function coreAlerting(pass: CorePass, alerting: ReadonlySet<ApiMetric>): ReadonlySet<Metric> {
  let cached = alertingCache.get(alerting);
  if (!cached) {
    const calls = new Set<Metric>();
    const latency = new Set<Metric>();
    for (const metric of alerting) {
      const { pass: p, slot } = coreSlotOf(metric);
      (p === 'calls' ? calls : latency).add(slot);
    }
    cached = { calls, latency };
    alertingCache.set(alerting, cached);
  }
  return cached[pass];
}

const callsCache = new WeakMap<ApiHistoryHour, HistoryHour>();

/** An API history hour as the calls pass sees it (memoised per hour object: the same hours recur every hour). */
export function callsHistoryHour(hour: ApiHistoryHour): HistoryHour {
  let mapped = callsCache.get(hour);
  if (!mapped) {
    mapped = { ...position(hour), ...callWindowCounts(hour), alerting: coreAlerting('calls', hour.alerting) };
    callsCache.set(hour, mapped);
  }
  return mapped;
}

const latencyCache = new WeakMap<ApiHistoryHour, Map<number, HistoryHour>>();

/**
 * An API history hour as the latency pass sees it, slow calls counted against the bucket bound `boundMs`
 * (memoised per hour object and bound: an API's bound rarely changes from one hour to the next).
 */
export function latencyHistoryHour(hour: ApiHistoryHour, boundMs: number): HistoryHour {
  let byBound = latencyCache.get(hour);
  if (!byBound) {
    byBound = new Map();
    latencyCache.set(hour, byBound);
  }
  let mapped = byBound.get(boundMs);
  if (!mapped) {
    mapped = {
      ...position(hour),
      ...latencyWindowCounts(hour, (histogram) => callsSlowerThan(histogram, boundMs)),
      alerting: coreAlerting('latency', hour.alerting),
    };
    byBound.set(boundMs, mapped);
  }
  return mapped;
}

function position(hour: ApiHistoryHour) {
  return {
    hourStart: hour.hourStart,
    localHour: hour.localHour,
    weekday: hour.weekday,
    holiday: hour.holiday,
  };
}

/** The core's settings for a pass: the API cold-start ceilings moved onto their slots, only its slots judged. */
export function coreSettings(pass: CorePass, settings: ApiDetectionSettings): DetectionSettings {
  const ceilings: Record<string, number> = {};
  for (const [metric, ceiling] of Object.entries(settings.coldStartCeilings)) {
    if (!isApiMetric(metric)) continue;
    const { pass: p, slot } = coreSlotOf(metric);
    if (p === pass && slot !== 'traffic') ceilings[slot] = ceiling;
  }
  // Only the slots the pass uses are judged: the latency pass's traffic would be the histogram's calls.
  const metrics: Metric[] =
    pass === 'latency'
      ? ['failed']
      : ['failed', 'denied', ...(settings.judge4xx ? (['reversed'] as const) : []), 'traffic'];
  return { ...settings, coldStartCeilings: ceilings, metrics };
}

/** A core finding of a pass back as the API's: its API metric name and api (and latency facts). */
export function toApiFinding(
  finding: Finding,
  api: string,
  metric: ApiMetric,
  latency?: LatencyFacts,
): ApiFinding {
  const { metric: _slot, ...rest } = finding;
  return latency ? { ...rest, api, metric, latency } : { ...rest, api, metric };
}

/** What an evaluation of one API (an hour, a tick) says. */
export interface ApiEvaluation {
  /** At most one finding per API metric, in API_METRICS order. */
  readonly findings: ApiFinding[];
  /** API metrics that were judged and look normal (alerts on them may recover). */
  readonly normal: ApiMetric[];
}

/**
 * The calls pass's core verdicts back as the API's: metric names mapped, `client_errors` (the `reversed` slot)
 * dropped unless the source judges 4xx — the core judges every slot its models cover.
 */
export function callsPassBack(
  result: { readonly findings: readonly Finding[]; readonly normal: readonly Metric[] },
  api: string,
  judge4xx: boolean,
): ApiEvaluation {
  const keep = (m: ApiMetric | undefined): m is ApiMetric =>
    m !== undefined && (m !== 'client_errors' || judge4xx);
  return {
    findings: result.findings.flatMap((f) => {
      const metric = apiMetricOf('calls', f.metric);
      return keep(metric) ? [toApiFinding(f, api, metric)] : [];
    }),
    normal: result.normal.map((m) => apiMetricOf('calls', m)).filter(keep),
  };
}

/** The passes' verdicts together, findings and normal metrics in API_METRICS order. */
export function inApiOrder(...passes: readonly ApiEvaluation[]): ApiEvaluation {
  const order = (m: ApiMetric) => API_METRICS.indexOf(m);
  const findings = passes.flatMap((p) => p.findings).sort((a, b) => order(a.metric) - order(b.metric));
  const normal = passes.flatMap((p) => p.normal).sort((a, b) => order(a) - order(b));
  return { findings, normal };
}
