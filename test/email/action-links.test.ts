import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionLink, signToken } from '../../src/email/action-links.js';
import { jobIds } from '../../src/queue/job-ids.js';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { emailEnv, LINK_SECRET } from './fixtures.js';

const NOW = new Date('2026-11-21T18:05:00Z');
const HOUR_MS = 3_600_000;
let smtp: TestSmtpServer;
let app: TestApp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startTestApp('email_links', emailEnv(smtp.url), { now: () => NOW });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

type AlertJson = { id: number; status: string; acknowledged_by: string | null; resolved_by: string | null };
const api = (path: string, json?: unknown) =>
  app.request(path, { token: API_TOKEN, ...(json ? { method: 'POST', json } : {}) });

async function openAlert(source: string): Promise<AlertJson> {
  const response = await api('/v1/alerts', {
    source,
    metric: 'failed',
    severity: 'high',
    title: 'acquirer <down>',
  });
  return ((await response.json()) as { alert: AlertJson }).alert;
}

async function alertState(id: number) {
  return (await (await api(`/v1/alerts/${id}`)).json()) as AlertJson & {
    events: { kind: string; actor: string; channel: string }[];
  };
}

function link(
  alertId: number,
  action: ActionLink['action'],
  expiresAt = new Date(NOW.getTime() + 72 * HOUR_MS),
) {
  return `/email/actions/${signToken({ alertId, action, recipient: 'ana@example.com', expiresAt }, LINK_SECRET)}`;
}

const open = (path: string) => fetch(`${app.url}${path}`);
const confirm = (path: string, body = 'confirm=yes') =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('an acknowledge link', () => {
  it('shows a confirmation page that changes nothing, then acts once when the page is posted', async () => {
    const alert = await openAlert('links-ok');
    const path = link(alert.id, 'acknowledge');
    const page = await open(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(`Acknowledge alert #${alert.id}`);
    expect(html).toContain('acquirer &lt;down&gt;');
    expect(html).toContain('<form method="post">');
    expect(html).toContain('ana@example.com');
    expect((await open(path)).status).toBe(200); // a prefetching scanner may open it any number of times
    expect((await alertState(alert.id)).status).toBe('new');

    const done = await confirm(path);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(
      `Alert #${alert.id} (links-ok/production failed) is now acknowledged`,
    );
    const after = await alertState(alert.id);
    expect(after).toMatchObject({ status: 'acknowledged', acknowledged_by: 'ana@example.com' });
    expect(after.events.at(-1)).toMatchObject({
      kind: 'acknowledged',
      actor: 'ana@example.com',
      channel: 'email',
    });
    // The Slack card and the email follow through the usual notify path.
    const revision = 2;
    expect(
      await app.queues.byName.notifications.getJob(jobIds.notifyAlert(alert.id, revision)),
    ).toBeDefined();
    expect(await app.queues.byName.email.getJob(jobIds.emailAlert(alert.id, revision))).toBeDefined();

    const again = await confirm(path);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link was already used');
    expect((await open(path)).status).toBe(410);
    expect((await alertState(alert.id)).events.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it('acts once even when the page is posted twice at the same moment', async () => {
    const alert = await openAlert('links-race');
    const path = link(alert.id, 'resolve');
    const answers = await Promise.all([confirm(path), confirm(path), confirm(path)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect((await alertState(alert.id)).events.filter((e) => e.kind === 'resolved')).toHaveLength(1);
  });

  it('does nothing without the confirmation form field', async () => {
    const alert = await openAlert('links-noconfirm');
    const path = link(alert.id, 'acknowledge');
    expect((await confirm(path, '')).status).toBe(400);
    expect((await alertState(alert.id)).status).toBe('new');
    expect((await confirm(path)).status).toBe(200); // the link was not used up
  });
});

describe('a link that cannot act', () => {
  it('says an expired link has expired and changes nothing', async () => {
    const alert = await openAlert('links-expired');
    const path = link(alert.id, 'acknowledge', new Date(NOW.getTime() - 1000));
    const page = await open(path);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This link has expired');
    expect((await confirm(path)).status).toBe(410);
    expect((await alertState(alert.id)).status).toBe('new');
  });

  it('says a tampered or forged link is not valid and changes nothing', async () => {
    const alert = await openAlert('links-forged');
    const [payload, signature] = link(alert.id, 'acknowledge').replace('/email/actions/', '').split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({ a: alert.id, x: 'resolve', r: 'mallory@example.com', e: 1_900_000_000 }),
    ).toString('base64url');
    const flipped = `${signature?.slice(0, -2)}${signature?.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const token of [`${otherPayload}.${signature}`, `${payload}.${flipped}`, 'garbage', '']) {
      const page = await open(`/email/actions/${token}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('This link is not valid');
      expect((await confirm(`/email/actions/${token}`)).status).toBe(400);
    }
    expect((await alertState(alert.id)).status).toBe('new');
  });

  it('says a link signed with another secret no longer works, and shows nothing of the alert', async () => {
    const alert = await openAlert('links-rotated');
    const token = signToken(
      { alertId: alert.id, action: 'acknowledge', recipient: 'x@example.com', expiresAt: new Date(2e12) },
      'the-secret-before-rotation-0123',
    );
    const page = await open(`/email/actions/${token}`);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('signed with a secret that has since changed');
    expect(html).not.toContain('links-rotated');
    expect((await confirm(`/email/actions/${token}`)).status).toBe(410);
    expect((await alertState(alert.id)).status).toBe('new');
  });

  it('says why an alert someone else already resolved cannot be acknowledged', async () => {
    const alert = await openAlert('links-late');
    await api(`/v1/alerts/${alert.id}/resolve`, { actor: 'bo@example.com' });
    const page = await open(link(alert.id, 'acknowledge'));
    expect(page.status).toBe(409);
    expect(await page.text()).toContain('already resolved by bo@example.com');
  });
});
