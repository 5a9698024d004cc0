import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertStore } from '../../src/alerts/alert-store.js';
import { emailAlertChange, emailFallback } from '../../src/email/alert-emails.js';
import type { EmailSupport } from '../../src/email/create-email.js';
import type { EmailDeps } from '../../src/email/email-deps.js';
import { emailRun } from '../../src/email/run-emails.js';
import { EmailRefusedError } from '../../src/email/send-emails.js';
import type { TestSmtpServer } from '../helpers/smtp.js';
import { actOn, type EmailRig, PUBLIC_URL, raiseAlert, startEmailRig, stopEmailRig } from './fixtures.js';

const NOW = new Date('2026-11-21T18:02:30Z');
let smtp: TestSmtpServer;
let email: EmailSupport;
let deps: EmailDeps;

let rig: EmailRig | undefined;
let alerts: AlertStore;
beforeAll(async () => {
  rig = await startEmailRig('email_jobs', () => NOW);
  ({ smtp, email, alerts } = rig);
  deps = email.deps;
});
afterAll(() => stopEmailRig(rig));
beforeEach(() => smtp.refuse(undefined));

const recipientsOf = (alertId: number) =>
  smtp.received
    .filter((r) => r.mail.text?.includes(`#${alertId}`))
    .flatMap((r) => r.to)
    .sort();

describe('email-alert', () => {
  it('sends each alert to the recipients its routing names, and nobody else', async () => {
    const card = await raiseAlert(alerts, { source: 'card-eu', severity: 'high', at: NOW });
    const wallet = await raiseAlert(alerts, { source: 'wallet-us', severity: 'critical', at: NOW });
    await emailAlertChange(deps, card.id, card.revision);
    await emailAlertChange(deps, wallet.id, wallet.revision);
    expect(recipientsOf(card.id)).toEqual(['finance@example.com', 'ops@example.com']);
    expect(recipientsOf(wallet.id)).toEqual(['cto@example.com', 'ops@example.com']);
  });

  it('renders the facts of the Slack card in the HTML and the text part, with signed links', async () => {
    const alert = await raiseAlert(alerts, {
      source: 'card-eu',
      metric: 'denied',
      severity: 'high',
      at: NOW,
      title: 'denied <b>rate</b> 3.1% & more',
    });
    await emailAlertChange(deps, alert.id, alert.revision);
    const [received] = await smtp
      .waitFor(1, 'finance@example.com')
      .then((all) => all.filter((r) => r.mail.subject?.includes('denied')));
    const mail = received?.mail;
    expect(mail?.subject).toBe('[HIGH] card-eu (production) · denied rate 3.1 % (normal 0.9 %)');
    for (const part of [mail?.html || '', mail?.text || '']) {
      expect(part).toContain('card-eu (production) · denied rate 3.1 % (normal 0.9 %)');
      expect(part).toContain(
        '≈ 1,086 more declines than normal: 1,530 of 49,355 transactions (≈ 444 expected)',
      );
      expect(part).toContain('Sat 21 Nov 18:00–19:02 Europe/Berlin (17:00–18:02 UTC)');
      expect(part).toContain('both models agree; well outside normal (score 7.2)');
      expect(part).toContain(`#${alert.id}`);
    }
    expect(mail?.html).toMatch(
      new RegExp(`href="${PUBLIC_URL}/email/actions/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"`),
    );
    expect(mail?.text).toMatch(/Acknowledge: https:\/\/ratewatch\.example\.com\/email\/actions\//);
    expect(mail?.html).toMatch(
      new RegExp(
        `href="${PUBLIC_URL}/alerts/${alert.id}\\?t=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"[^>]*>View alert<`,
      ),
    );
    expect(mail?.text).toContain(
      `View alert (chart, facts, audit trail): ${PUBLIC_URL}/alerts/${alert.id}?t=`,
    );
    expect(mail?.messageId).toMatch(/@ratewatch\.example\.com>?$/);
  });

  it('sends nothing twice when the job is retried, and tells recipients when the alert resolves', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-fr', severity: 'medium', at: NOW });
    await emailAlertChange(deps, alert.id, alert.revision);
    await emailAlertChange(deps, alert.id, alert.revision);
    expect(recipientsOf(alert.id)).toEqual(['finance@example.com', 'ops@example.com']);
    const resolved = await actOn(alerts, {
      id: alert.id,
      action: 'resolve',
      actor: 'ana',
      channel: 'api',
      at: NOW,
    });
    await emailAlertChange(deps, alert.id, resolved.revision);
    await emailAlertChange(deps, alert.id, resolved.revision);
    const subjects = smtp
      .to('ops@example.com')
      .map((r) => r.mail.subject)
      .filter((s) => s?.includes('card-fr'));
    expect(subjects).toEqual([
      expect.stringMatching(/^\[MEDIUM\]/),
      expect.stringMatching(/^\[RESOLVED\] \[MEDIUM\]/),
    ]);
    const notified = (await deps.alerts.events(alert.id)).filter(
      (e) => e.kind === 'notified' && e.channel === 'email',
    );
    expect(notified.map((e) => e.detail)).toEqual([
      { kind: 'opened', recipients: 2 },
      { kind: 'resolved', recipients: 2 },
    ]);
  });
});

