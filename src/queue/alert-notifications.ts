import type { Queue } from 'bullmq';
import type { AlertNotifications } from '../alerts/notifications.js';
import { jobIds } from './job-ids.js';
import { JOB, QUEUE } from './names.js';
import type { Queues } from './queues.js';

/** Payload of a notify-hour job. */
export interface NotifyHourData {
  readonly hourStart: string;
  readonly raised: readonly number[];
  readonly recovered: readonly number[];
}

/** Payload of a notify-alert job. */
export interface NotifyAlertData {
  readonly alertId: number;
  readonly revision: number;
}

/** Payload of a slack-thread-reply job. */
export interface SlackThreadReplyData {
  readonly alertId: number;
  /** mrkdwn text; the job posts it in the alert card's thread once per dedupeKey. */
  readonly text: string;
  readonly dedupeKey: string;
}

/** Payload of an escalate job. */
export interface EscalateData {
  readonly alertId: number;
}

/**
 * Alert changes become jobs, with ids that make each change one delivery — an hour's changes once per hour, an
 * alert's change once per revision: on the notifications queue for Slack, and (when SMTP is configured) on the
 * email queue for people without Slack. The two pipelines fail and retry independently.
 */
export function createQueuedNotifications(
  queues: Queues,
  options: { email: boolean; escalateAfterMs?: number | undefined },
): AlertNotifications {
  const slack = queues.byName[QUEUE.notifications];
  const email = queues.byName[QUEUE.email];
  const escalate = scheduleEscalations(email, options.escalateAfterMs);
  return {
    async hourEvaluated({ hourStart, raised, recovered }) {
      if (raised.length === 0 && recovered.length === 0) return;
      const data: NotifyHourData = { hourStart: hourStart.toISOString(), raised, recovered };
      await slack.add(JOB.notifyHour, data, { jobId: jobIds.notifyHour(hourStart) });
      if (options.email) await email.add(JOB.emailHour, data, { jobId: jobIds.emailHour(hourStart) });
      await escalate(raised);
    },
    async alertChanged({ id, revision }) {
      const data: NotifyAlertData = { alertId: id, revision };
      await slack.add(JOB.notifyAlert, data, { jobId: jobIds.notifyAlert(id, revision) });
      if (options.email) await email.add(JOB.emailAlert, data, { jobId: jobIds.emailAlert(id, revision) });
      await escalate([id]);
    },
  };
}

/**
 * Escalation (email side, issue 5) is scheduled here because every alert change passes here, whether Slack,
 * email or both are configured. Each opened or changed alert gets a delayed `escalate` check; the job
 * (jobs/escalate.ts) reads the alert when it runs and escalates only a still-new alert of an escalating
 * severity, waiting longer if the severity rose late. The jobId dedupes while the check waits; it is removed
 * when done, so a later severity raise schedules a fresh one (a check with nothing to do costs one SELECT).
 */
function scheduleEscalations(queue: Queue, afterMs: number | undefined) {
  return async (alertIds: readonly number[]) => {
    if (afterMs === undefined) return;
    for (const alertId of alertIds) {
      const data: EscalateData = { alertId };
      await queue.add(JOB.escalate, data, {
        jobId: jobIds.escalate(alertId),
        delay: afterMs,
        removeOnComplete: true,
      });
    }
  };
}
