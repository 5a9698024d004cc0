import type { ApiSeriesInfo } from '../storage/api-call-reads.js';
import type { RunTrigger } from '../storage/evaluation-runs.js';
import type { SeriesInfo } from '../storage/sources.js';
import { JOB, QUEUE, type QueueName } from './names.js';

/** `evaluate-hour`: evaluate the hour starting `hourStart` (ISO). */
export interface EvaluateHourData {
  readonly hourStart: string;
  readonly trigger: RunTrigger;
  /** During catch-up: the last missed hour; finishing this hour starts the next one. */
  readonly catchUpUntil?: string | undefined;
}

/** `evaluate-series`: one batch of series of an hour. */
export interface EvaluateSeriesData {
  readonly hourStart: string;
  /** When the hour's evaluation started: every batch's findings share it as window_end. */
  readonly evaluatedAt: string;
  readonly series: readonly SeriesInfo[];
  /** A batch of APIs instead (then `series` is empty): judged by src/evaluation/evaluate-api-batch.ts. */
  readonly apis?: readonly ApiSeriesInfo[] | undefined;
}

/** `finish-hour`: the flow parent of an hour's batches. */
export interface FinishHourData {
  readonly hourStart: string;
  readonly catchUpUntil?: string | undefined;
}

/**
 * `evaluate-tick`: judge the minutes of the current hour before `at` (ISO, a whole minute; at :00 the closing
 * tick of the hour before, silence only).
 */
export interface EvaluateTickData {
  readonly at: string;
}

/** `evaluate-tick-series`: one batch of series of a tick. */
export interface EvaluateTickSeriesData {
  readonly at: string;
  /** When the tick started: its changes' time, and the start of its duration. */
  readonly evaluatedAt: string;
  readonly series: readonly SeriesInfo[];
  /** A batch of APIs instead (then `series` is empty): judged by src/evaluation/api-tick.ts. */
  readonly apis?: readonly ApiSeriesInfo[] | undefined;
}

/** `finish-tick`: the flow parent of a tick's batches. */
export interface FinishTickData {
  readonly at: string;
  readonly evaluatedAt: string;
}

/** `train-models`: retrain at this cut-off (ISO): trees learn from the history before it. */
export interface TrainModelsData {
  readonly cutoff: string;
}

/** `train-series`: one batch of series to train at the cut-off. */
export interface TrainSeriesData {
  readonly cutoff: string;
  readonly series: readonly SeriesInfo[];
}

/**
 * `notify-run` and `email-run`: a finished evaluation run's batch of alert changes (read from the outbox when
 * the job runs). `attempt`: the sweep's re-enqueue number, part of the ids of the jobs this one adds.
 */
export interface RunDeliveryData {
  readonly batchId: number;
  readonly attempt?: number | undefined;
}

/** `notify-alert`, `email-alert`, `email-fallback`: one alert's change, by revision. */
export interface NotifyAlertData {
  readonly alertId: number;
  readonly revision: number;
  /** The second try at a card Slack failed to deliver, after the email fallback took it. */
  readonly late?: boolean;
}

/** `slack-thread-reply`: mrkdwn text posted in the alert card's thread once per dedupeKey. */
export interface SlackThreadReplyData {
  readonly alertId: number;
  readonly text: string;
  readonly dedupeKey: string;
}

/** `slack-chart`: upload the alert's chart into its card's thread, once for this severity level. */
export interface SlackChartData {
  readonly alertId: number;
  readonly severity: string;
}

/** `escalate`: check whether the alert is due to escalate. */
export interface EscalateData {
  readonly alertId: number;
}

/** Jobs that carry nothing: what they work on is read from MySQL when they run. */
export type NoData = Record<string, never>;

/**
 * Every job: its name and the payload it carries. Adding a job means adding it here (and to JOB and
 * JOB_QUEUE); the compiler then asks for its handler (jobs/index.ts).
 */
export interface JobCatalogue {
  [JOB.evaluateHour]: EvaluateHourData;
  [JOB.evaluateSeries]: EvaluateSeriesData;
  [JOB.finishHour]: FinishHourData;
  [JOB.evaluateTick]: EvaluateTickData;
  [JOB.evaluateTickSeries]: EvaluateTickSeriesData;
  [JOB.finishTick]: FinishTickData;
  [JOB.trainModels]: TrainModelsData;
  [JOB.trainSeries]: TrainSeriesData;
  [JOB.retention]: NoData;
  [JOB.flushRollups]: NoData;
  [JOB.catchUp]: NoData;
  [JOB.notifyRun]: RunDeliveryData;
  [JOB.notifyAlert]: NotifyAlertData;
  [JOB.announceSources]: NoData;
  [JOB.slackThreadReply]: SlackThreadReplyData;
  [JOB.slackChart]: SlackChartData;
  [JOB.emailRun]: RunDeliveryData;
  [JOB.emailAlert]: NotifyAlertData;
  [JOB.emailFallback]: NotifyAlertData;
  [JOB.escalate]: EscalateData;
}

export type JobName = keyof JobCatalogue;
export type JobData<N extends JobName> = JobCatalogue[N];

/** The queue each job runs on. */
export const JOB_QUEUE = {
  [JOB.evaluateHour]: QUEUE.evaluation,
  [JOB.evaluateSeries]: QUEUE.evaluation,
  [JOB.finishHour]: QUEUE.evaluation,
  [JOB.evaluateTick]: QUEUE.evaluation,
  [JOB.evaluateTickSeries]: QUEUE.evaluation,
  [JOB.finishTick]: QUEUE.evaluation,
  [JOB.trainModels]: QUEUE.maintenance,
  [JOB.trainSeries]: QUEUE.maintenance,
  [JOB.retention]: QUEUE.maintenance,
  [JOB.flushRollups]: QUEUE.maintenance,
  [JOB.catchUp]: QUEUE.maintenance,
  [JOB.notifyRun]: QUEUE.notifications,
  [JOB.notifyAlert]: QUEUE.notifications,
  [JOB.announceSources]: QUEUE.notifications,
  [JOB.slackThreadReply]: QUEUE.notifications,
  [JOB.slackChart]: QUEUE.notifications,
  [JOB.emailRun]: QUEUE.email,
  [JOB.emailAlert]: QUEUE.email,
  [JOB.emailFallback]: QUEUE.email,
  [JOB.escalate]: QUEUE.email,
} as const satisfies Record<JobName, QueueName>;

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_QUEUE, name);
}
