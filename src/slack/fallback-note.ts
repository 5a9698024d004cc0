import type { AlertEvent } from '../alerts/alert.js';
import { utcTime } from './time-text.js';

/**
 * The card's note when Slack could not deliver an alert at first: read from the audit trail — the email
 * fallback's `notified` event (channel email, detail kind `fallback`), else our own failed Slack attempt.
 * Undefined when Slack never failed for it. Pure.
 */
export function fallbackNote(events: readonly AlertEvent[]): string | undefined {
  const emailed = events.find(
    (e) => e.kind === 'notified' && e.channel === 'email' && e.detail?.kind === 'fallback',
  );
  if (emailed) {
    return `Slack could not be reached at first: this alert went out by email at ${utcTime(emailed.createdAt, true)}.`;
  }
  const failed = events.find(
    (e) => e.kind === 'notified' && e.channel === 'slack' && e.detail?.kind === 'failed',
  );
  if (failed) {
    return `Slack could not be reached at ${utcTime(failed.createdAt, true)}: this alert was handed to the email fallback.`;
  }
  return undefined;
}
