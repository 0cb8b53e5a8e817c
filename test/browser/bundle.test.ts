import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCompany, signUp } from '../support/factories.ts';
import { browserWorld } from './browser.ts';

const env = browserWorld();

describe('public shop bundle', () => {
  it('a phone visiting the shop loads no staff page and under 150 kB of gzipped JS', async () => {
    const owner = await signUp(env.app.app);
    const company = await createCompany(owner.client);
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } });
    const scripts = new Set<string>();
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
    });
    await page.goto(`${env.app.url}/shop/${company.slug}`);
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
