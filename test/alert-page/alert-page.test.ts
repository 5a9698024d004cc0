import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageLinks } from '../../src/alert-page/page-links.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SPIKED, seedSpikedAlert } from '../helpers/spiked-alert.js';

const SECRET = 'page-test-link-secret-0123456789';
const PUBLIC_URL = 'https://ratewatch.example.com';
const links = createPageLinks({
  secret: SECRET,
  publicUrl: '',
  emailTtlMs: 72 * 3_600_000,
  slackTtlMs: 30 * 86_400_000,
});
const email = { kind: 'email', recipient: 'ana@example.com' } as const;
let app: TestApp;
let alertId: number;

beforeAll(async () => {
  const env = { LINK_SECRET: SECRET, PUBLIC_URL };
  app = await startTestApp('alertpage', env, { now: () => SPIKED.now });
  alertId = await seedSpikedAlert(app, env);
}, 120_000);

afterAll(async () => {
  await app?.stop();
});

const page = (path: string, init: RequestInit = {}) =>
  fetch(`${app.url}${path}`, { redirect: 'manual', ...init });
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('the alert page', () => {
  it('shows the alert with its chart, facts, runbook-free actions and audit trail, changing nothing', async () => {
    const url = links.urlFor(alertId, email, SPIKED.now);
    const response = await page(url);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("img-src 'self'");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('steady-eu (production) · failed rate 8.0 % (normal');
    expect(html).toMatch(
      new RegExp(
        `<img src="/alerts/${alertId}/chart\\.png\\?t=[^"]+" width="640" height="360" alt="Chart of failed`,
      ),
    );
    expect(html).toContain('<h2 id="trail">Audit trail</h2>');
    expect(html).toContain('Opened');
    expect(html).toContain('Recorded as ana@example.com');
    expect((await app.storage.alerts.get(alertId))?.status).toBe('new');
  });

  it("serves the chart to the page's token, not without it", async () => {
    const token = links.tokenFor(alertId, email, SPIKED.now);
    const chart = await page(`/alerts/${alertId}/chart.png?t=${token}`);
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('image/png');
    expect((await page(`/alerts/${alertId}/chart.png`)).status).toBe(401);
  });

  it.each([
    ['no token', () => `/alerts/${alertId}`, 401],
    [
      'a tampered token',
      () => `/alerts/${alertId}?t=${links.tokenFor(alertId, email, SPIKED.now).replace(/.$/, 'A')}x`,
      403,
    ],
    [
      "another alert's token",
      () => `/alerts/${alertId}?t=${links.tokenFor(alertId + 1, email, SPIKED.now)}`,
      403,
    ],
    [
      'an expired token',
      () =>
        `/alerts/${alertId}?t=${links.tokenFor(alertId, email, new Date(SPIKED.now.getTime() - 73 * 3_600_000))}`,
      410,
    ],
  ])('answers %s with a 4xx page that shows nothing of the alert', async (_what, path, status) => {
    const response = await page(path());
    const html = await response.text();
    expect(response.status).toBe(status);
    expect(html).not.toContain('steady-eu');
    expect(html).not.toContain('failed rate');
  });

  it("acknowledges through the alert service as the email's recipient, channel web, then shows it", async () => {
    const token = links.tokenFor(alertId, email, SPIKED.now);
    const posted = await page(`/alerts/${alertId}/acknowledge?t=${token}`, form({}));
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`/alerts/${alertId}?t=${token}&done=acknowledged`);
    const alert = await app.storage.alerts.get(alertId);
    expect(alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana@example.com' });
    const events = await app.storage.alerts.events(alertId);
    expect(events.at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'ana@example.com', channel: 'web' });
    const html = await (await page(posted.headers.get('location') as string)).text();
    expect(html).toContain('role="status">Acknowledged.');
    expect(html).not.toContain('>Acknowledge</button>');
  });

  it('refuses a second acknowledgement with who was first (409), and resolves a Slack link with the name given', async () => {
    const slack = links.tokenFor(alertId, { kind: 'slack', where: '#card-oncall' }, SPIKED.now);
    const again = await page(`/alerts/${alertId}/acknowledge?t=${slack}`, form({ actor: 'Bo' }));
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Nothing changed: it was already acknowledged by ana@example.com');
    const resolved = await page(
      `/alerts/${alertId}/resolve?t=${slack}`,
      form({ actor: 'Bo <b>', note: 'acquirer fixed it' }),
    );
    expect(resolved.status).toBe(303);
    expect(await app.storage.alerts.get(alertId)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'Bo b (name given on the page, via the Slack card in #card-oncall)',
      resolutionNote: 'acquirer fixed it',
    });
  });
});
