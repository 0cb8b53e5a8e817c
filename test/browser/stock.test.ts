import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createCompany, PASSWORD, signUp } from '../support/factories.ts';
import { shot, browserWorld } from './browser.ts';

const env = browserWorld();

const text = (page: Page, testId: string) => page.getByTestId(testId).first().textContent();

describe('stock journey', () => {
  it('restock, report a loss, see available drop and the low-stock highlight', async () => {
    const owner = await signUp(env.app.app, 'Mariam Koné');
    const company = await createCompany(owner.client, { name: 'Boutique Mariam' });
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${env.app.url}/login`);
    const login = page.getByTestId('login-form');
    await login.locator('input[name="email"]').fill(owner.email);
    await login.locator('input[name="password"]').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);

    // A new product with a low-stock threshold of 5.
    await page.goto(`${env.app.url}/c/${company.id}/products`);
    await page.getByTestId('new-product-button').click();
    const form = page.getByTestId('product-form');
    await form.locator('input[name="name"]').fill('Savon karité');
    await form.locator('input[name="sku"]').fill('SAV-01');
    await form.locator('input[name="price"]').fill('1500');
    await form.locator('input[name="lowStockThreshold"]').fill('5');
    await page.getByTestId('product-submit').click();
    await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);

    // Restock 12: available 12, not low.
    await page.getByTestId('restock-button').click();
    await page.getByTestId('restock-form').locator('input[name="quantity"]').fill('12');
    await page.getByTestId('restock-submit').click();
    await expect.poll(() => text(page, 'stock-available')).toBe('12');
    expect(await page.getByTestId('stock-summary').getAttribute('data-low-stock')).toBe('false');

    // Report a loss of 8 broken: available drops to 4, at or below 5 → low stock.
    await page.getByTestId('loss-button').click();
    const loss = page.getByTestId('loss-form');
    await loss.locator('input[name="quantity"]').fill('8');
    await loss.locator('select[name="reason"]').selectOption('broken');
    await page.getByTestId('loss-submit').click();
    await expect.poll(() => text(page, 'stock-available')).toBe('4');
    expect(await text(page, 'stock-on-hand')).toBe('4');
    await page.getByTestId('low-stock-badge').first().waitFor();
    expect(await page.getByTestId('stock-summary').getAttribute('data-low-stock')).toBe('true');
    await expect.poll(() => page.locator('[data-testid="movement-row"]').count()).toBe(2);
    expect(await page.locator('[data-testid="movement-row"]').first().getAttribute('data-kind')).toBe('loss');
    await shot(page, 'product-detail');

    // The list shows the same numbers and highlights the row.
    await page.goto(`${env.app.url}/c/${company.id}/products`);
    const row = page.locator('[data-testid="product-row"]').filter({ hasText: 'Savon karité' });
    await row.waitFor();
    expect(await row.getAttribute('data-low-stock')).toBe('true');
    expect(await row.getByTestId('product-available').textContent()).toBe('4');
    await shot(page, 'products');

    // A loss larger than what is available is refused with the available quantity.
    await row.getByTestId('product-link').click();
    await page.getByTestId('loss-button').click();
    await page.getByTestId('loss-form').locator('input[name="quantity"]').fill('9');
    await page.getByTestId('loss-submit').click();
    await expect.poll(async () => (await page.getByTestId('loss-form').textContent()) ?? '').toMatch(/4 disponible/);
    expect(await text(page, 'stock-available')).toBe('4');
    expect(errors).toEqual([]);
    await page.close();
  });
});
