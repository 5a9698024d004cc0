import { sumCounts } from './blocks.js';
import type { Candidate, MetricModel, MetricModels } from './candidate.js';
import type { LoadedTree } from './decision-tree.js';
import { metricModels } from './metric-models.js';
import type { DetectionSettings } from './settings.js';
import type { CalendarPosition, HistoryHour, ModelName, RateMetric, WindowCounts } from './types.js';

const HOUR_MS = 3_600_000;

/** The evaluated hour as the multi-hour windows need it. */
export interface EvaluatedHour {
  readonly hourStart: number;
  readonly counts: WindowCounts;
  readonly blocks?: readonly WindowCounts[] | undefined;
  readonly position: CalendarPosition;
}

/** A window of whole hours and what each model expects of it. */
export interface MultiHourWindow {
  readonly candidate: Candidate;
  readonly models: MetricModels;
}

/**
 * Windows longer than the hour for a rate metric: the evaluated hour with the 1 … `multiHourWindows` − 1 hours
 * before it. A slow degradation or a moderate step can be too weak for any single hour yet plain over two or
 * three, because each hour's own wandering (its overdispersion σ²) partly averages out.
 *
 * For a window of hours j with nⱼ transactions, each model expects Σ nⱼ·pⱼ of the status, pⱼ being what the model
 * expects at hour j's own calendar position from the history before it (so a night that is normally worse stays
 * normal). The hourly σ²ⱼ combine as for a sum of independent hours: σ² = Σ (nⱼpⱼ)²·σ²ⱼ / (Σ nⱼpⱼ)², which is
 * σ²/k for k equal hours. The sustained check sees each earlier hour as one block and the evaluated hour as its
 * 10-minute blocks, so neither one noisy hour nor one burst inside the evaluated hour carries the window.
 * A window stops growing at an hour that already alerted on the metric: that incident is known.
 */
export function multiHourWindows(
  metric: RateMetric,
  hour: EvaluatedHour,
  models: MetricModels,
  history: readonly HistoryHour[],
  tree: LoadedTree | undefined,
  settings: DetectionSettings,
): MultiHourWindow[] {
  const hours: WindowCounts[] = [hour.counts];
  const perHour: MetricModels[] = [models];
  const windows: MultiHourWindow[] = [];
  for (let k = 2; k <= settings.multiHourWindows; k++) {
    const index = history.length - (k - 1);
    const previous = history[index];
    if (!previous || previous.hourStart !== hour.hourStart - (k - 1) * HOUR_MS) break;
    if (previous.alerting.has(metric)) break;
    hours.unshift(previous);
    perHour.unshift(metricModels(metric, previous, history.slice(0, index), tree, settings));
    const combined = combineModels(metric, hours, perHour);
    if (combined.length === 0) break;
    const blocks = [...hours.slice(0, -1), ...(hour.blocks ?? [hour.counts])];
    windows.push({
      candidate: hoursCandidate(hours, blocks, previous.hourStart, settings),
      models: combined,
    });
  }
  return windows;
}

/** Each model's expectation over the hours, for the models that judged every one of them. */
function combineModels(metric: RateMetric, hours: readonly WindowCounts[], perHour: readonly MetricModels[]) {
  const names: ModelName[] = ['zscore', 'tree'];
  return names.flatMap((name): MetricModel[] => {
    const chosen = perHour.map((models) => models.find((m) => m.model === name));
    if (chosen.some((m) => m === undefined || m.kind !== 'rate')) return [];
    let expected = 0;
    let weightedVariance = 0;
    chosen.forEach((model, j) => {
      const rate = model?.kind === 'rate' ? model.expectedRate((hours[j] as WindowCounts).total) : 0;
      const count = (hours[j] as WindowCounts).total * rate;
      expected += count;
      weightedVariance += count * count * (model?.logVariance ?? 0);
    });
    const total = hours.reduce((sum, h) => sum + h.total, 0);
    const rate = total > 0 ? expected / total : 0;
    const logVariance = expected > 0 ? weightedVariance / (expected * expected) : 0;
    return [{ kind: 'rate', metric, model: name, expectedRate: () => rate, logVariance }];
  });
}

function hoursCandidate(
  hours: readonly WindowCounts[],
  blocks: readonly WindowCounts[],
  start: number,
  settings: DetectionSettings,
): Candidate {
  const counts = sumCounts(hours);
  return {
    kind: 'hours',
    start,
    fraction: hours.length,
    counts,
    blocks,
    penalty: settings.multiHourPenalty,
    traffic: undefined,
    share: hours.length,
    blockShares: blocks.map(() => 1),
    shareLogVariance: 0,
  };
}
