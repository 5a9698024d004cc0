import type { Alert } from '../alerts/alert.js';
import { alertHeadline } from '../alerts/alert-text.js';
import type { ChartImage } from './alert-message.js';
import type { EmailDeps } from './email-deps.js';

/** An alert's chart for emails, drawn at most once per job and only when an email is actually built. */
export type LazyChart = () => Promise<ChartImage | undefined>;

/**
 * The alert's chart as an inline image (`chart-<alert>-<revision>@<domain>`), drawn on first use and shared by
 * every email of the job. Without a chart (charts off, no counts for the alert) or when drawing fails (logged),
 * undefined: the email goes without it.
 */
export function lazyChart(
  deps: Pick<EmailDeps, 'chartOf' | 'messageDomain' | 'logger'>,
  alert: Alert,
): LazyChart {
  let drawn: Promise<ChartImage | undefined> | undefined;
  return () => {
    drawn ??= chartImageOf(deps, alert);
    return drawn;
  };
}

async function chartImageOf(
  deps: Pick<EmailDeps, 'chartOf' | 'messageDomain' | 'logger'>,
  alert: Alert,
): Promise<ChartImage | undefined> {
  if (!deps.chartOf) return undefined;
  try {
    const chart = await deps.chartOf(alert);
    if (chart.kind === 'none') return undefined;
    return {
      image: {
        filename: `ratewatch-alert-${alert.id}.png`,
        content: chart.png,
        cid: `chart-${alert.id}-${alert.revision}@${deps.messageDomain}`,
        contentType: 'image/png',
      },
      alt: `${alertHeadline(alert)}: the last 48 hours against the normal range, the alert's window marked`,
    };
  } catch (error) {
    deps.logger.warn(
      { err: error, alertId: alert.id },
      "could not draw the alert's chart; the email goes without it",
    );
    return undefined;
  }
}
