/**
 * The findings, alerts and evaluation runs that four weeks of hourly runs would have left: one finding per
 * hour of each past episode, one alert per episode (resolved by people within a day, the recent ones still
 * open and counting normal hours), its audit events, and a finished run for every past hour.
 */
import { alertKey } from '../src/alerts/alert-state.js';
import { findingExcess, findingTitle } from '../src/alerts/alert-text.js';
import { findingToJson } from '../src/detection/finding-json.js';
import type { Finding, Severity } from '../src/detection/types.js';
import type { Pool } from '../src/storage/db.js';
import type { BenchWindow, Episode, HourCounts } from './evaluate-traffic.js';

const HOUR_MS = 3_600_000;
/** Where the watched statuses sit in the default catalog. */
const SLOT_OF: Readonly<Record<string, number>> = { denied: 1, reversed: 2, failed: 3 };
/** Alerts whose episode ended less than this long ago are still open (people resolve the rest). */
const OPEN_FOR_MS = 24 * HOUR_MS;
/** The run of an hour starts at :02 of the next and takes about this long. */
const RUN_DELAY_MS = 2 * 60_000;
const RUN_MS = 40_000;

/** An hour of a past episode, as generated. */
export interface AlertingHour {
  readonly seriesId: number;
  readonly source: string;
  readonly row: HourCounts;
  readonly episode: Episode;
}

export async function writeFindingsAndAlerts(
  pool: Pool,
  hours: readonly AlertingHour[],
  window: BenchWindow,
): Promise<{ findings: number; alerts: number; openAlerts: number }> {
  const episodes = groupByEpisode(hours);
  const alertRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  const findingRows: unknown[][] = [];
  const open = new Set<string>();
  // Newest episodes first, so the one left open for a key is the latest.
  episodes.sort((a, b) => b.episode.fromMs - a.episode.fromMs);
  for (const [index, { hours: list, episode }] of episodes.entries()) {
    const alertId = index + 1;
    const first = list[0] as AlertingHour;
    const last = list[list.length - 1] as AlertingHour;
    const findings = list.map((h) => toFinding(h));
    const key = alertKey(first.source, 'production', episode.metric);
    const endMs = last.row.hourMs + HOUR_MS;
    const isOpen = window.hourStartMs - endMs < OPEN_FOR_MS && !open.has(key);
    if (isOpen) open.add(key);
    const latest = findings[findings.length - 1] as Finding;
    const normalHours = (window.hourStartMs - endMs) / HOUR_MS;
    const seen = (f: Finding) => f.windowEnd;
    alertRows.push([
      alertId,
      first.source,
      'production',
      episode.metric,
      isOpen ? key : null,
      isOpen ? 'new' : 'resolved',
      highest(findings),
      'detection',
      findingTitle(latest),
      findingExcess(latest),
      findings.length,
      seen(findings[0] as Finding),
      seen(latest),
      findingToJson(latest),
      new Date(isOpen ? window.hourStartMs - HOUR_MS : endMs + HOUR_MS),
      isOpen ? normalHours : 2,
      normalHours >= 2 ? new Date(endMs + 2 * HOUR_MS + RUN_DELAY_MS) : null,
      isOpen ? null : new Date(endMs + 4 * HOUR_MS),
      isOpen ? null : 'oncall@example.com',
      1 + findings.length + (isOpen ? 0 : 1),
    ]);
    eventRows.push(...events(alertId, findings, isOpen ? undefined : new Date(endMs + 4 * HOUR_MS)));
    for (const [i, h] of list.entries()) findingRows.push(findingRow(h, findings[i] as Finding, alertId));
  }
  await insertChunks(
    pool,
    `INSERT INTO alerts (id, source, environment, metric, open_key, status, severity, origin, title, summary,
       occurrences, first_seen_at, last_seen_at, last_finding, last_evaluated_hour, normal_hours, recovered_at,
       resolved_at, resolved_by, revision) VALUES ?`,
    alertRows,
  );
  await insertChunks(
    pool,
    'INSERT INTO alert_events (alert_id, kind, actor, channel, detail, created_at) VALUES ?',
    eventRows,
  );
  await insertChunks(
    pool,
    `INSERT INTO findings (series_id, metric, hour_start, window_start, window_end, severity, score, detail,
       alert_id, created_at) VALUES ?`,
    findingRows,
  );
  await insertRuns(pool, window, hours);
  return { findings: findingRows.length, alerts: alertRows.length, openAlerts: open.size };
}

