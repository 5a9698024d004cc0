/** The BullMQ queues. Every process with the worker role consumes all of them. */
export const QUEUE = {
  /** Hourly evaluation: one job per hour that fans out into series batches, and the hour's finishing job. */
  evaluation: 'evaluation',
  /** Model training, retention clean-up, rollup flushing, catch-up. */
  maintenance: 'maintenance',
  /** Slack cards, digests, announcements. */
  notifications: 'notifications',
  /** Alert email, fallback email, escalations. */
  email: 'email',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** Job names, by queue. */
export const JOB = {
  evaluateHour: 'evaluate-hour',
  evaluateSeries: 'evaluate-series',
  finishHour: 'finish-hour',
  trainModels: 'train-models',
  trainSeries: 'train-series',
  retention: 'retention',
  flushRollups: 'flush-rollups',
  catchUp: 'catch-up',
  /** notifications queue (Slack): a finished run's alert changes (cards or a digest), one alert's change. */
  notifyRun: 'notify-run',
  notifyAlert: 'notify-alert',
  /** notifications queue: new sources onboarded by the shared ingest token. */
  announceSources: 'announce-sources',
  /** notifications queue: a reply in an alert card's thread (escalation mentions the on-call group). */
  slackThreadReply: 'slack-thread-reply',
  /** notifications queue: the alert's chart (PNG) in its card's thread, once per severity level reached. */
  slackChart: 'slack-chart',
  /** email queue: a finished run's alert changes (one digest per recipient), one alert's change, Slack's failures. */
  emailRun: 'email-run',
  emailAlert: 'email-alert',
  emailFallback: 'email-fallback',
  /** email queue, delayed: escalates a critical alert nobody acknowledged in time. */
  escalate: 'escalate',
} as const;
