import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

/** Debian's Chromium, headless, with the flags this machine needs (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
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
}

/** Saves a screenshot under test-results/screenshots (curated copies live in docs/screenshots). */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * A journey's world: a fresh database, a full app instance on loopback, and Debian's
 * Chromium — set up before the file's tests and torn down after.
 */
export function browserWorld(): { readonly app: TestApp; readonly browser: Browser } {
  const state = {} as { app: TestApp; browser: Browser; drop?: () => Promise<void> };
  beforeAll(async () => {
    const db = await createTestDatabase();
    state.drop = db.drop;
    state.app = await startTestApp(db.url);
    state.browser = await launchBrowser();
  });
  afterAll(async () => {
    await state.browser?.close();
    state.app?.app.server.closeAllConnections();
    await state.app?.stop();
    await state.drop?.();
  });
  return state;
}