function groupByEpisode(hours: readonly AlertingHour[]): { episode: Episode; hours: AlertingHour[] }[] {
  const groups = new Map<Episode, AlertingHour[]>();
  for (const hour of hours) {
    const list = groups.get(hour.episode) ?? [];
    list.push(hour);
    groups.set(hour.episode, list);
  }
  // Two episodes of one series and metric may overlap: one finding per series, metric and hour.
  const taken = new Set<string>();
  return [...groups]
    .map(([episode, list]) => ({
      episode,
      hours: list.filter((h) => {
        const key = `${h.seriesId}/${episode.metric}/${h.row.hourMs}`;
        if (taken.has(key)) return false;
        taken.add(key);
        return true;
      }),
    }))
    .filter((g) => g.hours.length > 0);
}

/** A plausible finding for an episode hour, from the hour's generated counts and the episode's effect. */
function toFinding({ source, row, episode }: AlertingHour): Finding {
  const total = row.slots.reduce((a, b) => a + b, 0);
  const traffic = episode.metric === 'traffic';
  const observed = traffic ? total : (row.slots[SLOT_OF[episode.metric] as number] ?? 0);
  const expected = traffic ? total / episode.factor : observed / episode.factor;
  const factor = traffic ? 1 / episode.factor : episode.factor;
  const score = Math.round((4 + 2 * Math.log2(factor)) * 100) / 100;
  return {
    source,
    environment: 'production',
    metric: episode.metric,
    windowStart: new Date(row.hourMs),
    windowEnd: new Date(row.hourMs + HOUR_MS + RUN_DELAY_MS + RUN_MS),
    direction: traffic ? 'down' : 'up',
    models: ['zscore', 'tree'],
    observedRate: traffic ? observed : total > 0 ? observed / total : 0,
    expectedRate: traffic ? expected : total > 0 ? expected / total : 0,
    score,
    severity: severityOf(score, factor),
    counts: { observed, expected: Math.round(expected), excess: Math.round(observed - expected), total },
    scores: { zscore: score, tree: Math.round(score * 90) / 100 },
  };
}

function severityOf(score: number, factor: number): Severity {
  if (score >= 12 && factor >= 5) return 'critical';
  if (score >= 8 && factor >= 3) return 'high';
  return score >= 6 && factor >= 2 ? 'medium' : 'low';
}

function highest(findings: readonly Finding[]): Severity {
  const order: Severity[] = ['low', 'medium', 'high', 'critical'];
  return order[Math.max(...findings.map((f) => order.indexOf(f.severity)))] as Severity;
}

function events(alertId: number, findings: readonly Finding[], resolvedAt: Date | undefined): unknown[][] {
  const rows: unknown[][] = findings.map((f, i) => [
    alertId,
    i === 0 ? 'created' : 'merged',
    'ratewatch',
    'auto',
    JSON.stringify({ severity: f.severity, title: findingTitle(f) }),
    f.windowEnd,
  ]);
  if (resolvedAt) rows.push([alertId, 'resolved', 'oncall@example.com', 'slack', null, resolvedAt]);
  return rows;
}

function findingRow(hour: AlertingHour, finding: Finding, alertId: number): unknown[] {
  return [
    hour.seriesId,
    finding.metric,
    new Date(hour.row.hourMs),
    finding.windowStart,
    finding.windowEnd,
    finding.severity,
    finding.score,
    findingToJson(finding),
    alertId,
    finding.windowEnd,
  ];
}

/** A finished run for every hour before the evaluated one, with the number of findings it recorded. */
async function insertRuns(pool: Pool, window: BenchWindow, hours: readonly AlertingHour[]): Promise<void> {
  const findingsPerHour = new Map<number, number>();
  for (const h of hours) findingsPerHour.set(h.row.hourMs, (findingsPerHour.get(h.row.hourMs) ?? 0) + 1);
  const rows: unknown[][] = [];
  for (let hour = window.historyFromMs; hour < window.hourStartMs; hour += HOUR_MS) {
    const started = hour + HOUR_MS + RUN_DELAY_MS;
    rows.push([
      new Date(hour),
      'done',
      'schedule',
      window.sources,
      findingsPerHour.get(hour) ?? 0,
      new Date(started),
      new Date(started + RUN_MS),
      RUN_MS,
    ]);
  }
  await insertChunks(
    pool,
    `INSERT INTO evaluation_runs (hour_start, status, trigger_kind, series_total, findings, started_at,
       finished_at, duration_ms) VALUES ?`,
    rows,
  );
}

async function insertChunks(pool: Pool, sql: string, rows: readonly unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await pool.query(sql, [rows.slice(i, i + 1000)]);
}
