import type { Candidate } from './candidate.js';
import { candidateWindows } from './candidate-windows.js';
import { coldStartVerdict } from './cold-start.js';
import type { LoadedTree } from './decision-tree.js';
import { metricModels } from './metric-models.js';
import { multiHourWindows } from './multi-hour.js';
import { reportingPace, withLostPostsOut } from './reporting-pace.js';
import type { DetectionSettings } from './settings.js';
import {
  type CalendarPosition,
  type Finding,
  type HistoryHour,
  METRICS,
  type Metric,
  type RateMetric,
  type WindowCounts,
} from './types.js';
import { decide } from './window-verdict.js';

const DAY_MS = 86_400_000;
/** The evaluated hour's own score that opens windows of several hours (one standard error: it leans that way). */
const MULTI_HOUR_MIN_SCORE = 1;

/** One hour of one series to evaluate. */
export interface HourInput {
  readonly source: string;
  readonly environment: string;
  /** Epoch ms of the hour's start. */
  readonly hourStart: number;
  /** When the evaluation runs: the findings' window_end. */
  readonly evaluatedAt: number;
  readonly counts: WindowCounts;
  /** The hour's six 10-minute blocks (their sums equal `counts`); without them only the whole hour is judged. */
  readonly blocks?: readonly WindowCounts[] | undefined;
  readonly position: CalendarPosition;
}

export interface HourEvaluation {
  readonly findings: Finding[];
  /** Metrics that were evaluated and look normal (used to mark alerts recovered). */
  readonly normal: Metric[];
}

/**
 * Evaluates every metric of one hour of one series against its history (the hours before it, oldest first,
 * hours without reports as zero traffic) and its trained trees. Pure.
 *
 * - Cold start: with fewer than `minHistoryHours` hours of traffic in the last `historyDays`, only the absolute
 *   ceilings of rate metrics apply; traffic waits for a week of history (see trafficZScore).
 * - Otherwise the z-score model and, once trained, the tree give expectations; each candidate window — the whole
 *   hour and, with `blocks`, its sub-hour windows (candidateWindows: tails that end with the hour catch incidents
 *   that began during it, half hours catch short ones; each a little higher bar) — is scored against them
 *   (decide in window-verdict.ts). For a rate that no such window fires on but whose hour leans up (score ≥ 1),
 *   the hour together with the one or two before it is judged too (multiHourWindows: slow degradations).
 *   The strongest firing window becomes the metric's one finding; `window_end` is `evaluatedAt`.
 * - A metric is `normal` when no window fired and the whole hour scores under `confirmThreshold`.
 */
export function evaluateHour(
  input: HourInput,
  history: readonly HistoryHour[],
  trees: Partial<Record<Metric, LoadedTree>>,
  settings: DetectionSettings,
): HourEvaluation {
  const { pace, recent, established } = seriesContext(input.hourStart, history, settings);
  const candidates = candidateWindows(input, recent, settings, pace);
  const findings: Finding[] = [];
  const normal: Metric[] = [];
  for (const metric of settings.metrics ?? METRICS) {
    if (!established) {
      const finding = coldStart(metric, input, candidates[0] as Candidate, recent, settings);
      if (finding) findings.push(finding);
      continue;
    }
    const models = metricModels(metric, input.position, recent, trees[metric], settings);
    if (models.length === 0) continue;
    const verdicts = candidates.map((candidate) => decide(input, metric, candidate, models, settings));
    // Windows of several hours are for an hour that leans the same way on its own: an incident that is over
    // is not paged late, and most hours are spared the extra models.
    const leans = (verdicts[0]?.strongest ?? 0) >= MULTI_HOUR_MIN_SCORE;
    if (metric !== 'traffic' && leans && !verdicts.some((v) => v.finding)) {
      for (const long of multiHourWindows(metric, input, models, recent, trees[metric], settings)) {
        verdicts.push(decide(input, metric, long.candidate, long.models, settings));
      }
    }
    const fired = verdicts.flatMap((v) => (v.finding ? [v.finding] : []));
    const best = fired.sort((a, b) => b.score - a.score)[0];
    if (best) findings.push(best);
    else if ((verdicts[0]?.strongest ?? 0) < settings.confirmThreshold) normal.push(metric);
  }
  return { findings, normal };
}

/** What the hourly run reads of a series' history before judging the hour at `hourStart` (ticks read the same). */
export interface SeriesContext {
  /** How the series posts (reportingPace). */
  readonly pace: number | 'bulk' | undefined;
  /** The last `historyDays` of history, a bulk poster's lost posts out of its traffic baselines. */
  readonly recent: readonly HistoryHour[];
  /** False during cold start (fewer than `minHistoryHours` hours with traffic). */
  readonly established: boolean;
}

export function seriesContext(
  hourStart: number,
  history: readonly HistoryHour[],
  settings: DetectionSettings,
): SeriesContext {
  const since = hourStart - settings.historyDays * DAY_MS;
  const inWindow =
    history[0] && history[0].hourStart < since ? history.filter((h) => h.hourStart >= since) : history;
  // How the series posts decides both which hours its traffic baseline uses and which windows are judged.
  const pace = reportingPace(inWindow);
  const recent = withLostPostsOut(inWindow, pace);
  const established = recent.reduce((n, h) => n + (h.total > 0 ? 1 : 0), 0) >= settings.minHistoryHours;
  return { pace, recent, established };
}

function coldStart(
  metric: Metric,
  input: HourInput,
  full: Candidate,
  history: readonly HistoryHour[],
  settings: DetectionSettings,
): Finding | undefined {
  if (metric === 'traffic') return undefined;
  const verdict = coldStartVerdict(metric as RateMetric, input.counts, settings, history);
  if (!verdict) return undefined;
  return decide(input, metric, full, [], settings, verdict).finding;
}
