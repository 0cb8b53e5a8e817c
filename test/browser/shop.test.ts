import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stockedProduct } from '../support/catalog-helpers.ts';
import { createCompany, signUp } from '../support/factories.ts';
import { shot, browserWorld } from './browser.ts';

const env = browserWorld();

const phone = { viewport: { width: 390, height: 844 } };
const card = (page: Page, productId: string) => page.locator(`[data-testid="shop-product"][data-product-id="${productId}"]`);
const message = (page: Page, code: string) => page.locator(`[data-testid="cart-message"][data-code="${code}"]`);

describe('shop journeys (seed 001)', () => {
  it('stock 2, ask for 3 → orange notice; checkout shows the countdown; cancel returns to the cart in blue', async () => {
    const owner = await signUp(env.app.app, 'Aïcha');
    const company = await createCompany(owner.client, { name: 'Boutique Aïcha' });
    const savon = await stockedProduct(owner.client, company.id, 2, { name: 'Savon karité', price: 1500 });
    const ctx = await env.browser.newContext(phone);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${env.app.url}/shop/${company.slug}`);
    await card(page, savon.id).getByTestId('add-to-cart').click();
    await expect.poll(() => page.getByTestId('cart-count').first().textContent()).toBe('1');
    await page.getByTestId('cart-link').first().click();
    await page.getByTestId('cart-page').waitFor();

    // Ask for 3 of the 2 available: trimmed to 2 with the orange notice.
    const line = page.locator(`[data-testid="cart-line"][data-product-id="${savon.id}"]`);
    await line.getByTestId('cart-quantity').fill('3');
    await line.getByTestId('cart-update').click();
    const adjusted = message(page, 'quantity_adjusted');
    await adjusted.waitFor();
    expect(await adjusted.getAttribute('data-level')).toBe('warning');
    expect(await adjusted.textContent()).toContain("Quantité de 'Savon karité' ajustée à 2 (stock limité).");
    expect(await line.getByTestId('cart-quantity').inputValue()).toBe('2');
    await shot(page, 'shop-cart');

    // Checkout: the hold countdown runs.
    const form = page.getByTestId('checkout-form');
    await form.locator('input[name="name"]').fill('Jean Dupont');
    await form.locator('input[name="phone"]').fill('+225 07 00 00 00');
    await page.getByTestId('checkout-submit').click();
    await page.getByTestId('checkout-page').waitFor();
    const countdown = page.getByTestId('hold-countdown');
    await expect.poll(async () => (await countdown.textContent()) ?? '').toMatch(/1[45]:\d\d/);
    await shot(page, 'shop-checkout');

    // Cancel the payment: back to the cart, kept, with the blue notice.
    await page.getByTestId('cancel-payment').click();
    await page.getByTestId('cart-page').waitFor();
    const cancelled = message(page, 'payment_cancelled');
    await cancelled.waitFor();
    expect(await cancelled.getAttribute('data-level')).toBe('info');
    expect(await cancelled.textContent()).toContain('Paiement annulé. Vos articles sont toujours dans le panier.');
    expect(await page.locator('[data-testid="cart-line"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a second customer sees the product out of stock while the first holds the last one', async () => {
    const owner = await signUp(env.app.app, 'Binta');
    const company = await createCompany(owner.client, { name: 'Épicerie Binta' });
    const huile = await stockedProduct(owner.client, company.id, 1, { name: 'Huile de palme', price: 2500 });
    const first = await (await env.browser.newContext(phone)).newPage();
    const second = await (await env.browser.newContext(phone)).newPage();

    await second.goto(`${env.app.url}/shop/${company.slug}`);
    expect(await card(second, huile.id).getAttribute('data-in-stock')).toBe('true');

    await first.goto(`${env.app.url}/shop/${company.slug}`);
    await card(first, huile.id).getByTestId('add-to-cart').click();
    await expect.poll(() => first.getByTestId('cart-count').first().textContent()).toBe('1');
    await first.getByTestId('cart-link').first().click();
    await first.getByTestId('checkout-form').locator('input[name="name"]').fill('Awa');
    await first.getByTestId('checkout-submit').click();
    await first.getByTestId('hold-countdown').waitFor();

    // The other customer reloads: the last unit is held, so it is out of stock.
    await second.reload();
    await expect.poll(() => card(second, huile.id).getAttribute('data-in-stock')).toBe('false');
    await card(second, huile.id).getByTestId('out-of-stock-badge').waitFor();
    expect(await card(second, huile.id).getByTestId('add-to-cart').isDisabled()).toBe(true);
    await shot(second, 'shop-out-of-stock');

    // The first confirms (pay at pickup) and gets a reference.
    await first.getByTestId('confirm-order').click();
    await expect.poll(async () => (await first.getByTestId('order-reference').textContent()) ?? '').toMatch(/^W-/);
  });
});
