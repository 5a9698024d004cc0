import type { Alert } from '../alerts/alert.js';
import { alertHeadline } from '../alerts/alert-text.js';
import { alertFacts } from '../email/alert-facts.js';
import { factsText } from '../email/html.js';

/**
 * An alert as the terminal shows it when Slack is not configured: the card's headline and the facts the card
 * and the email show, in their words. `timeZone` is the source's, for the window in local time.
 */
export function textCard(alert: Alert, timeZone: string): string {
  const lines = [
    `[${alert.severity.toUpperCase()}] ${alertHeadline(alert)}`,
    ...factsText(alertFacts(alert, timeZone)).split('\n'),
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  return [`┌${'─'.repeat(width)}`, ...lines.map((l) => `│ ${l}`), `└${'─'.repeat(width)}`].join('\n');
}
