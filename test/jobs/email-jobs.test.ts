import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertStore } from '../../src/alerts/alert-store.js';
import type { EmailSupport } from '../../src/email/create-email.js';
import type { EmailDeps } from '../../src/email/email-deps.js';
import type { NotifyAlertData } from '../../src/queue/job-data.js';
import { jobIds } from '../../src/queue/job-ids.js';
import { JOB } from '../../src/queue/names.js';
import { type EmailRig, raiseAlert, startEmailRig, stopEmailRig } from '../email/fixtures.js';
import { API_TOKEN, type TestApp } from '../helpers/app.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { waitFor } from '../helpers/wait-for.js';

const START = new Date('2026-11-21T18:02:00Z');
let clock = START;
let smtp: TestSmtpServer;
let app: TestApp;
let email: EmailSupport;
let deps: EmailDeps;

let rig: EmailRig | undefined;
let alerts: AlertStore;
beforeAll(async () => {
  rig = await startEmailRig('email_worker', () => clock, { ROLES: 'web,worker' });
  ({ smtp, app, email, alerts } = rig);
  deps = email.deps;
});
afterAll(() => stopEmailRig(rig));
beforeEach(() => smtp.refuse(undefined));

const emailQueue = () => app.queues.byName.email;
const jobState = async (id: string) => (await emailQueue().getJob(id))?.getState();

describe('email jobs on the real queue', () => {
  it('carries an alert to the fallback recipients when Slack delivery finally failed', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-fb', severity: 'high', at: clock });
    const data: NotifyAlertData = { alertId: alert.id, revision: alert.revision };
    // What the Slack side enqueues after its last attempt failed.
    await app.jobs.add(JOB.emailFallback, data, {
      jobId: jobIds.emailFallback(alert.id, alert.revision),
    });
    const [mail] = await smtp.waitFor(1, 'fallback@example.com');
    expect(mail?.mail.subject).toMatch(/card-fb/);
    const event = await waitFor(
      async () =>
        (await deps.alerts.events(alert.id)).find((e) => e.kind === 'notified' && e.channel === 'email'),
      'the notified event',
    );
    expect(event.detail).toEqual({ kind: 'fallback', recipients: 1 });
  });

  it('retries a 451 with backoff until the server takes the email, and sends it once', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-451', severity: 'low', at: clock });
    smtp.refuse((to) =>
      to === 'ops@example.com' ? { code: 451, message: 'greylisted, try later' } : undefined,
    );
    const jobId = jobIds.emailAlert(alert.id, alert.revision);
    await app.jobs.add(JOB.emailAlert, { alertId: alert.id, revision: alert.revision }, { jobId });
    await waitFor(
      async () => ((await emailQueue().getJob(jobId))?.attemptsMade ?? 0) >= 1,
      'a first attempt',
    );
    expect(await jobState(jobId)).not.toBe('failed');
    smtp.refuse(undefined);
    await waitFor(async () => (await jobState(jobId)) === 'completed', 'the job to complete');
    const toOps = smtp.to('ops@example.com').filter((r) => r.mail.subject?.includes('card-451'));
    expect(toOps).toHaveLength(1);
    expect(smtp.to('finance@example.com').filter((r) => r.mail.subject?.includes('card-451'))).toHaveLength(
      1,
    );
  });

  it('fails a 550 for good after one attempt', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-550', severity: 'low', at: clock });
    smtp.refuse((to) =>
      to === 'ops@example.com' ? { code: 550, message: 'mailbox unavailable' } : undefined,
    );
    const jobId = jobIds.emailAlert(alert.id, alert.revision);
    await app.jobs.add(JOB.emailAlert, { alertId: alert.id, revision: alert.revision }, { jobId });
    await waitFor(async () => (await jobState(jobId)) === 'failed', 'the job to fail');
    const job = await emailQueue().getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain('550');
  });
});

describe('escalation scheduled by the alert change itself', () => {
  const raiseCritical = async (source: string) => {
    const response = await app.request('/v1/alerts', {
      token: API_TOKEN,
      method: 'POST',
      json: { source, metric: 'failed', severity: 'critical' },
    });
    return ((await response.json()) as { alert: { id: number } }).alert.id;
  };

  it('fires when the delayed job comes due and the alert is still new', async () => {
    clock = START;
    const id = await raiseCritical('card-late');
    const job = await emailQueue().getJob(jobIds.escalate(id));
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(15 * 60_000);
    // Promoted too early (the clock says no time passed): the job runs, finds it not due, and waits again.
    await job?.promote();
    const jobId = jobIds.escalate(id);
    await waitFor(async () => {
      const again = await emailQueue().getJob(jobId);
      return !!again?.attemptsStarted && (await again.getState()) === 'delayed';
    }, 'the early run to wait again');
    expect(smtp.to('lead@example.com').filter((r) => r.mail.subject?.includes('card-late'))).toHaveLength(0);
    clock = new Date(START.getTime() + 16 * 60_000); // the delay passed
    await (await emailQueue().getJob(jobId))?.promote();
    await smtp.waitFor(1, 'lead@example.com');
    const escalated = await waitFor(
      async () => (await deps.alerts.events(id)).find((e) => e.kind === 'escalated'),
      'the escalated event',
    );
    expect(escalated.detail).toMatchObject({ emailed: 1 });
  });

  it('does nothing when the alert was acknowledged before the delay passed', async () => {
    clock = START;
    const id = await raiseCritical('card-acked');
    await app.request(`/v1/alerts/${id}/acknowledge`, {
      token: API_TOKEN,
      method: 'POST',
      json: { actor: 'ana' },
    });
    const job = await emailQueue().getJob(jobIds.escalate(id));
    clock = new Date(START.getTime() + 16 * 60_000);
    await job?.promote();
    await waitFor(async () => !(await emailQueue().getJob(jobIds.escalate(id))), 'the check to finish');
    expect((await deps.alerts.events(id)).some((e) => e.kind === 'escalated')).toBe(false);
    expect(smtp.to('lead@example.com').filter((r) => r.mail.subject?.includes('card-acked'))).toHaveLength(0);
  });
});
