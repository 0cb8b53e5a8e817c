import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/db.ts';
import { createCompany, signUp } from '../support/factories.ts';
import { launchBrowser } from './browser.ts';

let app: TestApp;
let drop: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  app?.app.server.closeAllConnections();
  await app?.stop();
  await drop?.();
});

describe('public shop bundle', () => {
  it('a phone visiting the shop loads no staff page and under 150 kB of gzipped JS', async () => {
    const owner = await signUp(app.app);
    const company = await createCompany(owner.client);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const scripts = new Set<string>();
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
    });
    await page.goto(`${app.url}/shop/${company.slug}`);
    await page.getByTestId('shop').waitFor();
    await page.waitForLoadState('networkidle');
    const files = [...scripts].map((p) => path.join('dist/web', p));
    const gzipped = files.map((f) => gzipSync(fs.readFileSync(f)).length);
    const total = gzipped.reduce((a, b) => a + b, 0);
    console.log(`shop JS: ${(total / 1000).toFixed(1)} kB gzip in ${files.length} files`);
    expect(files.some((f) => f.includes('staffPages'))).toBe(false);
    expect(total).toBeLessThan(150_000);
  });
});
