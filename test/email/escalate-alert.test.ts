import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertStore } from '../../src/alerts/alert-store.js';
import type { EmailSupport } from '../../src/email/create-email.js';
import type { EmailDeps } from '../../src/email/email-deps.js';
import { escalateAlert } from '../../src/email/escalate-alert.js';
import { jobIds } from '../../src/queue/job-ids.js';
import { JOB } from '../../src/queue/names.js';
import { createDeliveryQueue } from '../../src/slack/delivery-queue.js';
import type { TestApp } from '../helpers/app.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { actOn, type EmailRig, raiseAlert, startEmailRig, stopEmailRig } from './fixtures.js';

const OPENED = new Date('2026-11-21T18:02:00Z');
const MINUTE_MS = 60_000;
let clock = OPENED;
let smtp: TestSmtpServer;
let app: TestApp;
let email: EmailSupport;
let deps: EmailDeps;

let rig: EmailRig | undefined;
let alerts: AlertStore;
beforeAll(async () => {
  rig = await startEmailRig('email_escalation', () => clock);
  ({ smtp, app, email, alerts } = rig);
  // As when Slack is configured: the thread reply goes to the notifications queue for the Slack side.
  deps = { ...email.deps, threadReply: createDeliveryQueue(app.jobs).threadReply };
});
afterAll(() => stopEmailRig(rig));

const at = (minutes: number) => new Date(OPENED.getTime() + minutes * MINUTE_MS);

describe('escalating a critical alert nobody acknowledged', () => {
  it('waits until after_minutes have passed, then emails the list and asks Slack to mention the group, once', async () => {
    clock = OPENED;
    const alert = await raiseAlert(alerts, { source: 'card-esc', severity: 'critical', at: OPENED });
    clock = at(5);
    expect(await escalateAlert(deps, alert.id)).toEqual({ kind: 'not_due', dueAt: at(15) });
    expect(smtp.to('lead@example.com')).toHaveLength(0);

    clock = at(16);
    expect(await escalateAlert(deps, alert.id)).toMatchObject({ kind: 'escalated', emailed: 1, slack: true });
    const [mail] = await smtp.waitFor(1, 'lead@example.com');
    expect(mail?.mail.subject).toMatch(/^\[ESCALATED\] \[CRITICAL\] card-esc \(production\) · failed rate/);
    expect(mail?.mail.text).toContain('Nobody acknowledged it within 15 minutes');
    const reply = await app.jobs.get(JOB.slackThreadReply, jobIds.slackThreadReply(`escalate_${alert.id}`));
    const data = reply?.data;
    expect(data).toMatchObject({ alertId: alert.id, dedupeKey: `escalate_${alert.id}` });
    expect(data?.text).toContain('<!subteam^S0123|oncall>');
    expect(data?.text).toContain('not been acknowledged for 15 minutes');

    clock = at(40);
    expect(await escalateAlert(deps, alert.id)).toMatchObject({
      kind: 'skipped',
      reason: 'already escalated',
    });
    expect(smtp.to('lead@example.com')).toHaveLength(1);
    const escalated = (await deps.alerts.events(alert.id)).filter((e) => e.kind === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0]?.detail).toEqual({ after_minutes: 15, emailed: 1, slack: true });
  });

  it('does not escalate an alert that was acknowledged in time, nor one that was resolved', async () => {
    clock = OPENED;
    const acked = await raiseAlert(alerts, { source: 'card-ack', severity: 'critical', at: OPENED });
    const resolved = await raiseAlert(alerts, { source: 'card-res', severity: 'critical', at: OPENED });
    clock = at(3);
    await actOn(alerts, { id: acked.id, action: 'acknowledge', actor: 'ana', channel: 'slack', at: clock });
    await actOn(alerts, {
      id: resolved.id,
      action: 'resolve',
      actor: 'bo',
      channel: 'api',
      at: clock,
    });
    clock = at(60);
    expect(await escalateAlert(deps, acked.id)).toMatchObject({ kind: 'skipped' });
    expect(await escalateAlert(deps, resolved.id)).toMatchObject({ kind: 'skipped' });
    const texts = smtp.received.map((r) => r.mail.subject ?? '');
    expect(texts.filter((s) => s.includes('card-ack') || s.includes('card-res'))).toEqual([]);
    for (const id of [acked.id, resolved.id])
      expect((await deps.alerts.events(id)).some((e) => e.kind === 'escalated')).toBe(false);
  });

  it('does not escalate severities the configuration leaves out', async () => {
    clock = OPENED;
    const alert = await raiseAlert(alerts, { source: 'card-high', severity: 'high', at: OPENED });
    clock = at(120);
    expect(await escalateAlert(deps, alert.id)).toMatchObject({
      kind: 'skipped',
      reason: 'it is new (high)',
    });
  });
});
