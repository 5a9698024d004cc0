import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Counts a queue's jobs by state, for the queue-depth gauge. */
export type QueueDepths = () => Promise<Record<string, Record<string, number>>>;

/**
 * The Prometheus metrics of one process (every process serves its own; Prometheus sums them). Named
 * `ratewatch_*`, counters end in `_total`, durations are in seconds.
 */
export interface Metrics {
  readonly registry: Registry;
  postAccepted(minutes: number, onboarded: number): void;
  postRejected(reason: string): void;
  /** Sources onboarded by a post of another kind than counts (API calls). */
  sourcesOnboarded(count: number): void;
  evaluationRun(seconds: number, series: number, trigger: string): void;
  finding(metric: string, severity: string, muted: boolean): void;
  alertRaised(metric: string, severity: string, outcome: 'created' | 'merged'): void;
  notification(channel: 'slack' | 'email', outcome: 'sent' | 'failed'): void;
}

export function createMetrics(
  options: { queueDepths?: QueueDepths; defaultMetrics?: boolean } = {},
): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'ratewatch_' });
  const posts = new Counter({
    name: 'ratewatch_ingest_posts_total',
    help: 'POST /v1/counts requests, by outcome and (for rejections) reason',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  const minutes = new Counter({
    name: 'ratewatch_ingest_minutes_stored_total',
    help: 'Source-minutes stored (re-posts included)',
    registers: [registry],
  });
  const onboarded = new Counter({
    name: 'ratewatch_sources_onboarded_total',
    help: 'Sources onboarded by the shared ingest token',
    registers: [registry],
  });
  const runs = new Histogram({
    name: 'ratewatch_evaluation_run_duration_seconds',
    help: 'Hourly evaluation runs, from start to finish, by trigger',
    labelNames: ['trigger'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const series = new Counter({
    name: 'ratewatch_evaluation_series_total',
    help: 'Series evaluated (one per series and hour)',
    registers: [registry],
  });
  const findings = new Counter({
    name: 'ratewatch_findings_total',
    help: 'Findings of detection, by metric, severity and whether a mute silenced them',
    labelNames: ['metric', 'severity', 'muted'],
    registers: [registry],
  });
  const alerts = new Counter({
    name: 'ratewatch_alerts_total',
    help: 'Alerts opened or merged into, by metric and severity',
    labelNames: ['metric', 'severity', 'outcome'],
    registers: [registry],
  });
  const notifications = new Counter({
    name: 'ratewatch_notifications_total',
    help: 'Alert notifications delivered or failed for good, by channel',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const queueDepths = options.queueDepths;
  if (queueDepths) {
    new Gauge({
      name: 'ratewatch_queue_jobs',
      help: 'Jobs in each queue by state',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const [queue, counts] of Object.entries(await queueDepths())) {
          for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
        }
      },
    });
  }
  return {
    registry,
    postAccepted: (count, created) => {
      posts.inc({ outcome: 'accepted', reason: '' });
      minutes.inc(count);
      if (created > 0) onboarded.inc(created);
    },
    postRejected: (reason) => posts.inc({ outcome: 'rejected', reason }),
    sourcesOnboarded: (count) => onboarded.inc(count),
    evaluationRun: (seconds, count, trigger) => {
      runs.observe({ trigger }, seconds);
      series.inc(count);
    },
    finding: (metric, severity, muted) => findings.inc({ metric, severity, muted: String(muted) }),
    alertRaised: (metric, severity, outcome) => alerts.inc({ metric, severity, outcome }),
    notification: (channel, outcome) => notifications.inc({ channel, outcome }),
  };
}
