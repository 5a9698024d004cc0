import type { AlertReader } from '../src/alerts/alert-store.js';
import type { EmailDeps } from '../src/email/email-deps.js';
import type { HourRunDeps } from '../src/evaluation/hour-run.js';
import type { Logger } from '../src/logger.js';
import type { Metrics } from '../src/metrics/metrics.js';
import type { JobQueue } from '../src/queue/job-queue.js';
import { JOB } from '../src/queue/names.js';
import type { JobHandlers } from '../src/queue/workers.js';
import type { SlackDelivery } from '../src/slack/delivery.js';
import type { ApiCallStore } from '../src/storage/api-calls.js';
import type { DeliveryStore } from '../src/storage/deliveries.js';
import { createCatchUpHandler } from './catch-up.js';
import { createDeliveryMarks } from './delivery-marks.js';
import { createEmailAlertHandler } from './email-alert.js';
import { createEmailFallbackHandler } from './email-fallback.js';
import { createEmailRunHandler } from './email-run.js';
import { createEscalateHandler } from './escalate.js';
import { createEvaluateHourHandler } from './evaluate-hour.js';
import { createEvaluateSeriesHandler } from './evaluate-series.js';
import { createEvaluateTickHandler } from './evaluate-tick.js';
import { createEvaluateTickSeriesHandler } from './evaluate-tick-series.js';
import { createFinishHourHandler } from './finish-hour.js';
import { createFinishTickHandler } from './finish-tick.js';
import { createFlushRollupsHandler, createRetentionHandler } from './maintenance.js';
import { createLogNotifyHandlers } from './notify-log.js';
import { createSlackHandlers } from './slack-handlers.js';
import { createTrainModelsHandler, createTrainSeriesHandler } from './train-models.js';

/** Everything the job handlers need; built once by src/app.ts. */
export interface JobDeps {
  readonly run: HourRunDeps;
  readonly jobs: JobQueue;
  readonly alerts: AlertReader;
  readonly retention: { readonly minuteDays: number; readonly rollupDays: number };
  /** API calls' rollups and retention (flush-rollups, retention). */
  readonly apiCalls: Pick<ApiCallStore, 'flushRollups' | 'deleteExpired'>;
  readonly catchUpMaxHours: number;
  /** Email delivery and escalation (src/email/create-email.ts). */
  readonly email: EmailDeps;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Slack delivery (src/slack/setup.ts); undefined when Slack is off and the log stand-in takes its jobs. */
  readonly slack?: SlackDelivery | undefined;
  /** The outbox: delivery jobs read run batches from it and mark what they delivered; retention purges it. */
  readonly ledger: DeliveryStore;
  readonly metrics?: Pick<Metrics, 'notification'> | undefined;
}

/** Every job's handler, by job name (see jobs/README.md for the table). */
export function jobHandlers(deps: JobDeps): JobHandlers {
  const { run, jobs, now, ledger } = deps;
  const marks = createDeliveryMarks({ ledger, metrics: deps.metrics, now });
  const email = { email: deps.email, ledger, marks };
  return {
    [JOB.evaluateHour]: createEvaluateHourHandler({ run, jobs, now }),
    [JOB.evaluateSeries]: createEvaluateSeriesHandler(run),
    [JOB.finishHour]: createFinishHourHandler({ run, jobs, now }),
    [JOB.evaluateTick]: createEvaluateTickHandler({ run, jobs, now }),
    [JOB.evaluateTickSeries]: createEvaluateTickSeriesHandler(run),
    [JOB.finishTick]: createFinishTickHandler({ run, now }),
    [JOB.trainModels]: createTrainModelsHandler({
      sources: run.sources,
      counts: run.counts,
      jobs,
      activeDays: run.activeDays,
    }),
    [JOB.trainSeries]: createTrainSeriesHandler(run),
    [JOB.retention]: createRetentionHandler({
      counts: run.counts,
      apiCalls: deps.apiCalls,
      models: run.models,
      bands: run.bands,
      apiBands: run.apiBands,
      apiModels: run.apiModels,
      deliveries: ledger,
      retention: deps.retention,
      retrainHours: run.retrainHours,
      now,
    }),
    [JOB.flushRollups]: createFlushRollupsHandler({ counts: run.counts, apiCalls: deps.apiCalls }),
    [JOB.catchUp]: createCatchUpHandler({ runs: run.runs, jobs, maxHours: deps.catchUpMaxHours, now }),
    ...(deps.slack
      ? createSlackHandlers({ delivery: deps.slack, ledger, marks })
      : createLogNotifyHandlers({ alerts: deps.alerts, ledger, marks, logger: deps.logger })),
    [JOB.emailRun]: createEmailRunHandler(email),
    [JOB.emailAlert]: createEmailAlertHandler(email),
    [JOB.emailFallback]: createEmailFallbackHandler(deps.email),
    [JOB.escalate]: createEscalateHandler(email),
  };
}