describe('SMTP failures', () => {
  it('retries a 451 (the job throws a retryable error) and then sends exactly once', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-it', severity: 'low', at: NOW });
    smtp.refuse((to) =>
      to === 'ops@example.com' ? { code: 451, message: 'mailbox busy, try later' } : undefined,
    );
    const failure = await emailAlertChange(deps, alert.id, alert.revision).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(EmailRefusedError);
    expect(recipientsOf(alert.id)).toEqual(['finance@example.com']);
    smtp.refuse(undefined);
    await emailAlertChange(deps, alert.id, alert.revision);
    expect(recipientsOf(alert.id)).toEqual(['finance@example.com', 'ops@example.com']);
  });

  it('does not retry a 550: the job fails for good and the audit trail says why', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-es', severity: 'low', at: NOW });
    smtp.refuse((to) => (to === 'finance@example.com' ? { code: 550, message: 'no such user' } : undefined));
    await expect(emailAlertChange(deps, alert.id, alert.revision)).rejects.toBeInstanceOf(EmailRefusedError);
    smtp.refuse(undefined);
    await emailAlertChange(deps, alert.id, alert.revision); // a retry anyway: the refused email is not sent again
    expect(recipientsOf(alert.id)).toEqual(['ops@example.com']);
    const failed = (await deps.alerts.events(alert.id)).filter((e) => e.kind === 'notify_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.detail).toMatchObject({ channel: 'email', recipient: 'finance@example.com' });
    expect(String(failed[0]?.detail?.error)).toContain('550');
  });

  it('resends, with the same Message-ID, an email the server accepted just before a crash (at-least-once)', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-pt', severity: 'low', at: NOW });
    const mailer = deps.mailer;
    if (!mailer) throw new Error('SMTP is configured in this test');
    const crashing = {
      ...mailer,
      send: async (message: Parameters<typeof mailer.send>[0]) => {
        await mailer.send(message);
        throw new Error('worker killed after the server accepted');
      },
    };
    await expect(emailAlertChange({ ...deps, mailer: crashing }, alert.id, alert.revision)).rejects.toThrow(
      'killed',
    );
    await emailAlertChange(deps, alert.id, alert.revision);
    const toOps = smtp.to('ops@example.com').filter((r) => r.mail.text?.includes(`#${alert.id}`));
    expect(toOps).toHaveLength(2);
    expect(toOps[0]?.mail.messageId).toBe(toOps[1]?.mail.messageId);
    await emailAlertChange(deps, alert.id, alert.revision);
    expect(smtp.to('ops@example.com').filter((r) => r.mail.text?.includes(`#${alert.id}`))).toHaveLength(2);
  });
});

describe('email-run', () => {
  it('sends one digest per recipient when an evaluation opens several alerts, and nothing for mere merges', async () => {
    const runKey = 'hour_2026-11-21T17';
    const raised = [
      await raiseAlert(alerts, { source: 'card-nl', metric: 'failed', severity: 'high', at: NOW }),
      await raiseAlert(alerts, { source: 'card-nl', metric: 'denied', severity: 'critical', at: NOW }),
      await raiseAlert(alerts, { source: 'card-nl', metric: 'reversed', severity: 'low', at: NOW }),
    ];
    const before = smtp.received.length;
    const batch = { runKey, batchId: 1, raised: raised.map((a) => a.id), recovered: [] };
    await emailRun(deps, batch);
    await emailRun(deps, batch);
    const sent = smtp.received.slice(before);
    expect(sent.flatMap((r) => r.to).sort()).toEqual([
      'cto@example.com',
      'finance@example.com',
      'ops@example.com',
    ]);
    const toOps = sent.find((r) => r.to.includes('ops@example.com'))?.mail;
    expect(toOps?.subject).toBe(
      '[ratewatch] 3 alerts from the hour starting 2026-11-21 17:00 UTC: 1 critical, 1 high, 1 low',
    );
    for (const alert of raised) expect(toOps?.html).toContain(`#${alert.id}`);
    // cto@ is routed only the critical one: a single alert's email, not a digest.
    expect(sent.find((r) => r.to.includes('cto@example.com'))?.mail.subject).toMatch(/^\[CRITICAL\] card-nl/);

    await raiseAlert(alerts, { source: 'card-nl', metric: 'failed', severity: 'high', at: NOW }); // merges, no news
    await emailRun(deps, {
      runKey: 'hour_2026-11-21T18',
      batchId: 2,
      raised: [raised[0]?.id ?? 0],
      recovered: [],
    });
    expect(smtp.received.length).toBe(before + 3);
  });
});

describe('email-fallback', () => {
  it('sends the alert to the fallback recipients and records that email carried it', async () => {
    const alert = await raiseAlert(alerts, { source: 'card-be', severity: 'high', at: NOW });
    await emailFallback(deps, alert.id, alert.revision);
    await emailFallback(deps, alert.id, alert.revision);
    const [received, more] = smtp
      .to('fallback@example.com')
      .filter((r) => r.mail.text?.includes(`#${alert.id}`));
    expect(more).toBeUndefined();
    expect(received?.mail.text).toContain('Slack could not deliver this alert');
    const events = await deps.alerts.events(alert.id);
    expect(events.filter((e) => e.kind === 'notified').map((e) => [e.channel, e.detail])).toEqual([
      ['email', { kind: 'fallback', recipients: 1 }],
    ]);
  });
});
