import type { AlertNotifications } from '../alerts/notifications.js';
import { jobIds } from './job-ids.js';
import type { JobQueue } from './job-queue.js';
import { JOB } from './names.js';

/**
 * Alert changes become jobs, with ids that make each change one delivery — an hour's changes once per hour, an
 * alert's change once per revision: on the notifications queue for Slack, and (when SMTP is configured) on the
 * email queue for people without Slack. The two pipelines fail and retry independently.
 */
export function createQueuedNotifications(
  jobs: JobQueue,
  options: { email: boolean; escalateAfterMs?: number | undefined },
): AlertNotifications {
  const escalate = scheduleEscalations(jobs, options.escalateAfterMs);
  return {
    async hourEvaluated({ hourStart, raised, recovered }) {
      if (raised.length === 0 && recovered.length === 0) return;
      const data = { hourStart: hourStart.toISOString(), raised, recovered };
      await jobs.add(JOB.notifyHour, data, { jobId: jobIds.notifyHour(hourStart) });
      if (options.email) await jobs.add(JOB.emailHour, data, { jobId: jobIds.emailHour(hourStart) });
      await escalate(raised);
    },
    async alertChanged({ id, revision }) {
      const data = { alertId: id, revision };
      await jobs.add(JOB.notifyAlert, data, { jobId: jobIds.notifyAlert(id, revision) });
      if (options.email) await jobs.add(JOB.emailAlert, data, { jobId: jobIds.emailAlert(id, revision) });
      await escalate([id]);
    },
  };
}

/**
 * Escalation is scheduled here because every alert change passes here, whether Slack, email or both are
 * configured. Each opened or changed alert gets a delayed `escalate` check; the job (src/email/escalate-alert.ts) reads
 * the alert when it runs and escalates only a still-new alert of an escalating severity, waiting longer if the
 * severity rose late. The jobId dedupes while the check waits; it is removed when done, so a later severity
 * raise schedules a fresh one (a check with nothing to do costs one SELECT).
 */
function scheduleEscalations(jobs: JobQueue, afterMs: number | undefined) {
  return async (alertIds: readonly number[]) => {
    if (afterMs === undefined) return;
    for (const alertId of alertIds) {
      await jobs.add(
        JOB.escalate,
        { alertId },
        { jobId: jobIds.escalate(alertId), delay: afterMs, removeOnComplete: true },
      );
    }
  };
}
