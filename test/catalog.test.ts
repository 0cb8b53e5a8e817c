import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectLedgerConsistent, eventsOf, makeProduct, stockedProduct } from './support/catalog-helpers.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, createCompany, signUp } from './support/factories.ts';

let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterEach(async () => expectLedgerConsistent(app.db.pool));
afterAll(async () => {
  await app.stop();
  await drop();
});

/** A fresh owner and company: `api(path)` is the company's base URL. */
async function shop(settings?: Record<string, unknown>) {
  const { client, userId } = await signUp(app.app, 'Awa Owner');
  const company = await createCompany(client, settings ? { settings } : {});
  const base = `/api/v1/companies/${company.id}`;
  return { owner: client, userId, company, base };
}
const stockOf = (p: Record<string, unknown>) => ({ onHand: p.onHand, held: p.held, available: p.available, lowStock: p.lowStock });
const hold = (c: Client, base: string, productId: string, quantity: number) =>
  c.post(`${base}/holds`, { owner: { type: 'live_order', id: randomUUID() }, lines: [{ productId, quantity }] });

describe('products', () => {
  it('creates goods and services with the company default tax rate and stock figures', async () => {
    const { owner, company, base } = await shop();
    const good = await makeProduct(owner, company.id, { name: ' Riz parfumé 5 kg ', sku: 'RIZ-5', category: 'Épicerie', price: 4500 });
    expect(good).toMatchObject({ name: 'Riz parfumé 5 kg', sku: 'RIZ-5', category: 'Épicerie', price: 4500, taxRate: 1800, kind: 'good', durationMinutes: null,
      lowStockThreshold: 0, active: true, imageUrl: null, station: null, archivedAt: null, onHand: 0, held: 0, available: 0, lowStock: true });
    const service = await makeProduct(owner, company.id, { name: 'Coupe homme', kind: 'service', durationMinutes: 30, taxRate: 0, price: 3000 });
    expect(service).toMatchObject({ kind: 'service', durationMinutes: 30, taxRate: 0, onHand: 0, held: 0, available: 0, lowStock: false });
    expect((await owner.get(`${base}/products/${good.id}`)).body).toEqual(good);

    const reduced = await shop({ defaultTaxRate: 550 });
    expect((await makeProduct(reduced.owner, reduced.company.id)).taxRate).toBe(550);
    expect((await makeProduct(reduced.owner, reduced.company.id, { taxRate: 1000 })).taxRate).toBe(1000);
  });

  it('keeps SKUs unique per company whatever their case, updates, archives and unarchives', async () => {
    const { owner, company, base } = await shop();
    const p = await makeProduct(owner, company.id, { name: 'Bissap', sku: 'BIS-1' });
    const taken = await owner.post(`${base}/products`, { name: 'Autre', sku: 'bis-1', price: 1, kind: 'good' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'product.sku_taken' });
    const other = await shop();
    expect((await makeProduct(other.owner, other.company.id, { sku: 'BIS-1' })).sku).toBe('BIS-1');

    const q = await makeProduct(owner, company.id, { name: 'Gingembre', sku: 'GIN-1' });
    const clash = await owner.patch(`${base}/products/${q.id}`, { sku: 'Bis-1' });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe('product.sku_taken');
    const patched = await owner.patch(`${base}/products/${p.id}`, { name: 'Bissap 1 L', price: 800, category: 'Boissons', lowStockThreshold: 4 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: p.id, name: 'Bissap 1 L', sku: 'BIS-1', price: 800, category: 'Boissons', lowStockThreshold: 4, onHand: 0, available: 0, lowStock: true });

    const archived = await owner.post(`${base}/products/${p.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ active: false, onHand: 0, held: 0, available: 0 });
    expect(Math.abs(Date.parse(archived.body.archivedAt) - app.clock.now().getTime())).toBeLessThan(10_000);
    const listed = async (query = '') => (await owner.get(`${base}/products${query}`)).body.items.map((x: { id: string }) => x.id);
    expect(await listed()).toEqual([q.id]);
    expect(await listed('?archived=true')).toEqual([p.id]);
    const back = await owner.post(`${base}/products/${p.id}/unarchive`);
    expect(back.body).toMatchObject({ active: true, archivedAt: null });
    expect(await listed()).toEqual([p.id, q.id]);
  });

  it('lists by name with filters and cursor pages without duplicates', async () => {
    const { owner, company, base } = await shop();
    const make = (name: string, f: Record<string, unknown> = {}) => makeProduct(owner, company.id, { name, ...f });
    const cola = await stockedProduct(owner, company.id, 20, { name: 'Coca 33cl', sku: 'COC-33', category: 'Boissons', lowStockThreshold: 5 });
    const eau = await stockedProduct(owner, company.id, 3, { name: 'Eau 1,5 L', sku: 'EAU-15', category: 'Boissons', lowStockThreshold: 5 });
    const coupe = await make('Coupe enfant', { kind: 'service', durationMinutes: 20, category: 'Salon' });
    const old = await make('Ancien savon 100%_x', { active: false, category: 'Hygiène' });
    const names = ['Bière', 'Arachides', 'Dattes', 'Farine', 'Gari', 'Éclair', 'Étoile', 'Œufs'];
    for (const n of names) await stockedProduct(owner, company.id, 10, { name: n, category: 'Épicerie' });
    const ids = async (query: string) => (await owner.get(`${base}/products?${query}`)).body.items.map((x: { name: string }) => x.name);

    expect(await ids('search=co')).toEqual(['Coca 33cl', 'Coupe enfant']);
    expect(await ids('search=eau-15')).toEqual(['Eau 1,5 L']);
    expect(await ids('search=100%25_')).toEqual(['Ancien savon 100%_x']);
    expect(await ids('search=%25')).toEqual(['Ancien savon 100%_x']);
    expect(await ids('category=Boissons')).toEqual(['Coca 33cl', 'Eau 1,5 L']);
    expect(await ids('kind=service')).toEqual([coupe.name]);
    expect(await ids('active=false')).toEqual([old.name]);
    expect(await ids('lowStock=true')).toEqual(['Ancien savon 100%_x', 'Eau 1,5 L']);
    expect((await owner.get(`${base}/products/categories`)).body.items.sort()).toEqual(['Boissons', 'Hygiène', 'Salon', 'Épicerie'].sort());

    const all = (await owner.get(`${base}/products`)).body;
    expect(all.nextCursor).toBeNull();
    const listedNames: string[] = all.items.map((x: { name: string }) => x.name);
    expect([...listedNames].sort()).toEqual([...names, cola.name, eau.name, coupe.name, old.name].sort());
    // Case-insensitive name order (accented initials sort where the database collation puts them).
    const ascii = listedNames.filter((n) => /^[A-Za-z]/.test(n));
    expect(ascii).toEqual([...ascii].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    for (const item of all.items) expect(stockOf(item)).toEqual({ onHand: expect.any(Number), held: 0, available: item.onHand, lowStock: expect.any(Boolean) });
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await owner.get(`${base}/products?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor;
    }
    expect(seen).toEqual(all.items.map((x: { id: string }) => x.id));
    expect((await owner.get(`${base}/products?cursor=nope`)).body).toMatchObject({ status: 400, errors: [{ field: 'cursor' }] });
  });
});

