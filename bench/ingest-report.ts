import type { LoadResult, LoadShape } from './ingest-load.js';

export type Target = 'ratewatch' | 'baseline';

/** One measured run: one target, one phase, one round. */
export interface Run {
  readonly round: number;
  readonly shape: LoadShape;
  readonly target: Target;
  readonly result: LoadResult;
  /** CPU of the server's process (ratewatch or the baseline) per 1,000 records stored. */
  readonly appCpuMsPer1k: number;
  /** CPU of the local database server per 1,000 records stored; NaN when it is not local. */
  readonly dbCpuMsPer1k: number;
}

interface Figures {
  readonly recordsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly appCpuMsPer1k: number;
  readonly dbCpuMsPer1k: number;
}

type Figure = keyof Figures;

/**
 * The floors, per phase: ratewatch's figure at least `min` times the baseline's (`ratio`), or at least `min`
 * itself (`absolute`: raw call logs, ≥ 50,000 calls/s into per-minute rows).
 */
export const FLOORS: readonly {
  shape: LoadShape;
  figure: Figure;
  label: string;
  min: number;
  kind: 'ratio' | 'absolute';
}[] = [
  { shape: 'single', figure: 'requestsPerSecond', label: 'requests/s', min: 0.5, kind: 'ratio' },
  { shape: 'batch', figure: 'recordsPerSecond', label: 'records/s', min: 0.7, kind: 'ratio' },
  { shape: 'api-batch', figure: 'recordsPerSecond', label: 'summaries/s', min: 0.7, kind: 'ratio' },
  { shape: 'log-json', figure: 'recordsPerSecond', label: 'calls/s', min: 50_000, kind: 'absolute' },
  { shape: 'log-ndjson', figure: 'recordsPerSecond', label: 'calls/s', min: 50_000, kind: 'absolute' },
];

/** Width of the phase column: `1  log NDJSON ×10000` fits. */
const PHASE_WIDTH = 24;

/** A phase's name in the output, e.g. `batch of 1000`. */
export type PhaseNames = Readonly<Record<LoadShape, string>>;

const COLUMNS: readonly { figure: Figure; title: string; digits: number }[] = [
  { figure: 'recordsPerSecond', title: 'records/s', digits: 0 },
  { figure: 'requestsPerSecond', title: 'requests/s', digits: 0 },
  { figure: 'p50Ms', title: 'p50 ms', digits: 1 },
  { figure: 'p99Ms', title: 'p99 ms', digits: 1 },
  { figure: 'appCpuMsPer1k', title: 'app CPU*', digits: 0 },
  { figure: 'dbCpuMsPer1k', title: 'db CPU*', digits: 0 },
];

export function printRunHeader(): void {
  console.log(
    [
      pad('round phase', PHASE_WIDTH),
      pad('target', 10),
      ...COLUMNS.map((c) => lpad(c.title, 10)),
      lpad('errors', 7),
    ].join(' '),
  );
}

export function printRun(run: Run, names: PhaseNames): void {
  const row = formatRow(`${run.round}  ${names[run.shape]}`, run.target, figuresOf(run));
  console.log(`${row} ${lpad(String(run.result.errors), 7)}`);
  if (run.result.firstError) console.log(`      first error: ${run.result.firstError}`);
}

/** Prints the medians and the verdict of every floor; returns whether all floors hold and nothing failed. */
export function printReport(runs: readonly Run[], rounds: number, names: PhaseNames): boolean {
  console.log(`\nmedians over ${rounds} round${rounds === 1 ? '' : 's'}`);
  console.log(
    [pad('phase', PHASE_WIDTH), pad('target', 10), ...COLUMNS.map((c) => lpad(c.title, 10))].join(' '),
  );
  const shapes = [...new Set(runs.map((r) => r.shape))];
  for (const shape of shapes) {
    const medians = (target: Target) =>
      medianFigures(runs.filter((r) => r.shape === shape && r.target === target));
    const rw = medians('ratewatch');
    const bl = medians('baseline');
    console.log(formatRow(names[shape], 'ratewatch', rw));
    console.log(formatRow(names[shape], 'baseline', bl));
    const ratios = COLUMNS.map((c) =>
      lpad(bl[c.figure] > 0 ? `${(rw[c.figure] / bl[c.figure]).toFixed(2)}x` : '-', 10),
    );
    console.log([pad(names[shape], PHASE_WIDTH), pad('ratio', 10), ...ratios].join(' '));
  }
  console.log(
    '* CPU milliseconds per 1,000 records: app = the server process, db = the local database server',
  );

  let ok = true;
  console.log('');
  for (const floor of FLOORS.filter((f) => shapes.includes(f.shape))) {
    // Each round's ratewatch run is paired with the baseline run beside it in time; the median of those ratios
    // is steadier on a shared machine than the ratio of the medians above.
    const paired: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const of = (target: Target) =>
        figuresOf(
          runs.find((r) => r.round === round && r.shape === floor.shape && r.target === target) as Run,
        );
      const ours = of('ratewatch')[floor.figure];
      paired.push(floor.kind === 'ratio' ? ours / of('baseline')[floor.figure] : ours);
    }
    const value = median(paired);
    const pass = value >= floor.min;
    ok &&= pass;
    const show = floor.kind === 'ratio' ? percent : (v: number) => Math.round(v).toLocaleString('en-US');
    const what = floor.kind === 'ratio' ? `of the baseline's ` : '';
    console.log(
      `${pass ? 'PASS' : 'FAIL'}  ${names[floor.shape]}: ratewatch ${floor.label} = ${show(value)} ${what}` +
        `(floor ${show(floor.min)}; per round ${paired.map(show).join(', ')})`,
    );
  }
  const errors = runs.reduce((sum, r) => sum + r.result.errors, 0);
  if (errors > 0) {
    ok = false;
    console.log(
      `FAIL  ${errors} requests were not answered 202 (the first error of each run is printed above)`,
    );
  }
  return ok;
}

function figuresOf(run: Run): Figures {
  const { result } = run;
  return {
    recordsPerSecond: result.records / result.seconds,
    requestsPerSecond: result.requests / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    appCpuMsPer1k: run.appCpuMsPer1k,
    dbCpuMsPer1k: run.dbCpuMsPer1k,
  };
}

function medianFigures(runs: readonly Run[]): Figures {
  const all = runs.map(figuresOf);
  const of = (figure: Figure) => median(all.map((f) => f[figure]));
  return {
    recordsPerSecond: of('recordsPerSecond'),
    requestsPerSecond: of('requestsPerSecond'),
    p50Ms: of('p50Ms'),
    p99Ms: of('p99Ms'),
    appCpuMsPer1k: of('appCpuMsPer1k'),
    dbCpuMsPer1k: of('dbCpuMsPer1k'),
  };
}

function formatRow(phase: string, target: string, f: Figures): string {
  const cells = COLUMNS.map((c) =>
    lpad(Number.isFinite(f[c.figure]) ? f[c.figure].toFixed(c.digits) : '-', 10),
  );
  return [pad(phase, PHASE_WIDTH), pad(target, 10), ...cells].join(' ');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
