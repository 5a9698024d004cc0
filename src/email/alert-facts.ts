import type { Alert } from '../alerts/alert.js';
import {
  confidenceText,
  dataWindowOf,
  evaluatedText,
  findingStory,
  windowText,
} from '../alerts/alert-text.js';

/** One labelled fact of an alert, shown the same way in the HTML and the plain-text part. */
export interface Fact {
  readonly label: string;
  readonly value: string;
}

/**
 * The facts of an alert, each said once and in the Slack card's words (src/alerts/alert-text.ts): status, what
 * happened in transactions, the data's window on the source's clock and in UTC, when it was evaluated, how
 * sure detection is, repeats, the alert id. The headline (source, metric, observed vs normal) is said above
 * them, not again here. `timeZone` is the source's IANA zone (UTC when it has none). Pure.
 */
export function alertFacts(alert: Alert, timeZone: string): Fact[] {
  const facts: Fact[] = [{ label: 'Status', value: statusText(alert) }];
  const finding = alert.lastFinding;
  const window = dataWindowOf(alert);
  if (finding) facts.push({ label: 'What happened', value: findingStory(finding) });
  else if (alert.summary) facts.push({ label: 'Summary', value: alert.summary });
  facts.push({ label: 'Window', value: windowText(window.start, window.end, timeZone) });
  if (finding) {
    facts.push({ label: 'Evaluated', value: evaluatedText(finding.windowEnd, window.end) });
    facts.push({
      label: 'Confidence',
      value: `${confidenceText(finding)} (score ${finding.score.toFixed(1)})`,
    });
  }
  if (alert.occurrences > 1) {
    facts.push({
      label: 'Seen',
      value: `${alert.occurrences} times, first ${utc(alert.firstSeenAt)}, last ${utc(alert.lastSeenAt)}`,
    });
  }
  facts.push({ label: 'Alert', value: `#${alert.id} (${alert.severity})` });
  return facts;
}

/** "new", "acknowledged by ana@example.com at 2026-11-21 18:20 UTC", "resolved by … (note)". */
export function statusText(alert: Alert): string {
  if (alert.status === 'acknowledged')
    return `acknowledged${by(alert.acknowledgedBy)}${at(alert.acknowledgedAt)}`;
  if (alert.status === 'resolved') {
    const note = alert.resolutionNote ? ` (${alert.resolutionNote})` : '';
    return `resolved${by(alert.resolvedBy)}${at(alert.resolvedAt)}${note}`;
  }
  return alert.recoveredAt ? `new, metric back to normal since ${utc(alert.recoveredAt)}` : 'new';
}

/** `2026-11-21 18:02 UTC`. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const by = (actor: string | null) => (actor ? ` by ${actor}` : '');
const at = (when: Date | null) => (when ? ` at ${utc(when)}` : '');
