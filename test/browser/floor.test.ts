import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stockedProduct } from '../support/catalog-helpers.ts';
import { addMember, createCompany, PASSWORD, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport });

const table = (page: Page, label: string) => page.locator(`[data-testid="floor-table"][data-label="${label}"]`);

describe('floor journeys (seed 000, tests 1–3)', () => {
  it('a sale opened from the floor and paid from the history; a second browser follows both within 2 s', async () => {
    const owner = await signUp(env.app.app, 'Patron');
    const company = await createCompany(owner.client, { name: 'Restaurant du Port' });
    const area = (await owner.client.post(`/api/v1/companies/${company.id}/areas`, { name: 'Salle' })).body;
    expect((await owner.client.post(`/api/v1/companies/${company.id}/tables`, { areaId: area.id, label: '5', seats: 4 })).status).toBe(201);
    const product = await stockedProduct(owner.client, company.id, 20, { name: 'Poulet braisé', price: 4000 });
    const server = await owner.client.post(`/api/v1/companies/${company.id}/members`, { email: `marie-${Date.now()}@example.test`, role: 'server', name: 'Marie Martin', password: PASSWORD });
    expect(server.status).toBe(201);
    const cashier = await addMember(env.app.app, owner.client, company.id, 'cashier');

    // The second browser watches the floor.
    const watcher = await signIn(cashier.email);
    await expect.poll(() => watcher.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    await watcher.getByTestId('nav-floor').first().click();
    await expect.poll(() => table(watcher, '5').getAttribute('data-status')).toBe('available');

    // Test 1: create the sale from the floor, with customer and server.
    const till = await signIn(owner.email);
    await till.goto(`${env.app.url}/c/${company.id}/floor`);
    await table(till, '5').getByTestId('create-sale').click();
    await till.getByTestId('till').waitFor();
    await till.getByTestId('sale-customer').fill('Jean Dupont');
    await till.getByTestId('sale-server').selectOption({ label: 'Marie Martin' });
    await till.locator(`[data-testid="till-product"][data-product-id="${product.id}"]`).click();
    await till.waitForURL(/\/sales\/[0-9a-f-]{36}$/);
    const opened = Date.now();

    // Test 3: the other browser sees table 5 occupied, without reload, within 2 s.
    await expect.poll(() => table(watcher, '5').getAttribute('data-status'), { timeout: 2000 }).toBe('occupied');
    expect(Date.now() - opened).toBeLessThan(2000);
    await expect.poll(async () => (await table(watcher, '5').getByTestId('floor-customer').textContent()) ?? '').toContain('Jean Dupont');
    expect(await table(watcher, '5').getByTestId('floor-server').textContent()).toContain('Marie Martin');
    expect((await table(watcher, '5').getByTestId('floor-since').textContent())?.trim()).not.toBe('');
    await shot(watcher, 'floor-occupied');

    // Test 2: pay it from the sales history.
    await till.goto(`${env.app.url}/c/${company.id}/sales`);
    await till.locator('[data-testid="sale-row"][data-status="open"]').first().click();
    await till.getByTestId('payment-form').waitFor();
    await till.getByTestId('payment-submit').click();
    await expect.poll(() => till.getByTestId('sale-status').first().getAttribute('data-status')).toBe('paid');
    const paid = Date.now();

    // The other browser: table free again, toast and bell, within 2 s.
    await expect.poll(() => table(watcher, '5').getAttribute('data-status'), { timeout: 2000 }).toBe('available');
    await watcher.getByText('Table 5 libérée !').first().waitFor({ timeout: 2000 });
    await expect.poll(() => watcher.getByTestId('notification-badge').first().textContent(), { timeout: 2000 }).toBe('1');
    expect(Date.now() - paid).toBeLessThan(2000);
    await shot(watcher, 'floor-freed');
  });
});
