/**
 * `npm run bench:chart-data` — how long the data of one alert chart takes to compute, MySQL aside: the observed
 * points and, for every bucket, the live models and the band's bisection (`chartPoints`), over 4 weeks of
 * hourly history of a diurnal source with a trained tree, 48 hours shown, the last 12 in 10-minute blocks (the
 * most a chart computes). Prints the median and p95 over BENCH_RUNS runs, for a rate and for traffic.
 */
import { performance } from 'node:perf_hooks';
import { chartPoints, type FineBlock } from '../src/alert-chart/chart-points.js';
import { createCalendar } from '../src/detection/calendar.js';
import { loadTree, trainTree } from '../src/detection/decision-tree.js';
import { historyHour } from '../src/detection/history.js';
import { DEFAULT_DETECTION } from '../src/detection/settings.js';
import type { HistoryHour, Metric } from '../src/detection/types.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const HOUR_MS = 3_600_000;
const to = Date.UTC(2026, 10, 21, 18, 40);
const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
const fineFrom = lastHour - 12 * HOUR_MS;
const hoursFrom = Math.floor((to - 48 * HOUR_MS) / HOUR_MS) * HOUR_MS;
const calendar = createCalendar('Europe/Berlin');

/** 30 days of a source with ≈ 300–5,000 transactions an hour and ≈ 0.8 % failed (seeded, deterministic). */
function history(): HistoryHour[] {
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const hours: HistoryHour[] = [];
  for (let hour = lastHour - 30 * 24 * HOUR_MS; hour < lastHour; hour += HOUR_MS) {
    const local = calendar.position(hour).localHour;
    const total = Math.round((300 + 4700 * Math.exp(-(((local - 19) / 4) ** 2))) * (0.9 + 0.2 * random()));
    const failed = Math.round(total * 0.008 * (0.8 + 0.4 * random()));
    hours.push(historyHour(hour, { minutes: 60, total, failed, denied: 0, reversed: 0 }, calendar));
  }
  return hours;
}

const hours = history();
const blocks: FineBlock[] = [];
for (let start = fineFrom; start + 600_000 <= to; start += 600_000) {
  const hour = hours.find((h) => h.hourStart === Math.floor(start / HOUR_MS) * HOUR_MS) ?? hours.at(-1);
  const total = Math.round((hour?.total ?? 600) / 6);
  blocks.push({
    start,
    counts: { minutes: 10, total, failed: Math.round(total * 0.03), denied: 0, reversed: 0 },
  });
}

for (const metric of ['failed', 'traffic'] as Metric[]) {
  const model = trainTree(metric, hours, Math.floor(lastHour / 86_400_000) * 86_400_000, DEFAULT_DETECTION);
  const tree = model && loadTree(model);
  const times: number[] = [];
  let points = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = chartPoints({
      metric,
      history: hours,
      hoursFrom,
      fineFrom,
      blocks,
      treeAt: () => tree,
      settings: DEFAULT_DETECTION,
      positionOf: (hour) => calendar.position(hour),
    });
    times.push(performance.now() - started);
    points = result.expected.filter((e) => e.high !== null).length;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(1);
  process.stdout.write(
    `${metric.padEnd(8)} ${points} buckets with a band: median ${at(0.5)} ms, p95 ${at(0.95)} ms over ${RUNS} runs\n`,
  );
}
