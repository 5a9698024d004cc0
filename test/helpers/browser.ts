import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package; CHROMIUM_PATH points elsewhere (.ci/run installs it when missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium as the machine notes say it works here: no sandbox (root in a container), no GPU, no QUIC,
 * nothing that phones home, and a fresh empty profile that is removed again on close.
 */
export async function openBrowser(
  viewport = { width: 1280, height: 900 },
): Promise<BrowserContext & { done(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'rw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return Object.assign(context, {
    async done() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}
