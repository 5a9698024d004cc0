import { alertKey } from '../alerts/alert-state.js';
import { findingExcess, findingTitle } from '../alerts/alert-text.js';
import { evaluateHour } from '../detection/evaluate-hour.js';
import { findingToJson } from '../detection/finding-json.js';
import type { Finding } from '../detection/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { AlertStore } from '../storage/alerts.js';
import { isMuted, type MuteStore } from '../storage/mutes.js';
import type { SeriesInfo } from '../storage/sources.js';
import { type ContextDeps, forEachSeriesContext } from './series-context.js';

export interface BatchDeps extends ContextDeps {
  readonly alerts: AlertStore;
  readonly mutes: MuteStore;
  readonly recoveryHours: number;
  readonly autoResolve: boolean;
  readonly metrics?: Pick<Metrics, 'finding' | 'alertRaised' | 'evaluationRun'> | undefined;
}

/** What one batch did: every finding it computed (muted ones too) and the trees it had to train. */
export interface BatchResult {
  readonly series: number;
  readonly findings: Finding[];
  readonly treesTrained: number;
}

/**
 * Evaluates one hour of a batch of series and records the outcome: each finding once (a retried batch finds it
 * recorded and does nothing), its alert opened or merged unless a mute covers it, and open alerts whose metric
 * was normal counted towards recovery. Notifications are not sent here: the caller dispatches them once the
 * whole hour is done, so a storm can become one digest.
 */
export async function evaluateBatch(
  deps: BatchDeps,
  series: readonly SeriesInfo[],
  hourStart: Date,
  evaluatedAt: Date,
): Promise<BatchResult> {
  const mutes = await deps.mutes.active(evaluatedAt);
  const findings: Finding[] = [];
  const normalKeys: string[] = [];
  const treesTrained = await forEachSeriesContext(deps, series, hourStart, evaluatedAt, async (context) => {
    const { info } = context;
    const evaluation = evaluateHour(context.hour, context.history, context.trees, context.profile.settings);
    for (const finding of evaluation.findings) {
      findings.push(finding);
      const result = await deps.alerts.recordFinding({
        seriesId: info.id,
        hourStart,
        muted: isMuted(mutes, info.source, info.environment, finding.metric),
        occurrence: {
          source: info.source,
          environment: info.environment,
          metric: finding.metric,
          severity: finding.severity,
          origin: 'detection',
          title: findingTitle(finding),
          summary: findingExcess(finding),
          finding: JSON.parse(findingToJson(finding)),
          actor: 'ratewatch',
          channel: 'auto',
          at: evaluatedAt,
          hourStart,
        },
      });
      // Counted once: a retried batch finds the finding already recorded.
      if (!result.recorded) continue;
      const raised = 'outcome' in result ? result : undefined;
      deps.metrics?.finding(finding.metric, finding.severity, raised === undefined);
      if (raised) deps.metrics?.alertRaised(finding.metric, raised.alert.severity, raised.outcome);
    }
    for (const metric of evaluation.normal) normalKeys.push(alertKey(info.source, info.environment, metric));
  });
  await deps.alerts.recordNormal({
    keys: normalKeys,
    hourStart,
    recoveryHours: deps.recoveryHours,
    autoResolve: deps.autoResolve,
    at: evaluatedAt,
  });
  return { series: series.length, findings, treesTrained };
}
