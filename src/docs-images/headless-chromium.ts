import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package; CHROMIUM_PATH points elsewhere (.ci/run installs it when missing). */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium as it works here, for the README's pictures and the browser test: no sandbox (root in a
 * container), no GPU, no QUIC, nothing that phones home, and a fresh empty profile (`profile`, a folder the
 * caller may also write files into) that `done()` closes and removes.
 */
export async function openBrowser(
  options: { viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {},
): Promise<BrowserContext & { readonly profile: string; done(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'rw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.deviceScaleFactor === undefined ? {} : { deviceScaleFactor: options.deviceScaleFactor }),
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
    profile,
    async done() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  });
}
