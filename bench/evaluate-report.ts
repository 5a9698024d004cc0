import type { ProfileSummary } from './cpu-profile-summary.js';
import type { BaselineFigures } from './evaluate-baseline.js';
import type { RunFigures } from './evaluate-run.js';
import { median } from './ingest-report.js';

/** One round: the baseline reads and the full run, measured side by side. */
export interface Round {
  readonly round: number;
  readonly baseline: BaselineFigures;
  readonly run: RunFigures;
}

/** The floors of one hourly run at 10,000 sources: 5 minutes, 500 MB per worker. */
export const FLOORS = { wallSeconds: 300, peakMiB: 500 } as const;

const COLUMNS = [
  ['round', 5],
  ['run s', 7],
  ['sources/s', 9],
  ['findings', 8],
  ['alerts', 6],
  ['peak MiB', 13],
  ['worker CPU s', 13],
  ['db CPU s', 8],
  ['stream s', 8],
  ['per-batch s', 11],
  ['job reads s', 11],
  ['run/stream', 10],
  ['run/reads', 9],
] as const;

export function printRoundHeader(): void {
  console.log(COLUMNS.map(([title, width]) => title.padStart(width)).join(' '));
}

export function printRound(round: Round): void {
  const { run, baseline } = round;
  const cells = [
    String(round.round),
    run.wallSeconds.toFixed(1),
    (run.series / run.wallSeconds).toFixed(0),
    String(run.findings),
    String(run.alertsRaised),
    run.workers.map((w) => w.peakMiB.toFixed(0)).join(' / '),
    run.workers.map((w) => w.cpuSeconds.toFixed(0)).join(' / '),
    Number.isFinite(run.dbCpuSeconds) ? run.dbCpuSeconds.toFixed(0) : '-',
    baseline.stream.seconds.toFixed(1),
    baseline.batchHistory.seconds.toFixed(1),
    baseline.batchAll.seconds.toFixed(1),
    `${(run.wallSeconds / baseline.stream.seconds).toFixed(1)}x`,
    `${(run.wallSeconds / baseline.batchAll.seconds).toFixed(1)}x`,
  ];
  console.log(cells.map((cell, i) => cell.padStart((COLUMNS[i] as readonly [string, number])[1])).join(' '));
}

export function printPhases(round: Round): void {
  const p = round.run.phases;
  const slots = `${p.batchCount} batches: median ${p.batchMedian.toFixed(1)} s, slowest ${p.batchMax.toFixed(1)} s, ${p.batchSum.toFixed(0)} batch-seconds in all`;
  console.log(
    `round ${round.round} phases: pickup ${p.pickup.toFixed(1)} s · fan-out (run row, rollup flush, series, flow) ` +
      `${p.fanOut.toFixed(1)} s · batches ${p.batches.toFixed(1)} s (${slots}) · finish ${p.finish.toFixed(1)} s`,
  );
  const rss = round.run.workers.map((w) => `${w.startMiB.toFixed(0)} → ${w.peakMiB.toFixed(0)}`).join(', ');
  console.log(`  worker RSS at the start of the run → peak: ${rss} MiB`);
  if (round.run.treesTrained > 0) console.log(`  the run trained ${round.run.treesTrained} trees itself`);
  if (round.run.failedAttempts > 0)
    console.log(`  ${round.run.failedAttempts} job attempts failed and were retried`);
}

export function printProfile(label: string, summary: ProfileSummary): void {
  const share = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1)}%`.padStart(6);
  console.log(`\nCPU profile of ${label}: ${(summary.busyMs / 1000).toFixed(1)} s busy (idle excluded)`);
  for (const area of summary.areas.slice(0, 12))
    console.log(`  ${share(area.ms)}  ${(area.ms / 1000).toFixed(1).padStart(6)} s  ${area.name}`);
  console.log('  top functions (self time):');
  for (const fn of summary.functions)
    console.log(`  ${share(fn.ms)}  ${(fn.ms / 1000).toFixed(1).padStart(6)} s  ${fn.name}`);
}

/** Prints the verdict of each floor; returns whether both hold. */
export function printVerdict(rounds: readonly Round[]): boolean {
  const walls = rounds.map((r) => r.run.wallSeconds);
  const peaks = rounds.flatMap((r) => r.run.workers.map((w) => w.peakMiB));
  const slowest = Math.max(...walls);
  const highest = Math.max(...peaks);
  const timeOk = slowest <= FLOORS.wallSeconds;
  const memoryOk = highest < FLOORS.peakMiB;
  console.log(
    `\n${timeOk ? 'PASS' : 'FAIL'}  full run: slowest round ${slowest.toFixed(1)} s (floor ${FLOORS.wallSeconds} s; ` +
      `per round ${walls.map((w) => w.toFixed(1)).join(', ')}; median ${median(walls).toFixed(1)} s)`,
  );
  console.log(
    `${memoryOk ? 'PASS' : 'FAIL'}  memory: highest peak RSS of a worker ${highest.toFixed(0)} MiB ` +
      `(floor < ${FLOORS.peakMiB} MiB; every worker of every round: ${peaks.map((p) => p.toFixed(0)).join(', ')})`,
  );
  return timeOk && memoryOk;
}
