import type { AlertScore, DetectionScore, Score } from './score-findings.js';

/** One scored run: a seed (or a findings file) and each detector's score on it. */
export interface ScoredRun {
  readonly label: string;
  readonly seriesCount: number;
  readonly days: number;
  readonly detectors: Readonly<Record<string, Score<string>>>;
}

const COLUMNS = [
  ['incidents', 9],
  ['caught', 6],
  ['recall', 6],
  ['ttd_p50', 7],
  ['ttd_p90', 7],
  ['episodes', 8],
  ['false', 6],
  ['false/src-wk', 12],
  ['precision', 9],
  ['f1', 5],
] as const;

/** A plain-text table of one run: per detector, overall, per metric and per incident kind. */
export function formatRun(run: ScoredRun): string {
  const [first] = Object.values(run.detectors);
  const head =
    `${run.label}: ${formatNumber(run.seriesCount)} series × ${formatNumber(run.days)} days = ` +
    `${formatNumber(first?.sourceWeeks ?? 0)} source-weeks, ${formatNumber(first?.overall.incidents ?? 0)} incidents\n`;
  const header = `${'detector'.padEnd(10)} ${'group'.padEnd(24)} ${COLUMNS.map(([n, w]) => n.padStart(w)).join(' ')}`;
  const lines = Object.entries(run.detectors).flatMap(([name, score]) => detectorLines(name, score));
  return `${head}${header}\n${lines.join('\n')}\n`;
}

function detectorLines(name: string, score: Score<string>): string[] {
  const line = (group: string, s: DetectionScore) => `${name.padEnd(10)} ${group.padEnd(24)} ${cells(s)}`;
  return [
    line('all', score.overall),
    ...Object.entries(score.byMetric).map(([metric, s]) => line(`metric ${metric}`, s)),
    ...Object.entries(score.byKind).map(([kind, s]) => line(`kind ${kind}`, s)),
  ];
}

function cells(s: DetectionScore): string {
  const a = 'episodes' in s ? (s as AlertScore) : undefined;
  const values = [
    formatNumber(s.incidents),
    formatNumber(s.caught),
    formatRatio(s.recall),
    formatNumber(s.ttdMedianMinutes),
    formatNumber(s.ttdP90Minutes),
    formatNumber(a?.episodes),
    formatNumber(a?.falseEpisodes),
    a ? a.falseEpisodesPerSourceWeek.toFixed(3) : '-',
    formatRatio(a?.episodePrecision),
    formatRatio(a?.f1),
  ];
  return values.map((v, i) => v.padStart(COLUMNS[i]?.[1] ?? 0)).join(' ');
}

function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : value.toFixed(3);
}

function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
