import type { AlertService, FindingInput } from '../alerts/alert-service.js';
import type { Metrics } from '../metrics/metrics.js';

/** What raising a finding from an evaluation needs: the one alert service, and the metrics it counts into. */
export interface RaiseDeps {
  readonly alertService: AlertService;
  readonly metrics?: Pick<Metrics, 'finding' | 'alertRaised'> | undefined;
}

/**
 * Raises an evaluation's finding through the alert service (recorded once per its key; a mute records it without an
 * alert) and counts it — once: a retried batch or a repeated tick finds the finding already recorded and counts
 * nothing. Every evaluation (hourly series, their ticks, APIs) raises through here.
 */
export async function raiseCounted(deps: RaiseDeps, input: FindingInput): Promise<void> {
  const result = await deps.alertService.raiseFinding(input);
  if (!result.recorded) return;
  const { metric, severity } = input.finding;
  deps.metrics?.finding(metric, severity, result.muted);
  if (!result.muted) deps.metrics?.alertRaised(metric, result.alert.severity, result.outcome);
}
