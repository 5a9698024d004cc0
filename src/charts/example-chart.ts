import type { AlertChartInput, ExpectedPoint, ObservedPoint } from './alert-chart-input.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The example's moment: Saturday 21 November 2026, 19:41 in Berlin (18:41 UTC). */
export const EXAMPLE_NOW = Date.UTC(2026, 10, 21, 18, 41);

/**
 * A realistic failed-rate incident for the README and the benchmark: `card-eu`, a diurnal source in Berlin
 * (≈ 300 transactions an hour at night, ≈ 5,000 at 8 p.m.) whose failed rate, normally about 0.8 %, jumps
 * to about 3.8 % at 18:40 local time. Hourly points for 48 hours, 10-minute blocks from 3 hours before the current hour on,
 * the expected rate and a ±3σ band (binomial noise and day-to-day wander) for each. Seeded: always the same.
 */
export function exampleChartInput(now = EXAMPLE_NOW): AlertChartInput {
  const random = seeded(7);
  const incidentStart = Math.floor(now / (10 * MINUTE_MS)) * 10 * MINUTE_MS - HOUR_MS;
  const fineFrom = Math.floor(now / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
  const lastBlockEnd = Math.floor(now / (10 * MINUTE_MS)) * 10 * MINUTE_MS;
  const buckets = [...range(now - 48 * HOUR_MS, fineFrom, 60), ...range(fineFrom, lastBlockEnd, 10)];
  const observed: ObservedPoint[] = [];
  const expected: ExpectedPoint[] = [];
  for (const { start, minutes } of buckets) {
    const volume = hourlyVolume(start) * (minutes / 60);
    const normal = normalRate(start);
    const rate = start >= incidentStart ? 0.038 : normal;
    const sigma = Math.sqrt((normal * (1 - normal)) / volume + (0.12 * normal) ** 2);
    observed.push({
      start,
      minutes,
      value: Math.max(0, rate + gaussian(random) * Math.sqrt((rate * (1 - rate)) / volume)),
    });
    expected.push({
      start,
      minutes,
      expected: normal,
      low: Math.max(0, normal - 3 * sigma),
      high: normal + 3 * sigma,
    });
  }
  return {
    title: 'card-eu (production) · failed rate',
    severity: 'critical',
    valueAxis: { kind: 'rate' },
    timeZone: 'Europe/Berlin',
    from: now - 48 * HOUR_MS,
    to: now,
    observed,
    expected,
    alertWindow: { start: incidentStart, end: lastBlockEnd },
  };
}

/** Buckets of `minutes` covering [from, to), aligned to their length in UTC. */
function range(from: number, to: number, minutes: number): { start: number; minutes: number }[] {
  const size = minutes * MINUTE_MS;
  const buckets: { start: number; minutes: number }[] = [];
  for (let start = Math.floor(from / size) * size; start + size <= to; start += size)
    buckets.push({ start, minutes });
  return buckets;
}

/** Transactions per hour by Berlin hour (UTC+1 in November): ≈ 300 at night, a lunch peak and an evening peak. */
function hourlyVolume(at: number): number {
  const localHour = ((at + HOUR_MS) / HOUR_MS) % 24;
  const peak = (hour: number, width: number) => Math.exp(-(((localHour - hour) / width) ** 2));
  return 300 + 3_500 * peak(13, 3.5) + 5_000 * peak(20, 2.5);
}

/** Slightly more failures at night, when the traffic is mostly retries and small merchants. */
function normalRate(at: number): number {
  const localHour = ((at + HOUR_MS) / HOUR_MS) % 24;
  return 0.008 + 0.003 * Math.cos(((localHour - 3) / 24) * 2 * Math.PI);
}

/** mulberry32: a tiny seeded generator, so the example is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A standard normal draw (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
