import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { PASSWORD } from '../support/factories.ts';
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

type World = { readonly app: TestApp; readonly browser: Browser };

/**
 * Signs in through the login page in the given page, then waits for the company's
 * home (and, with `live`, for its live stream to be connected).
 */
export async function signInPage(world: World, page: Page, email: string, opts: { live?: boolean } = {}): Promise<Page> {
  await page.goto(`${world.app.url}/login`);
  const login = page.getByTestId('login-form');
  await login.locator('input[name="email"]').fill(email);
  await login.locator('input[name="password"]').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
  if (opts.live) await expect.poll(() => page.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
  return page;
}

/** A fresh browser context (desktop-sized unless told) signed in as `email`. */
export async function signInAs(world: World, email: string, opts: { viewport?: { width: number; height: number }; live?: boolean } = {}): Promise<Page> {
  const context = await world.browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 } });
  return signInPage(world, await context.newPage(), email, { live: opts.live });
}
