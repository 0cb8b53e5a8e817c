import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stockedProduct } from '../support/catalog-helpers.ts';
import { addMember, createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInAs } from './browser.ts';

const env = browserWorld();

/** A browser of its own (a tablet on the wall, the server's phone…), signed in, its live stream up. */
const signIn = (email: string, viewport?: { width: number; height: number }) => signInAs(env, email, { viewport, live: true });

const live = (page: Page) => expect.poll(() => page.getByTestId('stream-status').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('live');

describe('kitchen and bar', () => {
  it('a server sends a table to the kitchen and the bar; both mark it ready from their screens; the server gets the toast', async () => {
    const owner = await signUp(env.app.app, 'Gérante');
    const company = await createCompany(owner.client, { name: 'Maquis Yassa' });
    const c = `/api/v1/companies/${company.id}`;
    const area = (await owner.client.post(`${c}/areas`, { name: 'Salle' })).body;
    const table = (await owner.client.post(`${c}/tables`, { areaId: area.id, label: '4', seats: 4 })).body.id as string;
    await stockedProduct(owner.client, company.id, 50, { name: 'Poulet yassa', price: 4000, station: 'kitchen' });
    const bissap = await stockedProduct(owner.client, company.id, 50, { name: 'Bissap', price: 1000 });
    const server = await addMember(env.app.app, owner.client, company.id, 'server');
    const cook = await addMember(env.app.app, owner.client, company.id, 'cashier');
    const barman = await addMember(env.app.app, owner.client, company.id, 'server');

    // The manager puts the drink on the bar with the product form.
    const manager = await signIn(owner.email);
    await manager.goto(`${env.app.url}/c/${company.id}/products/${bissap.id}/edit`);
    await manager.getByTestId('product-station').selectOption('bar');
    await manager.getByTestId('product-submit').click();
    await manager.waitForURL(new RegExp(`/products/${bissap.id}$`));
    await expect.poll(() => manager.getByTestId('product-detail-station').textContent()).toBe('Bar');
    expect((await owner.client.get(`${c}/products/${bissap.id}`)).body.station).toBe('bar');
    await manager.context().close();

    // The kitchen's tablet (a cashier) and the bar's (a server) wait on their screens.
    const kitchen = await signIn(cook.email, { width: 1280, height: 800 });
    await kitchen.getByRole('link', { name: 'Cuisine' }).first().click();
    await kitchen.waitForURL(/\/stations\/kitchen$/);
    await kitchen.getByTestId('station-empty').waitFor();
    await live(kitchen);
    const bar = await signIn(barman.email, { width: 1024, height: 768 });
    await bar.goto(`${env.app.url}/c/${company.id}/stations/bar`);
    await bar.getByTestId('station-empty').waitFor();
    await live(bar);

    // The server rings up table 4: a dish with a note, two drinks, and sends it.
    const till = await signIn(server.email, { width: 1280, height: 900 });
    await till.goto(`${env.app.url}/c/${company.id}/sales/new?tableId=${table}`);
    await till.getByTestId('till-note').fill('sans piment');
    await till.locator('[data-testid="till-product"]', { hasText: 'Poulet yassa' }).click();
    await till.waitForURL(/\/sales\/[0-9a-f-]{36}$/);
    const saleId = till.url().split('/').pop()!;
    // The sale's own page has taken over (its first line shows) before the next pick.
    await expect.poll(() => till.getByTestId('sale-item').count()).toBe(1);
    await till.getByTestId('till-quantity').fill('2');
    await till.locator('[data-testid="till-product"]', { hasText: 'Bissap' }).click();
    await expect.poll(() => till.getByTestId('stations-to-send').getAttribute('data-count')).toBe('2');
    await till.getByTestId('send-to-stations').click();
    await expect.poll(() => till.getByTestId('sale-ticket').count()).toBe(2);
    expect(await till.getByTestId('stations-to-send').getAttribute('data-count')).toBe('0');
    await expect.poll(() => till.getByTestId('send-to-stations').isDisabled()).toBe(true);

    // The kitchen's screen shows its ticket live: table, server, the dish and its note — not the drinks.
    const ticket = kitchen.getByTestId('station-ticket');
    await ticket.first().waitFor({ timeout: 5000 });
    expect(await ticket.count()).toBe(1);
    expect(await ticket.getByTestId('ticket-where').textContent()).toContain('Table 4');
    const text = await ticket.textContent();
    expect(text).toContain('1 × Poulet yassa');
    expect(text).toContain('sans piment');
    expect(text).toContain('Serveur : server');
    expect(text).not.toContain('Bissap');
    await shot(kitchen, 'kitchen-station');

    // The bar's screen: the drinks.
    await bar.getByTestId('station-ticket').first().waitFor({ timeout: 5000 });
    expect(await bar.getByTestId('station-ticket').textContent()).toContain('2 × Bissap');
    await shot(bar, 'bar-station');

    // The kitchen is ready first: the ticket leaves its screen; the till shows it ready; no toast yet.
    await ticket.getByTestId('ticket-ready').click();
    await kitchen.getByTestId('station-empty').waitFor();
    await expect
      .poll(() => till.locator('[data-testid="sale-ticket"][data-station="kitchen"]').getAttribute('data-status'), { timeout: 5000 })
      .toBe('ready');
    expect(await till.getByText('Commande prête').count()).toBe(0);

    // The bar too: the whole send is ready → the server's toast.
    await bar.getByTestId('station-ticket').getByTestId('ticket-ready').click();
    await bar.getByTestId('station-empty').waitFor();
    await till.getByText('Commande prête : Table 4').first().waitFor({ timeout: 5000 });
    await till.getByText(/Bar : la commande V-\d+ est prête à servir/).first().waitFor();
    await expect
      .poll(() => till.locator('[data-testid="sale-ticket"][data-station="bar"]').getAttribute('data-status'), { timeout: 5000 })
      .toBe('ready');
    await shot(till, 'kitchen-order-ready-toast');

    // One order_ready, to the server only.
    const orderReady = async () => (await server.client.get(`${c}/notifications?type=order_ready`)).body.items.map((n: { data: { saleId: string } }) => n.data.saleId);
    expect(await orderReady()).toEqual([saleId]);
    expect((await owner.client.get(`${c}/notifications?type=order_ready`)).body.items).toEqual([]);

    // The guest changes their mind about the drinks: removing the sent line cancels it at the bar, live and in red.
    await till.locator('[data-testid="sale-item"]', { hasText: 'Bissap' }).getByTestId('sale-item-remove').click();
    const cancel = bar.locator('[data-testid="station-ticket"][data-kind="cancel"]');
    await cancel.waitFor({ timeout: 5000 });
    expect(await cancel.getByTestId('ticket-cancel-banner').textContent()).toBe('ANNULATION');
    expect(await cancel.locator('[data-testid="ticket-line"][data-kind="cancel"]').textContent()).toContain('2 × Bissap');
    expect(await kitchen.getByTestId('station-ticket').count()).toBe(0);
    await shot(bar, 'bar-station-cancellation');
    await expect.poll(() => till.locator('[data-testid="sale-ticket"][data-kind="cancel"]').count(), { timeout: 5000 }).toBe(1);
    await cancel.getByTestId('ticket-ready').click();
    await bar.getByTestId('station-empty').waitFor();
    // A cancellation acknowledged is no new order for the server.
    expect(await orderReady()).toEqual([saleId]);
    for (const page of [kitchen, bar, till]) await page.context().close();
  });
});
