import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Counts a queue's jobs by state, for the queue-depth gauge. */
export type QueueDepths = () => Promise<Record<string, Record<string, number>>>;

/**
 * Figures read when Prometheus scrapes (from MySQL and Redis), each optional: a process that cannot read one
 * simply does not export it. Every process exports the same values for the shared ones (alert rules take max).
 */
export interface ScrapedFigures {
  readonly queueDepths?: QueueDepths;
  /** Per queue, seconds its oldest job ready to run has waited. */
  readonly queueWaits?: () => Promise<Record<string, number>>;
  /** Per delivery channel: changes still owed, since when the oldest, and those given up on in the last day. */
  readonly deliveries?: () => Promise<
    readonly { channel: string; pending: number; oldestPendingAt: Date | null; failed: number }[]
  >;
  /** When the last evaluation run finished. */
  readonly lastEvaluation?: () => Promise<Date | undefined>;
  /** Each series' latest reported minute (bounded: series whose minutes are still kept). */
  readonly lastReported?: () => Promise<readonly { source: string; environment: string; lastMinute: Date }[]>;
  /** The wall clock, in epoch milliseconds, for ages and lags. */
  readonly nowMs?: () => number;
}

/**
 * The Prometheus metrics of one process (every process serves its own; Prometheus sums the counters). Named
 * `ratewatch_*`; counters and only counters end in `_total`; durations, ages and times are in seconds, as
 * `promtool check metrics` asks.
 */
export interface Metrics {
  readonly registry: Registry;
  postAccepted(minutes: number, onboarded: number): void;
  postRejected(reason: string): void;
  /** Sources onboarded by a post of another kind than counts (API calls). */
  sourcesOnboarded(count: number): void;
  evaluationRun(seconds: number, series: number, trigger: string): void;
  /** A tick between the hourly runs finished: its wall time (enqueue to finish) and the series it judged. */
  evaluationTick(seconds: number, series: number): void;
  finding(metric: string, severity: string, muted: boolean): void;
  alertRaised(metric: string, severity: string, outcome: 'created' | 'merged'): void;
  /** Alert changes delivered to a channel (`sent`) or given up on after the last attempt (`failed`). */
  notification(channel: 'slack' | 'email' | 'escalate', outcome: 'sent' | 'failed', count?: number): void;
}

export function createMetrics(options: ScrapedFigures & { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) processMetrics(registry);
  const counters = eventMetrics(registry);
  scrapedMetrics(registry, options);
  return { registry, ...counters };
}

/**
 * Node's process metrics, less the three gauges prom-client names with `_total` (promtool: only counters may):
 * the same figures stay, by type, as `ratewatch_nodejs_active_{handles,requests,resources}`.
 */
function processMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: 'ratewatch_' });
  for (const name of ['active_handles', 'active_requests', 'active_resources'])
    registry.removeSingleMetric(`ratewatch_nodejs_${name}_total`);
}

