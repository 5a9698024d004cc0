import type { Alert, AlertEvent } from '../alerts/alert.js';
import { EXAMPLE_NOW } from '../charts/example-chart.js';

const MINUTE_MS = 60_000;

/**
 * The README's example alert, the one `exampleChartInput` draws: card-eu's failed rate at 3.8 % where 0.8 % is
 * normal, critical, from 18:40 local time (17:40 UTC) to the last data at 18:40 UTC, evaluated at 18:41.
 */
export function exampleAlert(): Alert {
  const evaluated = new Date(EXAMPLE_NOW);
  const start = new Date(EXAMPLE_NOW - 61 * MINUTE_MS);
  const end = new Date(EXAMPLE_NOW - MINUTE_MS);
  return {
    id: 42,
    source: 'card-eu',
    environment: 'production',
    api: null,
    metric: 'failed',
    status: 'new',
    severity: 'critical',
    origin: 'detection',
    title: 'failed rate 3.8% (expected 0.8%)',
    summary: '≈ 156 more failures than expected (190 of 5,020 transactions)',
    occurrences: 1,
    firstSeenAt: evaluated,
    lastSeenAt: evaluated,
    lastFinding: {
      source: 'card-eu',
      environment: 'production',
      metric: 'failed',
      windowStart: start,
      windowEnd: evaluated,
      direction: 'up',
      models: ['zscore', 'tree'],
      observedRate: 0.0378,
      expectedRate: 0.0081,
      score: 17.1,
      severity: 'critical',
      counts: { observed: 190, expected: 40.7, excess: 149, total: 5020 },
      scores: { zscore: 17.1, tree: 14.2 },
    },
    recoveredAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    revision: 1,
    dataWindow: { start, end },
  };
}

/** The example alert's audit trail so far: opened, posted to Slack, emailed. */
export function exampleEvents(): AlertEvent[] {
  const at = (minutes: number) => new Date(EXAMPLE_NOW + minutes * MINUTE_MS);
  const event = (id: number, kind: AlertEvent['kind'], channel: AlertEvent['channel'], detail = {}) => ({
    id,
    alertId: 42,
    kind,
    actor: 'ratewatch',
    channel,
    detail,
    createdAt: at(id - 1),
  });
  return [
    event(1, 'created', 'auto'),
    event(2, 'notified', 'slack', { kind: 'card', channel: 'C0CARDS001' }),
    event(3, 'notified', 'email', { kind: 'opened', recipients: 2 }),
  ];
}
