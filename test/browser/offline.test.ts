import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stockedProduct } from '../support/catalog-helpers.ts';
import { createCompany, signUp } from '../support/factories.ts';
import { browserWorld, shot, signInPage } from './browser.ts';

const env = browserWorld();

async function signIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  return { context, page: await signInPage(env, await context.newPage(), email) };
}

type ApiSale = { id: string; reference: string; status: string; tableId: string | null; totals: { ttc: number }; payments: Array<{ method: string; amount: number }> };

const product = (page: Page, id: string) => page.locator(`[data-testid="till-product"][data-product-id="${id}"]`);
const table = (page: Page, label: string) => page.locator(`[data-testid="floor-table"][data-label="${label}"]`);

/** Cash, the amount due, `tendered` handed over. */
async function payCash(page: Page, tendered: string) {
  await page.getByTestId('payment-form').waitFor();
  await page.getByTestId('payment-method').selectOption('cash');
  await page.getByTestId('payment-tendered').fill(tendered);
  await page.getByTestId('payment-submit').click();
  await expect.poll(() => page.getByTestId('sale-status').first().getAttribute('data-status')).toBe('paid');
}

describe('offline till', () => {
  it('rings up two cash sales offline (one on a table), survives a reload, replays them exactly once; a refused replay is shown and fixed', async () => {
    const owner = await signUp(env.app.app, 'Awa Diallo');
    const company = await createCompany(owner.client, { name: 'Maquis Hors Ligne' });
    const c = `/api/v1/companies/${company.id}`;
    const area = (await owner.client.post(`${c}/areas`, { name: 'Salle' })).body;
    const tables: Record<string, string> = {};
    for (const [i, label] of ['4', '5', '6'].entries()) {
      tables[label] = (await owner.client.post(`${c}/tables`, { areaId: area.id, label, seats: 4, x: 20 + i * 160, y: 20 })).body.id;
    }
    const beer = await stockedProduct(owner.client, company.id, 50, { name: 'Bière', price: 1000 });
    const rice = await stockedProduct(owner.client, company.id, 50, { name: 'Riz sauce', price: 2500 });

    // The worker is served from the root (its scope: the whole app), never from a stale HTTP cache.
    const sw = await fetch(`${env.app.url}/sw.js`);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(await sw.text()).toContain('comptoir-shell-');

    const { context, page } = await signIn(owner.email);
    // The service worker installs (shell and assets precached) and takes the page;
    // the till's reads made through it from then on are kept for offline use.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 10_000 }).toBe(true);
    await page.goto(`${env.app.url}/c/${company.id}/floor`);
    await table(page, '4').waitFor();
    await page.goto(`${env.app.url}/c/${company.id}/sales/new`);
    await product(page, beer.id).waitFor();
    await page.getByTestId('sale-table').locator('option').nth(3).waitFor({ state: 'attached' });

    // ---- Offline: two cash sales.
    await context.setOffline(true);
    const banner = page.getByTestId('offline-banner');
    await expect.poll(() => banner.getAttribute('data-offline')).toBe('true');
    expect(await page.getByTestId('offline-notice').textContent()).toContain('Hors ligne — les ventes sont enregistrées sur cet appareil');
    const unavailable = (await page.getByTestId('offline-unavailable').textContent()) ?? '';
    for (const what of ['carte via Stripe', 'mobile money', 'pages de paiement QR', 'boutique en ligne']) expect(unavailable).toContain(what);

    // Sale 1, at the counter: 2 beers, paid cash with 5 000 handed over.
    await page.getByTestId('till-quantity').fill('2');
    await product(page, beer.id).click();
    await page.waitForURL(/\/sales\/local-[0-9a-f-]+$/);
    const local1 = page.url().split('/').pop()!;
    await expect.poll(() => page.getByTestId('sale-total').getAttribute('data-amount')).toBe('2000');
    expect(await page.locator('[data-testid="sale-item"][data-pending-sync="true"]').count()).toBe(1);
    // What needs the network says so and cannot be pressed.
    expect(await page.getByTestId('payment-request-card').isDisabled()).toBe(true);
    expect(await page.getByTestId('payment-request-mobile').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="payment-method"] option[value="mobile_money"]').isDisabled()).toBe(true);
    await payCash(page, '5000');
    await expect.poll(() => page.getByTestId('payment-change').getAttribute('data-amount')).toBe('3000');

    // Sale 2, on table 4 from the floor: the table shows taken, pending.
    await page.getByTestId('nav-floor').first().click();
    await table(page, '4').getByTestId('create-sale').click();
    await product(page, rice.id).click();
    await page.waitForURL(/\/sales\/local-[0-9a-f-]+$/);
    const local2 = page.url().split('/').pop()!;
    expect(local2).not.toBe(local1);
    await page.getByTestId('nav-floor').first().click();
    await expect.poll(() => table(page, '4').getAttribute('data-status')).toBe('occupied');
    expect(await table(page, '4').getAttribute('data-pending-sync')).toBe('true');
    await table(page, '4').getByTestId('view-sale').click();
    await page.waitForURL(new RegExp(`/sales/${local2}$`));
    await payCash(page, '2500');

    // Four operations wait (two openings, two payments); the server has none of them.
    await expect.poll(() => banner.getAttribute('data-pending')).toBe('4');
    expect((await owner.client.get(`${c}/sales`)).body.items).toHaveLength(0);

    // A reload while offline: the shell comes from the service worker, the queue from IndexedDB.
    await page.reload();
    await expect.poll(() => page.getByTestId('offline-banner').getAttribute('data-pending'), { timeout: 10_000 }).toBe('4');
    await page.getByTestId('sale-status').first().waitFor();
    expect(await page.getByTestId('sale-status').first().getAttribute('data-status')).toBe('paid');
    expect(await page.getByTestId('pending-sync').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('offline-op').count()).toBe(4);
    await shot(page, 'offline-pending');

    // ---- Back online: replayed in order, each once; the page follows the sale's real id.
    await context.setOffline(false);
    await expect.poll(async () => (await owner.client.get(`${c}/sales`)).body.items.length, { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('pending-sync').count()).toBe(0);
    await page.waitForURL(/\/sales\/[0-9a-f]{8}-[0-9a-f-]{27}$/);
    const sales = (await owner.client.get(`${c}/sales`)).body.items as ApiSale[];
    expect(sales.every((s) => s.status === 'paid')).toBe(true);
    const details = await Promise.all(sales.map(async (s) => (await owner.client.get(`${c}/sales/${s.id}`)).body as ApiSale));
    const counter = details.find((s) => s.tableId === null)!;
    const onTable = details.find((s) => s.tableId === tables['4'])!;
    expect(counter.totals.ttc).toBe(2000);
    expect(onTable.totals.ttc).toBe(2500);
    expect(details.flatMap((s) => s.payments)).toHaveLength(2);
    expect(counter.payments).toEqual([expect.objectContaining({ method: 'cash', amount: 2000 })]);
    expect(onTable.payments).toEqual([expect.objectContaining({ method: 'cash', amount: 2500 })]);
    expect(page.url().endsWith(`/sales/${onTable.id}`)).toBe(true);
    expect(await page.getByTestId('sale-reference').textContent()).toBe(onTable.reference);
    expect((await owner.client.get(`${c}/products/${beer.id}`)).body).toMatchObject({ onHand: 48, held: 0 });
    expect((await owner.client.get(`${c}/products/${rice.id}`)).body).toMatchObject({ onHand: 49, held: 0 });
    const floor = (await owner.client.get(`${c}/floor`)).body.tables as Array<{ id: string; status: string }>;
    expect(floor.every((t) => t.status === 'available')).toBe(true);

    // ---- A conflict: offline, table 5 is opened here while another device opens it online.
    await page.getByTestId('nav-floor').first().click();
    await expect.poll(() => table(page, '5').getAttribute('data-status')).toBe('available');
    await context.setOffline(true);
    await table(page, '5').getByTestId('create-sale').click();
    await product(page, beer.id).click();
    await page.waitForURL(/\/sales\/local-[0-9a-f-]+$/);
    const other = await owner.client.post(`${c}/sales`, { tableId: tables['5'], channel: 'table', items: [{ productId: rice.id, quantity: 1 }] });
    expect(other.status).toBe(201);
    await context.setOffline(false);

    // The replay is refused: the server's message, and ways to fix it.
    const fix = page.getByTestId('offline-fix');
    await fix.waitFor({ timeout: 15_000 });
    expect(await fix.getAttribute('data-error-code')).toBe('sale.table_occupied');
    expect(await fix.getByTestId('offline-fix-message').textContent()).toBe(`Cette table a déjà une vente ouverte (${other.body.reference}).`);
    expect(await fix.getByTestId('offline-fix-existing').isVisible()).toBe(true);
    expect(await page.getByTestId('pending-sync').first().getAttribute('data-failed')).toBe('true');
    await shot(page, 'offline-conflict');
    // Nothing of it reached the server.
    expect((await owner.client.get(`${c}/sales`)).body.items).toHaveLength(3);

    // Fix: move it to table 6, then it goes through.
    await fix.getByTestId('offline-fix-edit').click();
    await fix.getByTestId('offline-fix-table').selectOption(tables['6']!);
    await fix.getByTestId('offline-fix-save').click();
    await expect.poll(() => page.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await owner.client.get(`${c}/sales`)).body.items.length).toBe(4);
    const moved = ((await owner.client.get(`${c}/sales?status=open`)).body.items as ApiSale[]).find((s) => s.tableId === tables['6']);
    expect(moved).toBeDefined();
    expect((await owner.client.get(`${c}/sales/${moved!.id}`)).body.totals.ttc).toBe(1000);
    await page.waitForURL(new RegExp(`/sales/${moved!.id}$`));
    const onFive = ((await owner.client.get(`${c}/sales?status=open`)).body.items as ApiSale[]).filter((s) => s.tableId === tables['5']);
    expect(onFive.map((s) => s.id)).toEqual([other.body.id]);
    await context.close();
  });

  it('a payment whose answer is lost on the way back is queued with its key and applied once', async () => {
    const owner = await signUp(env.app.app, 'Fatou');
    const company = await createCompany(owner.client, { name: 'Café du Marché' });
    const c = `/api/v1/companies/${company.id}`;
    const tea = await stockedProduct(owner.client, company.id, 10, { name: 'Thé', price: 300 });
    const sale = (await owner.client.post(`${c}/sales`, { channel: 'counter', items: [{ productId: tea.id, quantity: 2 }] })).body as ApiSale;

    const { context, page } = await signIn(owner.email);
    const keys: string[] = [];
    let lost = false;
    await context.route(`**/api/v1/companies/${company.id}/sales/${sale.id}/payments`, async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (lost) return route.continue();
      lost = true;
      await route.fetch(); // the server takes the payment…
      return route.abort('internetdisconnected'); // …and its answer never comes back
    });
    await page.goto(`${env.app.url}/c/${company.id}/sales/${sale.id}`);
    await payCash(page, '1000');
    // Queued after the failure, replayed at once with the same key: the server answers what it did the first time.
    await expect.poll(() => keys.length, { timeout: 15_000 }).toBe(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    await expect.poll(() => page.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
    const detail = (await owner.client.get(`${c}/sales/${sale.id}`)).body as ApiSale;
    expect(detail.status).toBe('paid');
    expect(detail.payments).toEqual([expect.objectContaining({ method: 'cash', amount: 600 })]);
    await context.close();
  });

  it('the public shop never installs the worker (staff pages only)', async () => {
    const owner = await signUp(env.app.app, 'Boutique');
    const company = await createCompany(owner.client, { name: 'Épicerie en ligne' });
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${env.app.url}/shop/${company.slug}`);
    await page.getByTestId('shop').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    await context.close();
  });

  it('a refused replay can be discarded, after a confirmation, and only then leaves the device', async () => {
    const owner = await signUp(env.app.app, 'Moussa');
    const company = await createCompany(owner.client, { name: 'Buvette du Stade' });
    const c = `/api/v1/companies/${company.id}`;
    const area = (await owner.client.post(`${c}/areas`, { name: 'Terrasse' })).body;
    const t1 = (await owner.client.post(`${c}/tables`, { areaId: area.id, label: '1', seats: 2 })).body.id;
    const soda = await stockedProduct(owner.client, company.id, 10, { name: 'Soda', price: 500 });

    const { context, page } = await signIn(owner.email);
    await page.goto(`${env.app.url}/c/${company.id}/sales/new?tableId=${t1}`);
    await product(page, soda.id).waitFor();
    await context.setOffline(true);
    await product(page, soda.id).click();
    await page.waitForURL(/\/sales\/local-[0-9a-f-]+$/);
    const taken = await owner.client.post(`${c}/sales`, { tableId: t1, channel: 'table', items: [] });
    expect(taken.status).toBe(201);
    await context.setOffline(false);

    const fix = page.getByTestId('offline-fix');
    await fix.waitFor({ timeout: 15_000 });
    // Still there after a reload: a refusal is kept until someone decides.
    await page.reload();
    await page.getByTestId('offline-fix').waitFor();
    await page.getByTestId('offline-fix-discard').click();
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0);
    expect(await page.evaluate(() => new Promise<number>((resolve, reject) => {
      const req = indexedDB.open('comptoir-offline');
      req.onsuccess = () => {
        const count = req.result.transaction('ops').objectStore('ops').count();
        count.onsuccess = () => resolve(count.result);
        count.onerror = () => reject(count.error);
      };
      req.onerror = () => reject(req.error);
    }))).toBe(0);
    expect((await owner.client.get(`${c}/sales`)).body.items).toHaveLength(1);
    await context.close();
  });
  it('moves a sale opened offline to another table and cancels another, replays open → move with the real id; a refused move is shown and fixed', async () => {
    const owner = await signUp(env.app.app, 'Ibrahima');
    const company = await createCompany(owner.client, { name: 'Grill de la Gare' });
    const c = `/api/v1/companies/${company.id}`;
    const area = (await owner.client.post(`${c}/areas`, { name: 'Salle' })).body;
    const tables: Record<string, string> = {};
    for (const [i, label] of ['1', '2', '3'].entries()) {
      tables[label] = (await owner.client.post(`${c}/tables`, { areaId: area.id, label, seats: 4, x: 20 + i * 160, y: 20 })).body.id;
    }
    const juice = await stockedProduct(owner.client, company.id, 20, { name: 'Bissap', price: 700 });

    const { context, page } = await signIn(owner.email);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 10_000 }).toBe(true);
    await page.goto(`${env.app.url}/c/${company.id}/sales/new`);
    await product(page, juice.id).waitFor();
    await page.getByTestId('nav-floor').first().click();
    await table(page, '3').waitFor();

    // ---- Offline: a sale opened on table 2, then moved to table 3 from the till.
    await context.setOffline(true);
    const banner = page.getByTestId('offline-banner');
    await expect.poll(() => banner.getAttribute('data-offline')).toBe('true');
    await table(page, '2').getByTestId('create-sale').click();
    await product(page, juice.id).click();
    await page.waitForURL(/\/sales\/local-[0-9a-f-]+$/);
    const moving = page.url().split('/').pop()!;
    await page.getByTestId('transfer-table').locator(`option[value="${tables['3']}"]`).waitFor({ state: 'attached' });
    await page.getByTestId('transfer-table').selectOption(tables['3']!);
    await page.getByTestId('transfer-submit').click();
    await expect.poll(() => page.getByTestId('sale-channel').textContent()).toContain('3');
    expect(page.url().endsWith(`/sales/${moving}`)).toBe(true);
    // The merge needs the server: not offered on a sale waiting to be synchronised.
    expect(await page.getByTestId('merge-form').count()).toBe(0);
    await page.getByTestId('nav-floor').first().click();
    await expect.poll(() => table(page, '3').getAttribute('data-status')).toBe('occupied');
    expect(await table(page, '3').getAttribute('data-pending-sync')).toBe('true');
    expect(await table(page, '2').getAttribute('data-status')).toBe('available');

    // Another sale opened offline on table 1, then cancelled: the table is free again.
    await table(page, '1').getByTestId('create-sale').click();
    await product(page, juice.id).click();
    await page.waitForURL(/\/sales\/local-[0-9a-f-]+$/);
    expect(page.url().split('/').pop()).not.toBe(moving);
    await page.getByTestId('cancel-reason').fill('Client parti');
    await page.getByTestId('cancel-sale').click();
    await expect.poll(() => page.getByTestId('sale-status').first().getAttribute('data-status')).toBe('cancelled');
    await page.getByTestId('nav-floor').first().click();
    await expect.poll(() => table(page, '1').getAttribute('data-status')).toBe('available');
    expect(await table(page, '3').getAttribute('data-status')).toBe('occupied');

    // Two openings, a move, a cancellation; the server has none of them.
    await expect.poll(() => banner.getAttribute('data-pending')).toBe('4');
    expect((await owner.client.get(`${c}/sales`)).body.items).toHaveLength(0);

    // ---- Back online: open → move with the real id, open → cancel; each once.
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
    const all = (await owner.client.get(`${c}/sales`)).body.items as ApiSale[];
    expect(all).toHaveLength(2);
    const moved = all.find((s) => s.status === 'open')!;
    const cancelled = all.find((s) => s.status === 'cancelled')!;
    expect(moved).toBeDefined();
    expect(cancelled).toBeDefined();
    expect(moved.tableId).toBe(tables['3']);
    expect(all.filter((s) => s.tableId === tables['3'])).toHaveLength(1);
    expect((await owner.client.get(`${c}/sales/${cancelled.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'Client parti' });
    let floor = (await owner.client.get(`${c}/floor`)).body.tables as Array<{ id: string; status: string; sale: { id: string } | null }>;
    expect(floor.find((t) => t.id === tables['1'])!.status).toBe('available');
    expect(floor.find((t) => t.id === tables['2'])!.status).toBe('available');
    expect(floor.find((t) => t.id === tables['3'])).toMatchObject({ status: 'occupied', sale: expect.objectContaining({ id: moved.id }) });
    expect((await owner.client.get(`${c}/products/${juice.id}`)).body).toMatchObject({ held: 1 });

    // ---- A refused move: offline, the sale moves to table 2 while another device opens it.
    await page.goto(`${env.app.url}/c/${company.id}/sales/${moved.id}`);
    await page.getByTestId('transfer-table').locator(`option[value="${tables['2']}"]`).waitFor({ state: 'attached' });
    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('offline-banner').getAttribute('data-offline')).toBe('true');
    await page.getByTestId('transfer-table').selectOption(tables['2']!);
    await page.getByTestId('transfer-submit').click();
    await expect.poll(() => page.getByTestId('sale-channel').textContent()).toContain('2');
    const other = await owner.client.post(`${c}/sales`, { tableId: tables['2'], channel: 'table', items: [] });
    expect(other.status).toBe(201);
    await context.setOffline(false);

    const fix = page.getByTestId('offline-fix');
    await fix.waitFor({ timeout: 15_000 });
    expect(await fix.getAttribute('data-kind')).toBe('transfer');
    expect(await fix.getAttribute('data-error-code')).toBe('sale.table_occupied');
    expect(await fix.getByTestId('offline-fix-message').textContent()).toBe(`Cette table a déjà une vente ouverte (${other.body.reference}).`);
    expect((await owner.client.get(`${c}/sales/${moved.id}`)).body.tableId).toBe(tables['3']);
    // A refused move did not happen: the sale shows on its table until it is fixed.
    await expect.poll(() => page.getByTestId('sale-channel').textContent()).toContain('3');
    expect(await page.getByTestId('pending-sync').first().getAttribute('data-failed')).toBe('true');

    // Fix: choose another table (1), then it goes through.
    await fix.getByTestId('offline-fix-edit').click();
    await fix.getByTestId('offline-fix-table').locator(`option[value="${tables['1']}"]`).waitFor({ state: 'attached' });
    await fix.getByTestId('offline-fix-table').selectOption(tables['1']!);
    await fix.getByTestId('offline-fix-save').click();
    await expect.poll(() => page.getByTestId('offline-banner').count(), { timeout: 15_000 }).toBe(0);
    expect((await owner.client.get(`${c}/sales/${moved.id}`)).body.tableId).toBe(tables['1']);
    floor = (await owner.client.get(`${c}/floor`)).body.tables;
    expect(floor.find((t) => t.id === tables['3'])!.status).toBe('available');
    expect(floor.find((t) => t.id === tables['2'])!.sale?.id).toBe(other.body.id);
    await context.close();
  });
});