function eventMetrics(registry: Registry): Omit<Metrics, 'registry'> {
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] });
  const posts = counter(
    'ratewatch_ingest_posts_total',
    'POST /v1/counts requests, by outcome and (for rejections) reason',
    ['outcome', 'reason'],
  );
  const rows = counter(
    'ratewatch_ingest_rows_stored_total',
    'Source-minute rows stored by ingest (re-posts included)',
  );
  const onboarded = counter(
    'ratewatch_sources_onboarded_total',
    'Sources onboarded by the shared ingest token',
  );
  const runs = new Histogram({
    name: 'ratewatch_evaluation_run_duration_seconds',
    help: 'Hourly evaluation runs, from start to finish, by trigger',
    labelNames: ['trigger'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  const ticks = new Histogram({
    name: 'ratewatch_evaluation_tick_duration_seconds',
    help: 'Ticks between the hourly runs (every EVALUATE_EVERY_MINUTES), from start to finish',
    buckets: [1, 5, 15, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const series = counter(
    'ratewatch_evaluation_series_total',
    'Series and APIs evaluated (one per payment series or API and hour)',
  );
  const tickSeries = counter(
    'ratewatch_evaluation_tick_series_total',
    'Series and APIs judged by ticks (one per payment series or API and tick)',
  );
  const findings = counter(
    'ratewatch_findings_total',
    'Findings of detection, by metric, severity and whether a mute silenced them',
    ['metric', 'severity', 'muted'],
  );
  const alerts = counter(
    'ratewatch_alerts_total',
    'Alerts opened or merged into (by evaluations and POST /v1/alerts), by metric and severity',
    ['metric', 'severity', 'outcome'],
  );
  const notifications = counter(
    'ratewatch_notifications_total',
    'Alert changes delivered (sent) or given up on after the last attempt (failed), by channel',
    ['channel', 'outcome'],
  );
  return {
    postAccepted: (count, created) => {
      posts.inc({ outcome: 'accepted', reason: '' });
      rows.inc(count);
      if (created > 0) onboarded.inc(created);
    },
    postRejected: (reason) => posts.inc({ outcome: 'rejected', reason }),
    sourcesOnboarded: (count) => onboarded.inc(count),
    evaluationRun: (seconds, count, trigger) => {
      runs.observe({ trigger }, seconds);
      series.inc(count);
    },
    evaluationTick: (seconds, count) => {
      ticks.observe(seconds);
      tickSeries.inc(count);
    },
    finding: (metric, severity, muted) => findings.inc({ metric, severity, muted: String(muted) }),
    alertRaised: (metric, severity, outcome) => alerts.inc({ metric, severity, outcome }),
    notification: (channel, outcome, count = 1) => notifications.inc({ channel, outcome }, count),
  };
}

/** Gauges read at scrape time: queues, the outbox, the last evaluation, each source's reporting lag. */
function scrapedMetrics(registry: Registry, figures: ScrapedFigures): void {
  const nowMs = figures.nowMs ?? Date.now;
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });
  const { queueDepths, queueWaits, deliveries, lastEvaluation, lastReported } = figures;
  if (queueDepths)
    gauge('ratewatch_queue_jobs', 'Jobs in each queue by state', ['queue', 'state'], async (g) => {
      for (const [queue, counts] of Object.entries(await queueDepths()))
        for (const [state, count] of Object.entries(counts)) g.set({ queue, state }, count);
    });
  if (queueWaits)
    gauge(
      'ratewatch_queue_oldest_waiting_job_age_seconds',
      'How long the oldest job ready to run has waited for a worker, per queue (0: none waits)',
      ['queue'],
      async (g) => {
        for (const [queue, age] of Object.entries(await queueWaits())) g.set({ queue }, age);
      },
    );
  if (deliveries) deliveryGauges(gauge, deliveries, nowMs);
  if (lastEvaluation)
    gauge(
      'ratewatch_evaluation_last_completed_timestamp_seconds',
      'When the last evaluation run finished (Unix time; absent before the first)',
      [],
      async (g) => {
        const at = await lastEvaluation();
        if (at) g.set(at.getTime() / 1000);
      },
    );
  if (lastReported) reportingLagGauge(gauge, lastReported, nowMs);
}

type GaugeFactory = (
  name: string,
  help: string,
  labels: string[],
  collect: (g: Gauge) => Promise<void>,
) => Gauge;

function deliveryGauges(
  gauge: GaugeFactory,
  deliveries: NonNullable<ScrapedFigures['deliveries']>,
  nowMs: () => number,
) {
  // Three small reads per scrape: the owed rows are few, and read by the (state, released_at) index.
  const once = deliveries;
  gauge(
    'ratewatch_deliveries_pending',
    'Alert changes owed to a channel and not delivered yet (the outbox)',
    ['channel'],
    async (g) => {
      for (const row of await once()) g.set({ channel: row.channel }, row.pending);
    },
  );
  gauge(
    'ratewatch_deliveries_oldest_pending_age_seconds',
    'How long the oldest change still owed to a channel has been due (0: none owed)',
    ['channel'],
    async (g) => {
      for (const row of await once())
        g.set(
          { channel: row.channel },
          row.oldestPendingAt ? Math.max(0, (nowMs() - row.oldestPendingAt.getTime()) / 1000) : 0,
        );
    },
  );
  gauge(
    'ratewatch_deliveries_failed',
    'Alert changes a channel gave up on (after the last attempt) in the last 24 hours',
    ['channel'],
    async (g) => {
      for (const row of await once()) g.set({ channel: row.channel }, row.failed);
    },
  );
}

/**
 * Per series, the lag at scrape time from a reading cached for a minute of wall-clock time: one index lookup per
 * series (0.22–0.30 s at 10,000 series here: npm run bench:reporting-lag) at most once a minute per process, however often it is scraped.
 */
function reportingLagGauge(
  gauge: GaugeFactory,
  lastReported: NonNullable<ScrapedFigures['lastReported']>,
  nowMs: () => number,
) {
  let cached: { readAt: number; rows: Awaited<ReturnType<typeof lastReported>> } | undefined;
  gauge(
    'ratewatch_source_reporting_lag_seconds',
    "Seconds since the start of a source's last reported minute, per source and environment (series with minutes still kept)",
    ['source', 'environment'],
    async (g) => {
      if (!cached || Date.now() - cached.readAt > 60_000)
        cached = { readAt: Date.now(), rows: await lastReported() };
      const now = nowMs();
      for (const { source, environment, lastMinute } of cached.rows)
        g.set({ source, environment }, Math.max(0, (now - lastMinute.getTime()) / 1000));
    },
  );
}
