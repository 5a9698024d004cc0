import type { ApiFinding, LatencyFacts, LatencyPoint } from '../detection/api-finding.js';
import { count, percent, rateText } from './number-text.js';

/** How each API rate metric is said: in a headline, and as the calls it counts. */
const WORDS: Record<Exclude<ApiFinding['metric'], 'traffic'>, { short: string; calls: string }> = {
  errors: { short: '5xx+timeouts', calls: 'failed calls (5xx or timeout)' },
  silent_failures: { short: 'silent failures', calls: 'silent failures (2xx with an invalid payload)' },
  client_errors: { short: '4xx', calls: '4xx answers' },
  latency: { short: 'slow calls', calls: 'slow calls' },
};

/**
 * A latency as people say it: `310 ms`, `2.4 s`, `12 s`; `> 10 s` for the histogram's open last bucket.
 * Interpolated within its bucket, as the read endpoint's percentiles are.
 */
export function latencyText(point: LatencyPoint | number): string {
  const { ms, above } = typeof point === 'number' ? { ms: point, above: false } : point;
  if (above) return `> ${latencyText(ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/**
 * The headline of an API finding, after `POST /v1/payments on checkout-api (production): `:
 * `5xx+timeouts 8.1 % (normal 0.3 %)`, `p99 2.4 s (normal 310 ms), slow calls 12.0 % (normal 1.0 %)`,
 * `silent failures 2.0 % (normal 0.1 %)`, `traffic down 92 % (120 calls vs normal ≈ 1,500)`. A finding that
 * carries latency facts says its p99 too.
 */
export function apiFindingHeadline(f: ApiFinding): string {
  if (f.metric === 'traffic')
    return `traffic ${trafficChange(f, ' ')} (${count(f.counts.observed)} calls vs normal ≈ ${count(f.counts.expected)})`;
  const share = `${WORDS[f.metric].short} ${rateText(f.observedRate)} (normal ${rateText(f.expectedRate)})`;
  const p99 = f.latency ? p99Text(f.latency) : undefined;
  if (f.metric === 'latency') return p99 ? `${p99}, ${share}` : share;
  return p99 ? `${share}, ${p99}` : share;
}

/**
 * What happened, in calls: `≈ 1,086 more failed calls (5xx or timeout) than normal: 1,530 of 49,355 calls
 * (≈ 444 expected)`; latency names its bound and adds p50/p95/p99 observed and normal; traffic `≈ 1,380 fewer
 * calls than normal: 120 (≈ 1,500 expected)`.
 */
export function apiFindingStory(f: ApiFinding): string {
  const { observed, expected, excess, total } = f.counts;
  if (f.metric === 'traffic')
    return `≈ ${count(Math.abs(excess))} ${excess < 0 ? 'fewer' : 'more'} calls than normal: ${count(observed)} (≈ ${count(expected)} expected)`;
  const what =
    f.metric === 'latency' && f.latency
      ? `calls slower than ${latencyText(f.latency.boundMs)}`
      : WORDS[f.metric].calls;
  const story = `≈ ${count(excess)} more ${what} than normal: ${count(observed)} of ${count(total)} calls (≈ ${count(expected)} expected)`;
  const percentiles = f.latency ? percentilesText(f.latency) : undefined;
  return percentiles ? `${story}; ${percentiles}` : story;
}

/** The alert's stored title: `5xx+timeouts 8.1% (expected 0.3%)`, `p99 2.4 s (expected 310 ms)`, `traffic down 92% (…)`. */
export function apiFindingTitle(f: ApiFinding): string {
  if (f.metric === 'traffic')
    return `traffic ${trafficChange(f, '')} (${count(f.counts.observed)} calls vs ≈${count(f.counts.expected)} expected)`;
  const observed = f.latency?.observed?.p99;
  if (f.metric === 'latency' && observed) {
    const normal = f.latency?.normal?.p99;
    const against = normal ? `expected ${latencyText(normal)}` : `SLO ${latencyText(f.latency?.sloMs ?? 0)}`;
    return `p99 ${latencyText(observed)} (${against})`;
  }
  return `${WORDS[f.metric].short} ${percent(f.observedRate, 1)} (expected ${percent(f.expectedRate, 1)})`;
}

/** The alert's stored summary: `≈ 1,086 more failed calls (5xx or timeout) than expected (1,530 of 49,355 calls)`. */
export function apiFindingExcess(f: ApiFinding): string {
  const { observed, excess, total } = f.counts;
  if (f.metric === 'traffic')
    return `≈ ${count(Math.abs(excess))} ${excess < 0 ? 'fewer' : 'more'} calls than expected`;
  const what =
    f.metric === 'latency' && f.latency
      ? `calls slower than ${latencyText(f.latency.boundMs)}`
      : WORDS[f.metric].calls;
  return `≈ ${count(excess)} more ${what} than expected (${count(observed)} of ${count(total)} calls)`;
}

/** `p99 2.4 s (normal 310 ms)`, `p99 2.4 s (SLO 1.0 s)` in cold start; undefined without an observed p99. */
function p99Text(facts: LatencyFacts): string | undefined {
  const observed = facts.observed?.p99;
  if (!observed) return undefined;
  if (facts.normal) return `p99 ${latencyText(observed)} (normal ${latencyText(facts.normal.p99)})`;
  return facts.sloMs === undefined
    ? `p99 ${latencyText(observed)}`
    : `p99 ${latencyText(observed)} (SLO ${latencyText(facts.sloMs)})`;
}

/** `p50 610 ms (normal 200 ms) · p95 1.2 s (normal 280 ms) · p99 2.4 s (normal 310 ms)`. */
function percentilesText(facts: LatencyFacts): string | undefined {
  const { observed, normal } = facts;
  if (!observed) return undefined;
  return (['p50', 'p95', 'p99'] as const)
    .map((p) => `${p} ${latencyText(observed[p])}${normal ? ` (normal ${latencyText(normal[p])})` : ''}`)
    .join(' · ');
}

function trafficChange(f: ApiFinding, space: string): string {
  const change = f.observedRate / Math.max(f.expectedRate, 1e-9) - 1;
  return `${f.direction === 'down' ? 'down' : 'up'} ${Math.round(Math.abs(change) * 100)}${space}%`;
}
