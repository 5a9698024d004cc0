import type { StoredCallLog } from '../ingest/store-call-log.js';

/** One finished import, with what identifies it. */
export interface ImportReport extends StoredCallLog {
  readonly path: string;
  readonly source: string;
  readonly environment: string;
  readonly seconds: number;
}

const number = (value: number) => value.toLocaleString('en-US');
const minuteText = (ms: number | null) =>
  ms === null ? '-' : new Date(ms).toISOString().replace(':00.000Z', 'Z');

/** The summary a person reads: calls, minutes, APIs, what was stored or skipped, rejected lines by number. */
export function importReport(report: ImportReport): string {
  const { summary, stored, skipped } = report;
  const lines = [
    `imported ${report.path} into ${report.source} (${report.environment}), ${summary.format === 'csv' ? 'CSV' : 'JSON lines'}`,
    `  lines     ${number(summary.lines)}${summary.format === 'csv' ? ' (the header included)' : ''}`,
    `  calls     ${number(summary.calls)}`,
    `  minutes   ${number(summary.minutes)}${summary.minutes > 0 ? `, ${minuteText(summary.firstMinuteMs)} to ${minuteText(summary.lastMinuteMs)}` : ''}`,
    `  APIs      ${number(summary.apis)}`,
    `  stored    ${number(stored.calls)} calls in ${number(stored.chunks)} chunks; ${number(skipped.calls)} calls in ${number(skipped.chunks)} chunks were imported before and skipped`,
    `  rejected  ${number(summary.rejected.count)} line${summary.rejected.count === 1 ? '' : 's'}${summary.rejected.count > 0 ? ':' : ''}`,
    ...summary.rejected.first.map((r) => `    line ${r.line}: ${r.reason}`),
  ];
  if (summary.rejected.count > summary.rejected.first.length)
    lines.push(`    … and ${number(summary.rejected.count - summary.rejected.first.length)} more`);
  const rate = report.seconds > 0 ? `, ${number(Math.round(summary.lines / report.seconds))} lines/s` : '';
  lines.push(`  took      ${report.seconds.toFixed(1)} s${rate}`);
  return `${lines.join('\n')}\n`;
}

/** The same as one JSON object (for `--json`). */
export function importReportJson(report: ImportReport) {
  const { summary, stored, skipped } = report;
  return {
    file: report.path,
    source: report.source,
    environment: report.environment,
    format: summary.format,
    lines: summary.lines,
    calls: summary.calls,
    minutes: summary.minutes,
    first_minute: summary.firstMinuteMs === null ? null : new Date(summary.firstMinuteMs).toISOString(),
    last_minute: summary.lastMinuteMs === null ? null : new Date(summary.lastMinuteMs).toISOString(),
    apis: summary.apis,
    stored: { chunks: stored.chunks, calls: stored.calls },
    skipped: { chunks: skipped.chunks, calls: skipped.calls },
    late_chunks: summary.lateChunks,
    rejected: { count: summary.rejected.count, first: summary.rejected.first },
    seconds: Math.round(report.seconds * 1000) / 1000,
  };
}
