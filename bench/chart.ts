/**
 * `npm run bench:chart` — how long an alert chart takes to render and how much memory it costs (issue 12's
 * floors: < 300 ms and < 50 MB extra). See bench/README.md.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { chartShapes, type Shape } from './chart-shapes.js';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 8);
const SOAK = Number(process.env.BENCH_SOAK ?? 0);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const FLOORS = { milliseconds: 300, extraMiB: 50 } as const;
const MIB = 1024 * 1024;

const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:chart does)');

// Loaded after this first reading, so the one-time cost (ECharts, resvg, the font) shows apart.
const rssAtStart = process.memoryUsage.rss();
const { alertChartSvg, rasterise, renderAlertChart } = await import('../src/charts/render-alert-chart.js');
const shapes = chartShapes();
const [first] = shapes;
if (!first) throw new Error('no chart shapes');
const heaviest: Shape = first;
const firstStarted = performance.now();
await renderAlertChart(heaviest.input);
const firstMs = performance.now() - firstStarted;
const rssAfterFirst = process.memoryUsage.rss();

for (const shape of shapes) for (let i = 0; i < WARMUP; i++) await renderAlertChart(shape.input);
gc();
const before = process.memoryUsage();
let peakRss = before.rss;
let peakHeap = before.heapUsed;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 1);

const results: ShapeResult[] = [];
for (const shape of shapes) results.push(await measure(shape));
const steadyPeakRss = peakRss;
gc();
const after = process.memoryUsage();
const single = await measureSingle(heaviest);
const burst = await measureBurst(heaviest);
clearInterval(sampler);
const phases = measurePhases(heaviest);

report();
if (SOAK > 0) await soak();

interface ShapeResult {
  readonly name: string;
  readonly median: number;
  readonly p95: number;
  readonly bytes: number;
}

async function measure(shape: Shape): Promise<ShapeResult> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RENDERS; i++) {
    const started = performance.now();
    const png = await renderAlertChart(shape.input);
    times.push(performance.now() - started);
    bytes = png.length;
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    peakHeap = Math.max(peakHeap, memory.heapUsed);
  }
  return { name: shape.name, median: quantile(times, 0.5), p95: quantile(times, 0.95), bytes };
}

/**
 * One render at a time after a full GC: how much heap it fills and how far RSS rises (medians of 20). The heap
 * figure is the garbage one chart makes — a collection during the render makes it a little low.
 */
async function measureSingle(shape: Shape): Promise<{ heap: number; rss: number }> {
  const heap: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 20; i++) {
    gc?.();
    const before = process.memoryUsage();
    await renderAlertChart(shape.input);
    const after = process.memoryUsage();
    heap.push(after.heapUsed - before.heapUsed);
    rss.push(after.rss - before.rss);
  }
  return { heap: quantile(heap, 0.5), rss: quantile(rss, 0.5) };
}

/**
 * `BURST` renders of the heaviest shape started at once, as an endpoint might get them: ECharts runs one at a
 * time on the event loop, resvg up to four at a time on libuv's pool (each with its own 1280 × 720 pixmap).
 */
async function measureBurst(shape: Shape): Promise<{ ms: number; extraRss: number }> {
  gc?.();
  const base = process.memoryUsage.rss();
  peakRss = base;
  const started = performance.now();
  await Promise.all(Array.from({ length: BURST }, () => renderAlertChart(shape.input)));
  const ms = performance.now() - started;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return { ms, extraRss: peakRss - base };
}

/**
 * `SOAK` renders of the example at a different moment each time (new labels, new data): heap and RSS after a
 * GC every sixth of the way. A leak grows steadily; caches filling level off.
 */
async function soak(): Promise<void> {
  const { exampleChartInput } = await import('../src/charts/example-chart.js');
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 100)); // zrender's stopped animation timers fire first
    gc?.();
  };
  await settle();
  const start = process.memoryUsage();
  const every = Math.max(1, Math.round(SOAK / 6));
  console.log(`\nsoak: ${SOAK} renders of the example, each at another moment`);
  for (let i = 1; i <= SOAK; i++) {
    await renderAlertChart(exampleChartInput(heaviest.input.to + i * 7 * 60_000));
    if (i % every !== 0 && i !== SOAK) continue;
    await settle();
    const now = process.memoryUsage();
    console.log(
      `  after ${String(i).padStart(6)}: heap ${signed(now.heapUsed - start.heapUsed)} MiB, RSS ${signed(now.rss - start.rss)} MiB`,
    );
  }
}