describe('stock ledger', () => {
  it('restocks, adjusts within what is held, and lists movements newest first with the actor', async () => {
    const { owner, company, base } = await shop();
    const p = await makeProduct(owner, company.id, { name: 'Lait' });
    const restocked = await owner.post(`${base}/products/${p.id}/restock`, { quantity: 10, note: 'Livraison' });
    expect(restocked.status).toBe(200);
    expect(stockOf(restocked.body)).toEqual({ onHand: 10, held: 0, available: 10, lowStock: false });
    app.clock.advanceMinutes(1);
    const held = await hold(owner, base, p.id, 6);
    expect(held.status).toBe(201);
    const tooMuch = await owner.post(`${base}/products/${p.id}/adjustments`, { delta: -5, reason: 'comptage' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'stock.insufficient', params: { productId: p.id, name: 'Lait', available: 4, requested: 5 } });
    const adjusted = await owner.post(`${base}/products/${p.id}/adjustments`, { delta: -4, reason: 'comptage' });
    expect(stockOf(adjusted.body)).toEqual({ onHand: 6, held: 6, available: 0, lowStock: true });
    app.clock.advanceMinutes(1);
    await owner.post(`${base}/products/${p.id}/adjustments`, { delta: 2, reason: 'retrouvé' });

    const noReason = await owner.post(`${base}/products/${p.id}/adjustments`, { delta: 2 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', code: 'required' }]);
    expect((await owner.post(`${base}/products/${p.id}/adjustments`, { delta: 0, reason: 'x' })).body.errors).toMatchObject([{ field: 'delta' }]);

    const moves = (await owner.get(`${base}/products/${p.id}/movements`)).body;
    expect(moves.items.map((m: Record<string, unknown>) => [m.kind, m.quantity, m.onHandAfter, m.reason, m.note])).toEqual([
      ['adjustment', 2, 8, 'retrouvé', null],
      ['adjustment', -4, 6, 'comptage', null],
      ['restock', 10, 10, null, 'Livraison'],
    ]);
    expect(moves.items[0].actor).toEqual({ type: 'user', id: expect.any(String), name: 'Awa Owner' });
    const first = await owner.get(`${base}/products/${p.id}/movements?limit=2`);
    const rest = await owner.get(`${base}/products/${p.id}/movements?limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.items, ...rest.body.items]).toEqual(moves.items);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('records a loss with its reason and event, and refuses one beyond what is available', async () => {
    const { owner, company, base } = await shop();
    const p = await stockedProduct(owner, company.id, 5, { name: 'Oeufs' });
    expect((await hold(owner, base, p.id, 2)).status).toBe(201);
    const loss = await owner.post(`${base}/stock-losses`, { productId: p.id, quantity: 2, reason: 'broken', note: 'tombés' });
    expect(loss.status).toBe(201);
    expect(loss.body).toMatchObject({ movementId: expect.any(String), product: { id: p.id, onHand: 3, held: 2, available: 1 } });
    const [m] = (await owner.get(`${base}/products/${p.id}/movements?limit=1`)).body.items;
    expect(m).toMatchObject({ id: loss.body.movementId, kind: 'loss', quantity: -2, onHandAfter: 3, reason: 'broken', note: 'tombés' });
    expect(await eventsOf(app.db.pool, company.id, 'loss_reported', p.id)).toEqual([
      { data: { productId: p.id, quantity: 2, reason: 'broken', name: p.name }, actor_type: 'user', level: 'warning' },
    ]);
    const beyond = await owner.post(`${base}/stock-losses`, { productId: p.id, quantity: 2, reason: 'stolen' });
    expect(beyond.status).toBe(409);
    expect(beyond.body).toMatchObject({ code: 'stock.insufficient', params: { available: 1, requested: 2 } });
    expect((await owner.post(`${base}/stock-losses`, { productId: p.id, quantity: 1, reason: 'lost' })).body.errors).toMatchObject([{ field: 'reason' }]);
    expect(await eventsOf(app.db.pool, company.id, 'loss_reported', p.id)).toHaveLength(1);
  });

  it('emits low_stock once per crossing, through losses and holds', async () => {
    const { owner, company, base } = await shop();
    const p = await stockedProduct(owner, company.id, 5, { name: 'Pain', lowStockThreshold: 3 });
    const lows = async () => (await eventsOf(app.db.pool, company.id, 'low_stock', p.id)).map((e) => e.data);
    expect(await lows()).toEqual([]);
    const loss = (quantity: number) => owner.post(`${base}/stock-losses`, { productId: p.id, quantity, reason: 'expired' });
    expect((await loss(1)).body.product.lowStock).toBe(false);
    expect(await lows()).toEqual([]);
    expect((await loss(1)).body.product).toMatchObject({ available: 3, lowStock: true });
    expect(await lows()).toEqual([{ productId: p.id, name: 'Pain', available: 3, threshold: 3 }]);
    await loss(1);
    expect((await hold(owner, base, p.id, 1)).status).toBe(201);
    expect(await lows()).toHaveLength(1);
    await owner.post(`${base}/products/${p.id}/restock`, { quantity: 5 });
    const back = await hold(owner, base, p.id, 2);
    expect(back.status).toBe(201);
    expect((await owner.get(`${base}/products/${p.id}`)).body).toMatchObject({ onHand: 7, held: 3, available: 4, lowStock: false });
    expect(await lows()).toHaveLength(1);
    expect((await hold(owner, base, p.id, 2)).status).toBe(201);
    expect(await lows()).toEqual([
      { productId: p.id, name: 'Pain', available: 3, threshold: 3 },
      { productId: p.id, name: 'Pain', available: 2, threshold: 3 },
    ]);
  });

  it('never stocks a service: restock, adjust and loss refused, holds skip it', async () => {
    const { owner, company, base } = await shop();
    const svc = await makeProduct(owner, company.id, { name: 'Tresses', kind: 'service', durationMinutes: 120 });
    const good = await stockedProduct(owner, company.id, 4, { name: 'Mèches' });
    for (const [path, body] of [['restock', { quantity: 1 }], ['adjustments', { delta: 1, reason: 'x' }]] as const) {
      const res = await owner.post(`${base}/products/${svc.id}/${path}`, body);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'product.not_stocked', params: { productId: svc.id } });
    }
    expect((await owner.post(`${base}/stock-losses`, { productId: svc.id, quantity: 1, reason: 'other' })).body.code).toBe('product.not_stocked');
    const res = await owner.post(`${base}/holds`, {
      owner: { type: 'live_order', id: randomUUID() },
      lines: [{ productId: svc.id, quantity: 1 }, { productId: good.id, quantity: 2 }],
    });
    expect(res.status).toBe(201);
    expect(res.body.holds).toMatchObject([{ productId: good.id, quantity: 2 }]);
    expect(stockOf((await owner.get(`${base}/products/${svc.id}`)).body)).toEqual({ onHand: 0, held: 0, available: 0, lowStock: false });
  });
});

describe('access', () => {
  it('lets each role do only what its permissions say', async () => {
    const { company, owner, members } = await companyWithStaff(app.app);
    const base = `/api/v1/companies/${company.id}`;
    const p = await stockedProduct(owner.client, company.id, 10);
    const { server, cashier, manager } = members;
    const body = { owner: { type: 'live_order', id: randomUUID() }, lines: [{ productId: p.id, quantity: 1 }] };
    const denied = [
      ['POST', `products/${p.id}/restock`, { quantity: 1 }],
      ['POST', `products/${p.id}/adjustments`, { delta: 1, reason: 'x' }],
      ['POST', 'stock-losses', { productId: p.id, quantity: 1, reason: 'broken' }],
      ['POST', 'holds', body],
      ['POST', 'holds/release', { owner: body.owner }],
      ['GET', `holds?ownerType=live_order&ownerId=${body.owner.id}`, undefined],
      ['GET', `products/${p.id}/movements`, undefined],
      ['POST', 'products', { name: 'x', price: 1, kind: 'good' }],
    ] as const;
    for (const [method, path, b] of denied) {
      const res = await server.client.request(method, `${base}/${path}`, b);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await server.client.get(`${base}/products`)).body.items).toHaveLength(1);
    expect((await server.client.get(`${base}/products/${p.id}`)).status).toBe(200);

    expect((await cashier.client.post(`${base}/stock-losses`, { productId: p.id, quantity: 1, reason: 'broken' })).status).toBe(201);
    expect((await cashier.client.post(`${base}/products/${p.id}/restock`, { quantity: 1 })).status).toBe(403);
    expect((await cashier.client.post(`${base}/products`, { name: 'x', price: 1, kind: 'good' })).status).toBe(403);
    expect((await cashier.client.get(`${base}/products/${p.id}/movements`)).status).toBe(200);
    expect((await cashier.client.post(`${base}/holds`, body)).status).toBe(201);
    expect((await manager.client.post(`${base}/products/${p.id}/restock`, { quantity: 2 })).body.onHand).toBe(11);
  });

  it("answers 404 for another company's product on every product route", async () => {
    const mine = await shop();
    const theirs = await shop();
    const foreign = await stockedProduct(theirs.owner, theirs.company.id, 5);
    const routes = [
      ['GET', `products/${foreign.id}`, undefined],
      ['PATCH', `products/${foreign.id}`, { name: 'pris' }],
      ['POST', `products/${foreign.id}/archive`, {}],
      ['POST', `products/${foreign.id}/unarchive`, {}],
      ['POST', `products/${foreign.id}/restock`, { quantity: 1 }],
      ['POST', `products/${foreign.id}/adjustments`, { delta: -1, reason: 'x' }],
      ['GET', `products/${foreign.id}/movements`, undefined],
      ['POST', 'stock-losses', { productId: foreign.id, quantity: 1, reason: 'stolen' }],
    ] as const;
    for (const [method, path, b] of routes) {
      const res = await mine.owner.request(method, `${mine.base}/${path}`, b);
      expect([res.status, res.body.code], `${method} ${path}`).toEqual([404, 'product.not_found']);
    }
    // A hold naming it finds nothing to hold.
    const held = await hold(mine.owner, mine.base, foreign.id, 1);
    expect(held.status).toBe(409);
    expect(held.body.params.lines).toEqual([{ productId: foreign.id, requested: 1, available: 0 }]);
    expect(stockOf((await theirs.owner.get(`${theirs.base}/products/${foreign.id}`)).body)).toEqual({ onHand: 5, held: 0, available: 5, lowStock: false });
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const { owner, company, base } = await shop();
    const p = await makeProduct(owner, company.id);
    const cases = [
      ['POST', 'products', { price: 1, kind: 'good' }, 'name'],
      ['POST', 'products', { name: 'x', price: -1, kind: 'good' }, 'price'],
      ['POST', 'products', { name: 'x', price: 1.5, kind: 'good' }, 'price'],
      ['POST', 'products', { name: 'x', price: 1, kind: 'food' }, 'kind'],
      ['POST', 'products', { name: 'x', price: 1, kind: 'good', taxRate: 10_001 }, 'taxRate'],
      ['POST', 'products', { name: 'x', price: 1, kind: 'good', imageUrl: 'not a url' }, 'imageUrl'],
      ['POST', 'products', { name: 'x', price: 1, kind: 'good', station: 'grill' }, 'station'],
      ['PATCH', `products/${p.id}`, { station: 'terrasse' }, 'station'],
      ['PATCH', `products/${p.id}`, { colour: 'red' }, 'colour'],
      ['PATCH', `products/${p.id}`, { lowStockThreshold: -1 }, 'lowStockThreshold'],
      ['POST', `products/${p.id}/restock`, { quantity: 0 }, 'quantity'],
      ['POST', 'stock-losses', { productId: 'nope', quantity: 1, reason: 'broken' }, 'productId'],
      ['POST', 'holds', { owner: { type: 'cart', id: randomUUID() }, lines: [{ productId: p.id, quantity: 1 }] }, 'owner.type'],
      ['POST', 'holds', { owner: { type: 'live_order', id: randomUUID() }, lines: [] }, 'lines'],
      ['GET', 'products/not-a-uuid', undefined, 'productId'],
    ] as const;
    for (const [method, path, body, field] of cases) {
      const res = await owner.request(method, `${base}/${path}`, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field), JSON.stringify(res.body)).toContain(field);
    }
  });
});
