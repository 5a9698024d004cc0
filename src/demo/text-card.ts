import { TZDate } from '@date-fns/tz';
import type { Alert } from '../alerts/alert.js';

/**
 * An alert as the terminal shows it when Slack is not configured: the same facts as the Slack card.
 * `timeZone` is the source's, for the window in local time.
 */
export function textCard(alert: Alert, timeZone: string): string {
  const f = alert.lastFinding;
  const from = f?.windowStart ?? alert.firstSeenAt;
  const to = f?.windowEnd ?? alert.lastSeenAt;
  const models = f ? f.models.join(', ') : alert.origin;
  const lines = [
    `[${alert.severity.toUpperCase()}] ${alert.source} · ${alert.environment} · ${alert.metric}   (alert #${alert.id}, ${alert.status})`,
    alert.title,
    alert.summary ?? '',
    f
      ? `observed ${f.counts.observed} · expected ≈ ${f.counts.expected} · of ${f.counts.total} transactions`
      : '',
    `score ${f?.score ?? '-'} · models: ${models}`,
    `window ${clock(from, 'UTC')}–${clock(to, 'UTC')} UTC (${clock(from, timeZone)}–${clock(to, timeZone)} ${timeZone})`,
    `occurrences ${alert.occurrences} · last seen ${alert.lastSeenAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  ].filter((line) => line.length > 0);
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  return [`┌${'─'.repeat(width)}`, ...lines.map((l) => `│ ${l}`), `└${'─'.repeat(width)}`].join('\n');
}

function clock(at: Date, timeZone: string): string {
  const local = new TZDate(at.getTime(), timeZone);
  return `${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
}
