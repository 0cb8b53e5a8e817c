
import { describe, expect, it } from 'vitest';
import { apiToken, stockedProduct } from '../support/catalog-helpers.ts';
import { Client } from '../support/client.ts';
import { addMember, createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport });

const digits = (s: string | null) => Number((s ?? '').replace(/\D/g, ''));

describe('dashboard, activity and audit (seeds 002 and 004)', () => {
  it('a manager sees the day move live, searches the log and follows a payment step by step', async () => {
    const owner = await signUp(env.app.app, 'Aminata');
    const company = await createCompany(owner.client, { name: 'Salon Aminata', currency: 'XOF', timezone: 'Africa/Abidjan' });
    const base = `/api/v1/companies/${company.id}`;
    const manager = await addMember(env.app.app, owner.client, company.id, 'manager');
    const huile = await stockedProduct(owner.client, company.id, 50, { name: 'Huile de coco', price: 2500 });
    const coupe = (await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 })).body;
    const sell = async (quantity: number) => {
      const sale = await owner.client.post(`${base}/sales`, { channel: 'counter', items: [{ productId: huile.id, quantity }] });
      expect(sale.status, JSON.stringify(sale.body)).toBe(201);
      const paid = await owner.client.post(`${base}/sales/${sale.body.id}/payments`, { method: 'cash', amount: 2500 * quantity, tendered: 2500 * quantity });
      expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    };
    await sell(2);

    const page = await signIn(manager.email);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await expect.poll(() => page.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    await page.goto(`${env.app.url}/c/${company.id}/dashboard`);
    const revenue = page.getByTestId('dashboard-card-revenue-value');
    await expect.poll(async () => digits(await revenue.textContent())).toBe(5000);
    await page.getByTestId('dashboard-chart').waitFor();
    const feed = page.getByTestId('activity-feed');
    await expect.poll(() => feed.locator('[data-testid="activity-item"][data-type="sale_paid"]').count()).toBe(1);

    // Another sale at the till: the feed and the figures follow without a reload.
    await sell(1);
    await expect.poll(() => feed.locator('[data-testid="activity-item"][data-type="sale_paid"]').count(), { timeout: 5000 }).toBe(2);
    await expect.poll(async () => digits(await revenue.textContent()), { timeout: 5000 }).toBe(7500);

    // A QR session paid in cash, then its trail from the audit side.
    const session = (await owner.client.post(`${base}/payment-sessions`, { serviceId: coupe.id })).body;
    const token = session.publicUrl.split('/pay/')[1];
    const phone = new Client(env.app.app);
    const iphone = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1' };
    await phone.post(`/api/v1/public/pay/${token}/scan`, {}, iphone);
    await phone.post(`/api/v1/public/pay/${token}/identify`, { name: 'Fatou Diallo' }, iphone);
    const pay = await phone.post(`/api/v1/public/pay/${token}/pay`, { method: 'cash' }, iphone);
    expect(pay.status, JSON.stringify(pay.body)).toBe(200);
    expect((await owner.client.post(`${base}/payments/${pay.body.payment.id}/confirm`, {})).status).toBe(200);
    await expect.poll(() => feed.locator('[data-testid="activity-item"][data-type="payment_confirmed"]').count(), { timeout: 5000 }).toBe(1);
    // Live selling: the manager turns live mode on; a chat bot builds an order step by step.
    await page.getByTestId('live-toggle').click();
    await expect.poll(() => page.getByTestId('live-toggle').getAttribute('data-enabled')).toBe('true');
    expect((await owner.client.patch(base, { externalRef: `salon-${company.id.slice(0, 8)}` })).status).toBe(200);
    const bot = owner.client.withToken(await apiToken(owner.client, company.id, 'cashier'));
    const byRef = `/api/v1/companies/by-ref/salon-${company.id.slice(0, 8)}/live/orders`;
    const order = await bot.post(byRef, { externalCustomerId: 'wa:22507000001', items: [{ productId: huile.id, quantity: 1 }] });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const card = page.locator(`[data-testid="live-order"][data-id="${order.body.id}"]`);
    await expect.poll(() => card.getAttribute('data-completion'), { timeout: 5000 }).toBe('25');
    expect((await bot.patch(`${byRef}/${order.body.id}`, { deliveryZone: 'Cocody', customerPhone: '+225 07 00 00 01' })).body.completionRate).toBe(75);
    await expect.poll(() => card.getAttribute('data-completion'), { timeout: 5000 }).toBe('75');
    const done = await bot.patch(`${byRef}/${order.body.id}`, { payment: { reference: 'MM-778899', amount: 2500 } });
    expect(done.body).toMatchObject({ status: 'completed', completionRate: 100 });
    await expect.poll(() => feed.locator('[data-testid="activity-item"][data-type="order_created"]').count(), { timeout: 5000 }).toBe(1);
    await expect.poll(() => card.count(), { timeout: 5000 }).toBe(0);

    await expect.poll(async () => digits(await revenue.textContent()), { timeout: 5000 }).toBe(15000);
    await expect.poll(async () => digits(await page.getByTestId('dashboard-card-sessions-value').textContent()), { timeout: 5000 }).toBe(1);
    await shot(page, 'dashboard');

    await page.goto(`${env.app.url}/c/${company.id}/audit?type=sale_paid`);
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(4);
    const exportHref = await page.getByTestId('audit-export').getAttribute('href');
    expect(exportHref).toContain(`/api/v1/companies/${company.id}/events.csv`);
    expect(exportHref).toContain('type=sale_paid');
    await shot(page, 'audit');

    await page.goto(`${env.app.url}/c/${company.id}/payments/${pay.body.payment.id}/trail`);
    const steps = page.getByTestId('trail-event');
    await expect.poll(() => steps.count()).toBeGreaterThanOrEqual(5);
    const types = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    const stepOrder = ['qr_scanned', 'client_identified', 'payment_initiated', 'payment_confirmed'].map((t) => types.indexOf(t));
    expect(stepOrder.every((i) => i >= 0)).toBe(true);
    expect([...stepOrder].sort((x, y) => x - y)).toEqual(stepOrder);
    expect(await page.locator('[data-testid="trail-event"][data-type="qr_scanned"]').textContent()).toMatch(/iOS/);
    await shot(page, 'payment-trail');
    expect(errors).toEqual([]);
  });
});
