import type { AlertChartInput, ExpectedPoint, ObservedPoint } from '../src/charts/alert-chart-input.js';
import { EXAMPLE_NOW, exampleChartInput } from '../src/charts/example-chart.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** A chart the benchmark renders, with what makes it heavy or odd. */
export interface Shape {
  readonly name: string;
  readonly input: AlertChartInput;
}

/**
 * The shapes of issue 12's floor and a few others: 1,440 two-minute points with a band over 48 hours (the
 * heaviest a caller should send), the README example (hourly + 10-minute), a traffic drop in millions, a cold
 * start with gaps, and no data at all.
 */
export function chartShapes(now = EXAMPLE_NOW): Shape[] {
  const from = now - 48 * HOUR_MS;
  const example = exampleChartInput(now);
  return [
    { name: '1,440 points + band', input: densePoints(now, 1_440) },
    { name: 'README example (67 points)', input: example },
    {
      name: 'traffic drop, 1.3M/h',
      input: {
        ...example,
        title: 'acquirer-gw (production) · traffic',
        valueAxis: { kind: 'count', unit: 'transactions per hour' },
        observed: example.observed.map((p) => ({
          ...p,
          value: p.start >= now - HOUR_MS ? 90_000 : volume(p.start),
        })),
        expected: example.expected.map((p) => band(p.start, p.minutes, volume(p.start), 0.15)),
        alertWindow: { start: now - HOUR_MS, end: now },
      },
    },
    {
      name: 'cold start with gaps',
      input: {
        ...example,
        observed: example.observed.filter((_, i) => i % 7 !== 3),
        expected: example.expected.map((p, i) =>
          i < 40 ? { ...p, expected: null, low: null, high: null } : p,
        ),
      },
    },
    {
      name: 'no data',
      input: { ...example, observed: [], expected: [], alertWindow: undefined, from, to: now },
    },
  ];
}

/** `count` evenly spaced buckets over the last 48 hours: a diurnal rate, its band, an incident in the last hour. */
function densePoints(now: number, count: number): AlertChartInput {
  const from = now - 48 * HOUR_MS;
  const minutes = (48 * 60) / count;
  const observed: ObservedPoint[] = [];
  const expected: ExpectedPoint[] = [];
  for (let i = 0; i < count; i++) {
    const start = from + i * minutes * MINUTE_MS;
    const normal = 0.008 + 0.003 * Math.sin((2 * Math.PI * (start - from)) / (24 * HOUR_MS));
    const wobble = 0.0015 * Math.sin(i * 12.9898) * Math.cos(i * 78.233);
    observed.push({ start, minutes, value: start >= now - HOUR_MS ? 0.04 + wobble : normal + wobble });
    expected.push(band(start, minutes, normal, 0.35));
  }
  return { ...exampleChartInput(now), observed, expected, alertWindow: { start: now - HOUR_MS, end: now } };
}

function band(start: number, minutes: number, value: number, spread: number): ExpectedPoint {
  return { start, minutes, expected: value, low: value * (1 - spread), high: value * (1 + spread) };
}

function volume(at: number): number {
  return 1_300_000 + 400_000 * Math.sin((2 * Math.PI * at) / (24 * HOUR_MS));
}
