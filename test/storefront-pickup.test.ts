import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { releaseExpiredHolds } from '../src/modules/catalog/index.ts';
import { createMailer } from '../src/platform/mail.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectLedgerConsistent } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { storefront } from './support/storefront-kit.ts';

let a: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
});
afterEach(async () => {
  a.clock.reset();
  await expectLedgerConsistent(a.db.pool);
});
afterAll(async () => {
  await a?.stop();
  await drop();
});

const log = { info: () => {}, warn: () => {}, error: () => {} };
const sweep = () => releaseExpiredHolds.handler({ db: a.db, clock: a.clock, mailer: createMailer(undefined, 'x'), log, publicUrl: a.url, config: a.config, jobs: a.jobs }, {});

describe('pay at pickup', () => {
  it('a confirmed order keeps its stock held past the payment window, until staff cancel it', async () => {
    const s = await storefront(a);
    const savon = await s.good(3, { name: 'Savon' });
    const t = await s.newCart();
    await s.add(t, savon.id, 2);
    const out = await s.checkout(t);
    expect(out.status).toBe(201);
    const confirmed = await s.call('POST', `/carts/${t}/checkout/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.order).toMatchObject({ id: out.body.order.id, status: 'awaiting_pickup', holdExpiresAt: null });

    // Long after the 15-minute window, and after the sweep, the stock is still held.
    a.clock.advanceMinutes(120);
    await sweep();
    expect(await s.staffProduct(savon.id)).toMatchObject({ onHand: 3, held: 2, available: 1 });
    expect((await s.view(t)).body.status).toBe('ordered');

    // Staff see it waiting and cancel it: the stock comes back.
    const waiting = await s.client.get(`${s.staff}/online-orders?status=awaiting_pickup`);
    expect(waiting.status).toBe(200);
    expect(waiting.body.items.map((o: { id: string }) => o.id)).toEqual([out.body.order.id]);
    const cancelled = await s.client.post(`${s.staff}/online-orders/${out.body.order.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await s.staffProduct(savon.id)).toMatchObject({ held: 0, available: 3 });
    expect((await s.client.post(`${s.staff}/online-orders/${out.body.order.id}/cancel`)).body.code).toBe('order.not_cancellable');
  });

  it('cannot confirm once the payment window has lapsed', async () => {
    const s = await storefront(a);
    const huile = await s.good(1, { name: 'Huile' });
    const t = await s.newCart();
    await s.add(t, huile.id, 1);
    expect((await s.checkout(t)).status).toBe(201);
    a.clock.advanceMinutes(16);
    const late = await s.call('POST', `/carts/${t}/checkout/confirm`);
    expect(late.status).toBe(409);
    expect(['cart.hold_expired', 'cart.not_checking_out']).toContain(late.body.code);
    expect(await s.staffProduct(huile.id)).toMatchObject({ held: 0, available: 1 });
  });

  it('pages staff order lists and hides other companies', async () => {
    const s = await storefront(a);
    const p = await s.good(10, { name: 'Thé' });
    for (let i = 0; i < 3; i++) {
      const t = await s.newCart();
      await s.add(t, p.id, 1);
      expect((await s.checkout(t)).status).toBe(201);
    }
    const first = await s.client.get(`${s.staff}/online-orders?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await s.client.get(`${s.staff}/online-orders?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const other = await storefront(a);
    expect((await other.client.post(`${other.staff}/online-orders/${first.body.items[0].id}/cancel`)).status).toBe(404);
    expect((await other.client.get(`${other.staff}/online-orders`)).body.items).toEqual([]);
  });

  it('staff take payment at pickup: a paid online sale at the order prices, holds consumed, in one go', async () => {
    const s = await storefront(a);
    const savon = await s.good(5, { name: 'Savon', price: 1500 });
    const t = await s.newCart();
    await s.add(t, savon.id, 2);
    const out = await s.checkout(t);
    expect(out.status).toBe(201);
    expect((await s.call('POST', `/carts/${t}/checkout/confirm`)).status).toBe(200);
    // After the order the price changes and the product is taken off sale: the customer
    // still pays what was agreed for the goods set aside for them.
    expect((await s.client.patch(`${s.staff}/products/${savon.id}`, { price: 2000, active: false })).status).toBe(200);

    const paid = await s.client.post(`${s.staff}/online-orders/${out.body.order.id}/pay`, { method: 'cash', tendered: 5000 });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.order.status).toBe('paid');
    expect(paid.body.change).toBe(2000);
    const sale = (await s.client.get(`${s.staff}/sales/${paid.body.saleId}`)).body;
    expect(sale).toMatchObject({ status: 'paid', channel: 'online', customerName: 'Awa', due: 0, paid: 3000 });
    expect(sale.items.map((i: { unitPrice: number; quantity: number }) => [i.unitPrice, i.quantity])).toEqual([[1500, 2]]);
    expect(await s.staffProduct(savon.id)).toMatchObject({ onHand: 3, held: 0, available: 3 });
    const movements = (await s.client.get(`${s.staff}/products/${savon.id}/movements`)).body.items;
    expect(movements[0]).toMatchObject({ kind: 'sale', quantity: -2, refId: paid.body.saleId });

    const again = await s.client.post(`${s.staff}/online-orders/${out.body.order.id}/pay`, { method: 'cash' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('order.not_payable');
  });
});