/** The synchronous halves of one render, and resvg alone on an empty chart-sized SVG as the baseline. */
function measurePhases(shape: Shape) {
  const svgTimes: number[] = [];
  const pngTimes: number[] = [];
  const blankTimes: number[] = [];
  const blank =
    '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360"><text x="10" y="20">.</text></svg>';
  for (let i = 0; i < RENDERS; i++) {
    let started = performance.now();
    const svg = alertChartSvg(shape.input);
    svgTimes.push(performance.now() - started);
    started = performance.now();
    rasterise(svg).asPng();
    pngTimes.push(performance.now() - started);
    started = performance.now();
    rasterise(blank).asPng();
    blankTimes.push(performance.now() - started);
  }
  return { svg: quantile(svgTimes, 0.5), png: quantile(pngTimes, 0.5), blank: quantile(blankTimes, 0.5) };
}

function report(): void {
  console.log(
    `alert chart renders: ${RENDERS} per shape after ${WARMUP} warm-up renders each (1280 × 720 PNG)`,
  );
  // Other work on the machine slows every figure below: the load average says how busy it was.
  console.log(
    `load average at the end (1, 5, 15 min): ${loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')}\n`,
  );
  console.log(
    `${'shape'.padEnd(30)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(7)} ${'PNG KiB'.padStart(8)}`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(30)} ${r.median.toFixed(1).padStart(9)} ${r.p95.toFixed(1).padStart(7)} ${(r.bytes / 1024).toFixed(0).padStart(8)}`,
    );
  }
  const total = phases.svg + phases.png;
  console.log(
    `\nphases of "${heaviest.name}" (synchronous, medians): ECharts option + SVG ${phases.svg.toFixed(1)} ms · ` +
      `resvg to PNG ${phases.png.toFixed(1)} ms · baseline: resvg on an empty 640 × 360 SVG ${phases.blank.toFixed(1)} ms ` +
      `(the render is ${(total / phases.blank).toFixed(1)}x the baseline)`,
  );
  console.log(
    `first render in this process ${firstMs.toFixed(0)} ms; loading ECharts, resvg and the font + that render: ` +
      `RSS +${mib(rssAfterFirst - rssAtStart)} MiB (once per process)`,
  );
  const extraRss = steadyPeakRss - before.rss;
  console.log(
    `memory after warm-up and gc: RSS ${mib(before.rss)} MiB, heap ${mib(before.heapUsed)} MiB; while rendering ` +
      `${RENDERS * shapes.length} charts: peak RSS +${mib(extraRss)} MiB, peak heap +${mib(peakHeap - before.heapUsed)} MiB; ` +
      `after them and gc: RSS ${signed(after.rss - before.rss)} MiB, heap ${signed(after.heapUsed - before.heapUsed)} MiB`,
  );
  console.log(
    `one render of "${heaviest.name}" after a gc (medians of 20): heap +${mib(single.heap)} MiB, RSS ${signed(single.rss)} MiB`,
  );
  console.log(
    `a burst of ${BURST} renders of "${heaviest.name}" at once: all done in ${burst.ms.toFixed(0)} ms, ` +
      `peak RSS +${mib(burst.extraRss)} MiB\n`,
  );
  const slowest = Math.max(...results.map((r) => r.p95));
  const timeOk = slowest < FLOORS.milliseconds;
  const memoryOk = extraRss / MIB < FLOORS.extraMiB;
  console.log(
    `${timeOk ? 'PASS' : 'FAIL'}  render time: slowest p95 ${slowest.toFixed(0)} ms (floor < ${FLOORS.milliseconds} ms)`,
  );
  console.log(
    `${memoryOk ? 'PASS' : 'FAIL'}  memory: peak extra RSS ${mib(extraRss)} MiB (floor < ${FLOORS.extraMiB} MiB)`,
  );
  process.exitCode = timeOk && memoryOk ? 0 : 1;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function mib(bytes: number): string {
  return (bytes / MIB).toFixed(1);
}

function signed(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;
}
