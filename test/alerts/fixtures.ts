import type { Occurrence } from '../../src/alerts/alert-merge.js';
import type { StoredAlert } from '../../src/alerts/alert-store.js';
import type { Finding } from '../../src/detection/types.js';
import { aFinding, anAlert, HOUR, RAN } from '../helpers/alerts.js';

export { HOUR, RAN };

/** A later hour, `hours` after HOUR. */
export const hourAfter = (hours: number) => new Date(HOUR.getTime() + hours * 3_600_000);

export const FINDING: Finding = aFinding();

/** An open alert as the store locks it: seen once, at HOUR's evaluation. */
export function storedAlert(over: Partial<StoredAlert> = {}): StoredAlert {
  return { ...anAlert(), lastEvaluatedHour: HOUR, normalHours: 0, lastTickAt: null, normalTicks: 0, ...over };
}

/** A finding of the next hour, as the evaluation raises it. */
export function occurrence(over: Partial<Occurrence> = {}): Occurrence {
  return {
    source: 'card-eu',
    environment: 'production',
    api: null,
    metric: 'failed',
    severity: 'high',
    origin: 'detection',
    title: 'failed rate 4.0% (expected 0.9%)',
    summary: '≈ 1,500 more failures than expected',
    finding: { ...FINDING, windowStart: hourAfter(1), windowEnd: hourAfter(2), observedRate: 0.04 },
    actor: 'ratewatch',
    channel: 'auto',
    at: hourAfter(2),
    hourStart: hourAfter(1),
    ...over,
  };
}
