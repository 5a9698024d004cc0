import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageLinks } from '../../src/alert-page/page-links.js';
import { openBrowser } from '../../src/docs-images/headless-chromium.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { SPIKED, seedSpikedAlert } from '../helpers/spiked-alert.js';

const SECRET = 'browser-test-link-secret-0123456789';
const links = createPageLinks({
  secret: SECRET,
  publicUrl: '',
  emailTtlMs: 72 * 3_600_000,
  slackTtlMs: 86_400_000,
});
let app: TestApp;
let alertId: number;
let browser: Awaited<ReturnType<typeof openBrowser>>;

beforeAll(async () => {
  const env = { LINK_SECRET: SECRET };
  app = await startTestApp('browser', env, { now: () => SPIKED.now });
  alertId = await seedSpikedAlert(app, env);
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.done();
  await app?.stop();
});

const pageUrl = () =>
  `${app.url}${links.urlFor(alertId, { kind: 'email', recipient: 'ana@example.com' }, SPIKED.now)}`;

describe('the alert page in a real browser (headless Chromium)', () => {
  it('loads the chart, acknowledges with one click, and shows the new state and its audit line', async () => {
    const page = await browser.newPage();
    await page.goto(pageUrl());
    const chart = page.getByRole('img', { name: /Chart of failed/ });
    await chart.waitFor();
    // Evaluated in the page (as text: this project compiles without the DOM's types).
    await page.waitForFunction("document.querySelector('figure img')?.complete === true");
    expect(await page.evaluate("document.querySelector('figure img').naturalWidth")).toBe(1280);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/done=acknowledged/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Acknowledged.');
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    const trail = page.locator('ol.trail li').last();
    expect(await trail.textContent()).toMatch(/Acknowledged.*ana@example\.com · alert page/);
    expect(await page.locator('text=acknowledged by ana@example.com').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('fits a phone: no sideways scrolling, the chart as wide as the screen, buttons big enough to tap', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(pageUrl());
    const widths = (await page.evaluate(`({
      document: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      image: document.querySelector('figure img').getBoundingClientRect().width,
    })`)) as { document: number; viewport: number; image: number };
    expect(widths.document).toBeLessThanOrEqual(widths.viewport);
    expect(widths.image).toBeGreaterThan(300);
    const resolve = await page.getByRole('button', { name: 'Resolve' }).boundingBox();
    expect(resolve?.height).toBeGreaterThanOrEqual(44);
    expect(await page.getByLabel('Resolution note (optional)').count()).toBe(1);
    if (process.env.PAGE_SCREENSHOT)
      await page.screenshot({ path: process.env.PAGE_SCREENSHOT, fullPage: true });
    await page.close();
  });
});
