import { METRICS, type Metric } from '../simulate/types.js';
import { quantile } from './quantile.js';
import type { Finding, Incident } from './records.js';

/** A finding still counts for an incident this long after it ended (the hour that contains the end). */
export const GRACE_AFTER_END_MS = 60 * 60_000;

/** Recall and time to detect over a group of incidents. Ratios are 0–1; null when undefined. */
export interface DetectionScore {
  readonly incidents: number;
  readonly caught: number;
  /** caught / incidents. */
  readonly recall: number | null;
  /** Time to detect of the caught incidents, minutes: median and 90th percentile (linear interpolation). */
  readonly ttdMedianMinutes: number | null;
  readonly ttdP90Minutes: number | null;
}

/** Detection plus alert episodes over a group of series+metrics. */
export interface AlertScore extends DetectionScore {
  readonly episodes: number;
  readonly falseEpisodes: number;
  /** falseEpisodes / source-weeks (series count × days / 7). */
  readonly falseEpisodesPerSourceWeek: number;
  /** true episodes / all episodes. */
  readonly episodePrecision: number | null;
  /** Harmonic mean of recall and episode precision (precision taken as 0 when there are no episodes). */
  readonly f1: number | null;
}

/** A detector's score; `M` names the metrics (payments' by default, API metrics for API calls). */
export interface Score<M extends string = Metric> {
  readonly sourceWeeks: number;
  readonly overall: AlertScore;
  readonly byMetric: Readonly<Record<M, AlertScore>>;
  /** Per incident kind; false alerts have no kind, so only recall and time to detect. */
  readonly byKind: Readonly<Record<string, DetectionScore>>;
}

/** Everything scoring needs: findings, labels, and how much traffic they were drawn from. */
export interface ScoreInput {
  readonly findings: readonly Finding[];
  readonly incidents: readonly Incident[];
  /** Number of source+environment series in the data. */
  readonly seriesCount: number;
  readonly days: number;
}

/**
 * Scores findings against labelled incidents, as product.md defines it: an incident is caught when a
 * finding of the same source, environment and metric has [window_start, window_end) overlapping
 * [start, end + 60 min); time to detect = first matching window_end − start. Findings of one
 * source+environment+metric whose windows overlap or lie less than 30 minutes apart form one episode; an
 * episode is true when any finding in it matches an incident, false otherwise.
 */
export function scoreFindings(input: ScoreInput): Score {
  const sourceWeeks = (input.seriesCount * input.days) / 7;
  const ttds = input.incidents.map((incident) => timeToDetectMinutes(incident, input.findings));
  const episodes = buildEpisodes(input.findings, input.incidents);
  const group = (incidentFilter: (i: Incident) => boolean, metric?: Metric) => {
    const chosen = ttds.filter((_, i) => incidentFilter(input.incidents[i] as Incident));
    const chosenEpisodes = episodes.filter((e) => metric === undefined || e.metric === metric);
    return alertScore(chosen, chosenEpisodes, sourceWeeks);
  };
  const byMetric = Object.fromEntries(METRICS.map((m) => [m, group((i) => i.metric === m, m)]));
  const kinds = [...new Set(input.incidents.map((i) => i.kind))].sort();
  const byKind = Object.fromEntries(
    kinds.map((kind) => [kind, detectionScore(ttds.filter((_, i) => input.incidents[i]?.kind === kind))]),
  );
  return { sourceWeeks, overall: group(() => true), byMetric: byMetric as Score['byMetric'], byKind };
}

/** True when the finding is about the incident's series and metric and its window reaches the incident's. */
export function matchesIncident(finding: Finding, incident: Incident): boolean {
  return (
    finding.source === incident.source &&
    finding.environment === incident.environment &&
    finding.metric === incident.metric &&
    finding.windowStartMs < incident.endMs + GRACE_AFTER_END_MS &&
    finding.windowEndMs > incident.startMs
  );
}

/** Minutes from the incident's start to the earliest window_end of a matching finding; null if none. */
function timeToDetectMinutes(incident: Incident, findings: readonly Finding[]): number | null {
  let first = Number.POSITIVE_INFINITY;
  for (const finding of findings)
    if (matchesIncident(finding, incident)) first = Math.min(first, finding.windowEndMs);
  return Number.isFinite(first) ? (first - incident.startMs) / 60_000 : null;
}

interface Episode {
  readonly metric: Metric;
  readonly isTrue: boolean;
}

/** product.md: findings keep one episode while their windows overlap or lie less than 30 minutes apart. */
const EPISODE_GAP_MS = 30 * 60_000;

/** Merges each series+metric's findings into episodes (next window starts less than 30 minutes after the last end). */
function buildEpisodes(findings: readonly Finding[], incidents: readonly Incident[]): Episode[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.source}\u0000${f.environment}\u0000${f.metric}`;
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  const episodes: Episode[] = [];
  for (const list of byKey.values()) {
    list.sort((a, b) => a.windowStartMs - b.windowStartMs);
    let endMs = Number.NEGATIVE_INFINITY;
    for (const f of list) {
      const matches = incidents.some((incident) => matchesIncident(f, incident));
      const last = episodes.at(-1);
      if (last && f.windowStartMs < endMs + EPISODE_GAP_MS)
        episodes[episodes.length - 1] = { ...last, isTrue: last.isTrue || matches };
      else episodes.push({ metric: f.metric, isTrue: matches });
      endMs = Math.max(endMs, f.windowEndMs);
    }
  }
  return episodes;
}

function detectionScore(ttds: readonly (number | null)[]): DetectionScore {
  const caught = ttds.filter((t): t is number => t !== null);
  return {
    incidents: ttds.length,
    caught: caught.length,
    recall: ttds.length === 0 ? null : caught.length / ttds.length,
    ttdMedianMinutes: quantile(caught, 0.5),
    ttdP90Minutes: quantile(caught, 0.9),
  };
}

function alertScore(
  ttds: readonly (number | null)[],
  episodes: readonly Episode[],
  sourceWeeks: number,
): AlertScore {
  const detection = detectionScore(ttds);
  const falseEpisodes = episodes.filter((e) => !e.isTrue).length;
  const precision = episodes.length === 0 ? null : (episodes.length - falseEpisodes) / episodes.length;
  const { recall } = detection;
  const p = precision ?? 0;
  return {
    ...detection,
    episodes: episodes.length,
    falseEpisodes,
    falseEpisodesPerSourceWeek: sourceWeeks > 0 ? falseEpisodes / sourceWeeks : 0,
    episodePrecision: precision,
    f1: recall === null ? null : recall + p === 0 ? 0 : (2 * recall * p) / (recall + p),
  };
}
