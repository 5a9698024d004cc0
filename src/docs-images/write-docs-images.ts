/**
 * `npm run docs:images`: the README's pictures, made by the code — docs/images/alert-chart.png (the example
 * chart, rendered as Slack and email get it) and docs/images/alert-card.png (the example alert's Slack card:
 * its Block Kit drawn as HTML and screenshotted with headless Chromium, CHROMIUM_PATH or /usr/bin/chromium) and
 * docs/images/alert-page.png (its alert page, as a phone shows it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alertPageHtml } from '../alert-page/alert-page-html.js';
import { BUNDLED_FONT_FILES } from '../charts/bundled-font.js';
import { exampleChartInput } from '../charts/example-chart.js';
import { renderAlertChart } from '../charts/render-alert-chart.js';
import { alertCard } from '../slack/blocks/card.js';
import { cardHtml } from './card-html.js';
import { exampleAlert, exampleEvents } from './example-alert.js';
import { openBrowser } from './headless-chromium.js';

const dir = fileURLToPath(new URL('../../docs/images/', import.meta.url));
mkdirSync(dir, { recursive: true });

const chart = await renderAlertChart(exampleChartInput());
writeFileSync(join(dir, 'alert-chart.png'), chart);
process.stdout.write(`wrote ${join(dir, 'alert-chart.png')} (${chart.length} bytes)\n`);

const card = alertCard(exampleAlert(), {
  timeZone: 'Europe/Berlin',
  runbookUrl: 'https://wiki.example.com/runbooks/card-eu',
  openUrl: 'https://ratewatch.example.com/alerts/42?t=…',
});
const [regular, semibold] = BUNDLED_FONT_FILES.map((file) => pathToFileURL(file).href);
const html = cardHtml(card.blocks ?? [], { regular: regular as string, semibold: semibold as string });
const browser = await openBrowser({ viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 });
const profile = browser.profile;
try {
  const page = await browser.newPage();
  const file = join(profile, 'card.html');
  writeFileSync(file, html);
  await page.goto(pathToFileURL(file).href);
  await page.locator('.message').screenshot({ path: join(dir, 'alert-card.png') });
  process.stdout.write(`wrote ${join(dir, 'alert-card.png')}\n`);
  // The alert page as a phone shows it, its chart image pointed at the file written above.
  const pageHtml = alertPageHtml({
    alert: exampleAlert(),
    events: exampleEvents(),
    timeZone: 'Europe/Berlin',
    token: 'example',
    audience: { kind: 'email', recipient: 'ana@example.com' },
    chart: { kind: 'image' },
    runbookUrl: 'https://wiki.example.com/runbooks/card-eu',
  }).replace('/alerts/42/chart.png?t=example', pathToFileURL(join(dir, 'alert-chart.png')).href);
  const pageFile = join(profile, 'page.html');
  writeFileSync(pageFile, pageHtml);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(pathToFileURL(pageFile).href);
  await page.screenshot({ path: join(dir, 'alert-page.png'), fullPage: true });
  process.stdout.write(`wrote ${join(dir, 'alert-page.png')}\n`);
} finally {
  await browser.done();
}
