/**
 * Every query of the two Grafana dashboards, in one place: the MySQL panels of "Payment rates" and the
 * Prometheus panels of "ratewatch operations". Metric names are those of README's Metrics section; when one
 * is renamed, change it here and run `npm run dashboards` (the test checks the JSON is what this writes).
 *
 * SQL runs as Grafana's read-only MySQL user: valid on MySQL 8 and MariaDB 10.11, no named time zones (Grafana
 * shows times in the viewer's zone). `$source` and `$environment` are the dashboard's variables; `$__timeFilter`
 * is Grafana's macro for the time range picked.
 */

/** A status's count in an hourly rollup: its slot, whatever catalog the source uses. */
const statusCount = (status: string) =>
  `CASE (SELECT cs.slot FROM catalog_statuses cs WHERE cs.catalog_id = so.catalog_id AND cs.status = '${status}')
    ${Array.from({ length: 12 }, (_, slot) => `WHEN ${slot} THEN h.n${slot}`).join(' ')} END`;
const allCounts = Array.from({ length: 12 }, (_, slot) => `h.n${slot}`).join(' + ');

const SERIES_JOIN = `FROM hourly_counts h
  JOIN series se ON se.id = h.series_id
  JOIN sources so ON so.id = se.source_id
WHERE so.name = '$source' AND se.environment = '$environment' AND $__timeFilter(h.hour_start)`;

/** The rate of one status per hour (a fraction: the panel's unit is percentunit). */
export function rateSql(status: 'failed' | 'denied' | 'reversed'): string {
  return `SELECT h.hour_start AS time, ${statusCount(status)} / NULLIF(${allCounts}, 0) AS \`${status} rate\`
${SERIES_JOIN}
ORDER BY h.hour_start`;
}

export const SQL = {
  sources: 'SELECT name FROM sources ORDER BY name',
  environments: `SELECT DISTINCT se.environment FROM series se JOIN sources so ON so.id = se.source_id
WHERE so.name = '$source' ORDER BY 1`,
  volume: `SELECT h.hour_start AS time, ${allCounts} AS \`transactions per hour\`
${SERIES_JOIN}
ORDER BY h.hour_start`,
  /**
   * What the models expected in the hours they judged abnormal (the findings' own expected rate, as the card
   * shows it). The expected band of every hour is not stored yet: the per-hour band table being added to
   * detection will feed this panel in full; until then it honestly shows only the judged hours.
   */
  expectedAtFindings: `SELECT f.hour_start AS time, f.metric AS metric,
  CAST(JSON_VALUE(f.detail, '$.expected_rate') AS DOUBLE) AS expected,
  CAST(JSON_VALUE(f.detail, '$.observed_rate') AS DOUBLE) AS observed
FROM findings f
  JOIN series se ON se.id = f.series_id
  JOIN sources so ON so.id = se.source_id
WHERE so.name = '$source' AND se.environment = '$environment' AND f.metric <> 'traffic'
  AND $__timeFilter(f.hour_start)
ORDER BY f.hour_start`,
  /**
   * Alerts as annotations over the data their findings judged (incident start → last data), titled and tagged
   * with metric and severity; an external alert spans first to last seen.
   */
  alertAnnotations: `SELECT w.time, w.timeend, w.text, w.tags FROM (
  SELECT COALESCE((SELECT MIN(f.window_start) FROM findings f WHERE f.alert_id = a.id), a.first_seen_at) AS time,
    COALESCE((SELECT MAX(LEAST(f.window_end, TIMESTAMPADD(HOUR, 1, f.hour_start))) FROM findings f
      WHERE f.alert_id = a.id), a.last_seen_at) AS timeend,
    CONCAT('#', a.id, ' ', a.severity, ': ', a.title) AS text, CONCAT(a.metric, ',', a.severity) AS tags
  FROM alerts a
  WHERE a.source = '$source' AND a.environment = '$environment'
) w
WHERE $__timeFilter(w.time)
ORDER BY w.time`,
  openAlerts: `SELECT a.id AS alert, a.severity, a.metric, a.status, a.title, a.first_seen_at AS since
FROM alerts a
WHERE a.source = '$source' AND a.environment = '$environment' AND a.status <> 'resolved'
ORDER BY a.id DESC LIMIT 50`,
} as const;

/** The operations dashboard's PromQL, by panel. */
export const PROMQL = {
  postsAccepted: 'sum(rate(ratewatch_ingest_posts_total{outcome="accepted"}[5m]))',
  postsRejected: 'sum by (reason) (rate(ratewatch_ingest_posts_total{outcome!="accepted"}[5m]))',
  rowsStored: 'sum(rate(ratewatch_ingest_rows_stored_total[5m])) * 60',
  reportingLag: 'max by (source, environment) (ratewatch_source_reporting_lag_seconds)',
  onboarded: 'sum(increase(ratewatch_sources_onboarded_total[1h]))',
  evaluationRuns: 'sum by (trigger) (increase(ratewatch_evaluation_run_duration_seconds_count[1h]))',
  sinceLastEvaluation: 'time() - max(ratewatch_evaluation_last_completed_timestamp_seconds)',
  evaluationDurationP95:
    'histogram_quantile(0.95, sum by (le, trigger) (rate(ratewatch_evaluation_run_duration_seconds_bucket[1h])))',
  tickDurationP95:
    'histogram_quantile(0.95, sum by (le) (rate(ratewatch_evaluation_tick_duration_seconds_bucket[1h])))',
  seriesEvaluated: 'sum(increase(ratewatch_evaluation_series_total[1h]))',
  findings: 'sum by (metric, severity) (increase(ratewatch_findings_total{muted="false"}[1h]))',
  alerts: 'sum by (outcome, severity) (increase(ratewatch_alerts_total[1h]))',
  deliveries: 'sum by (channel, outcome) (increase(ratewatch_notifications_total[1h]))',
  deliveriesPending: 'sum by (channel) (ratewatch_deliveries_pending)',
  oldestPendingDelivery: 'max by (channel) (ratewatch_deliveries_oldest_pending_age_seconds)',
  deliveriesFailed: 'sum by (channel) (ratewatch_deliveries_failed)',
  queues: 'sum by (queue, state) (ratewatch_queue_jobs{state=~"waiting|active|delayed|failed"})',
  oldestWaitingJob: 'max by (queue) (ratewatch_queue_oldest_waiting_job_age_seconds)',
  memory: 'ratewatch_process_resident_memory_bytes',
} as const;
