/**
 * What inferring a source's daylight-saving clock costs an hourly run (`clockOf`, src/detection/daylight-saving.ts):
 * milliseconds per series, with no zone switching in the training window (most of the year for most cut-offs),
 * one, and two (April: the EU's and Sydney's), next to placing the same 28 days of history in a calendar, which
 * every run does anyway. No database: `npx tsx bench/clock-inference.ts`.
 */
import { TZDate } from '@date-fns/tz';
import { createCalendar } from '../src/detection/calendar.js';
import { inferDaylightSavingZone, type TrafficHour } from '../src/detection/daylight-saving.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const SERIES = 2_000;

type Hour = TrafficHour & { readonly total: number };

function traffic(zone: string, cutoff: number): Hour[] {
  const hours: Hour[] = [];
  let seed = 7;
  for (let at = cutoff - 35 * DAY_MS; at < cutoff; at += HOUR_MS) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const local = new TZDate(at, zone).getHours();
    const shape = 0.1 + Math.max(0, Math.sin(((local - 6) / 16) * Math.PI));
    hours.push({ hourStart: at, total: Math.round(1_000 * shape * (0.95 + 0.1 * (seed / 2_147_483_648))) });
  }
  return hours;
}

function perSeries(run: () => unknown): number {
  run();
  const started = performance.now();
  for (let i = 0; i < SERIES; i++) run();
  return (performance.now() - started) / SERIES;
}

const cases: [string, number][] = [
  ['no switch in reach (2026-02-10)', Date.parse('2026-02-10T00:00:00Z')],
  ['one switch in reach (2026-03-12: the US)', Date.parse('2026-03-12T00:00:00Z')],
  ['two switches in reach (2026-04-08: the EU, Sydney)', Date.parse('2026-04-08T00:00:00Z')],
];
const calendar = createCalendar('Europe/Berlin');
for (const [name, cutoff] of cases) {
  const hours = traffic('Europe/Berlin', cutoff);
  const inferring = perSeries(() => inferDaylightSavingZone(hours, (hour) => hour.total, cutoff, 28));
  const placing = perSeries(() => hours.map((hour) => calendar.position(hour.hourStart)));
  console.log(
    `${name}: ${inferring.toFixed(3)} ms per series (${((inferring * 10_000) / 1000).toFixed(1)} s per 10,000), ` +
      `${(inferring / placing).toFixed(1)}× placing its history in a calendar`,
  );
}
