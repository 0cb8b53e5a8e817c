
import { describe, expect, it } from 'vitest';
import { stockedProduct } from '../support/catalog-helpers.ts';
import { createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport });

describe('till: transfer, merge, split payment', () => {
  it('moves a sale to another table, merges a second sale into it, pays it in two parts', async () => {
    const owner = await signUp(env.app.app, 'Gérante');
    const company = await createCompany(owner.client, { name: 'Maquis Étoile' });
    const c = `/api/v1/companies/${company.id}`;
    const area = (await owner.client.post(`${c}/areas`, { name: 'Terrasse' })).body;
    const tables: Record<string, string> = {};
    for (const [i, label] of ['1', '2', '3'].entries()) {
      tables[label] = (await owner.client.post(`${c}/tables`, { areaId: area.id, label, seats: 2, x: 20 + i * 160, y: 20 })).body.id;
    }
    const beer = await stockedProduct(owner.client, company.id, 30, { name: 'Bière', price: 1000 });
    // Two open sales: table 1 (2 beers) and table 3 (1 beer).
    const s1 = (await owner.client.post(`${c}/sales`, { tableId: tables['1'], channel: 'table', customerName: 'Ali', items: [{ productId: beer.id, quantity: 2 }] })).body;
    const s3 = (await owner.client.post(`${c}/sales`, { tableId: tables['3'], channel: 'table', customerName: 'Binta', items: [{ productId: beer.id, quantity: 1 }] })).body;

    const page = await signIn(owner.email);
    await page.goto(`${env.app.url}/c/${company.id}/sales/${s1.id}`);
    await page.getByTestId('transfer-table').selectOption(tables['2']!);
    await page.getByTestId('transfer-submit').click();
    await expect.poll(async () => (await owner.client.get(`${c}/floor`)).body.tables.find((t: { id: string }) => t.id === tables['2']).status).toBe('occupied');
    expect((await owner.client.get(`${c}/floor`)).body.tables.find((t: { id: string }) => t.id === tables['1']).status).toBe('available');

    // Merge table 3's sale into this one: the page follows to the target sale.
    await page.goto(`${env.app.url}/c/${company.id}/sales/${s3.id}`);
    await page.getByTestId('merge-target').selectOption(s1.id);
    await page.getByTestId('merge-submit').click();
    await page.waitForURL(new RegExp(`/sales/${s1.id}$`));
    await expect.poll(async () => (await owner.client.get(`${c}/sales/${s1.id}`)).body.totals.ttc).toBe(3000);
    expect((await owner.client.get(`${c}/sales/${s3.id}`)).body.status).toBe('cancelled');
    await shot(page, 'till');

    // Split: 1000 by card (reference), the rest in cash.
    await page.getByTestId('payment-method').selectOption('card');
    await page.getByTestId('payment-amount').fill('1000');
    await page.getByTestId('payment-reference').fill('TPE-4242');
    await page.getByTestId('payment-submit').click();
    await expect.poll(() => page.getByTestId('sale-due').first().getAttribute('data-amount')).toBe('2000');
    await page.getByTestId('payment-method').selectOption('cash');
    await page.getByTestId('payment-submit').click();
    await expect.poll(() => page.getByTestId('sale-status').first().getAttribute('data-status')).toBe('paid');
    // The sale's story, from the event log.
    await page.locator('[data-testid="sale-event"][data-event-type="sale_paid"]').waitFor();
    expect(await page.locator('[data-testid="sale-event"][data-event-type="table_occupied"]').count()).toBeGreaterThan(0);
    const floor = (await owner.client.get(`${c}/floor`)).body.tables;
    expect(floor.every((t: { status: string }) => t.status === 'available')).toBe(true);
    expect((await owner.client.get(`${c}/products/${beer.id}`)).body).toMatchObject({ onHand: 27, held: 0 });
  });
});
