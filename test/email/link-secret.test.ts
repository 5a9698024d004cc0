import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

const NOW = new Date('2026-11-21T18:05:00Z');
let smtp: TestSmtpServer;
let first: TestApp;
let link = '';

/** Another process of the same ratewatch: the same database and queues, its own environment. */
const sameDatabase = (app: TestApp, env: Record<string, string> = {}) =>
  startTestApp(
    'link_secret_peer',
    { MYSQL_URL: app.database.url, QUEUE_PREFIX: app.queuePrefix, ...env },
    { now: () => NOW },
  );

beforeAll(async () => {
  smtp = await startSmtpServer();
  // SMTP and PUBLIC_URL set, LINK_SECRET not: what a new user configures.
  first = await startTestApp(
    'link_secret',
    {
      ROLES: 'web,worker',
      SMTP_URL: smtp.url,
      EMAIL_TO: 'ops@example.com',
      PUBLIC_URL: 'https://rw.example.com',
    },
    { now: () => NOW },
  );
  const response = await first.request('/v1/alerts', {
    method: 'POST',
    token: API_TOKEN,
    json: { source: 'card-links', metric: 'failed', severity: 'high' },
  });
  expect(response.status).toBe(201);
  const [mail] = await smtp.waitFor(1, 'ops@example.com');
  link =
    /https:\/\/rw\.example\.com(\/email\/actions\/[A-Za-z0-9_.-]+)/.exec(mail?.mail.text ?? '')?.[1] ?? '';
}, 60_000);
afterAll(async () => {
  await first?.stop();
  await smtp?.close();
});

describe('email action links without LINK_SECRET', () => {
  it('are in the email, signed with a secret made once and kept in MySQL', async () => {
    expect(link).toMatch(/^\/email\/actions\//);
    const page = await fetch(`${first.url}${link}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('card-links');
  });

  it('work on every process, which all read the same secret', async () => {
    const peer = await sameDatabase(first);
    try {
      expect((await fetch(`${peer.url}${link}`)).status).toBe(200);
    } finally {
      await peer.close();
    }
  });

  it('stop working with a clear page, showing nothing of the alert, once LINK_SECRET is set', async () => {
    const rotated = await sameDatabase(first, { LINK_SECRET: 'a-secret-set-later-0123456789' });
    try {
      const page = await fetch(`${rotated.url}${link}`);
      expect(page.status).toBe(410);
      const html = await page.text();
      expect(html).toContain('This link was signed with a secret that has since changed');
      expect(html).not.toContain('card-links');
    } finally {
      await rotated.close();
    }
  });

  it('are made once, however many processes start at the same moment', async () => {
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) => first.storage.settings.ensure('race_test', () => `value-${i}`)),
    );
    expect(new Set(made).size).toBe(1);
  });
});
