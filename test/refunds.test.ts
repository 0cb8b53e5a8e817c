import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff } from './support/factories.ts';

let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterEach(async () => expectLedgerConsistent(app.db.pool));
afterAll(async () => {
  await app?.stop();
  await drop();
});

/** A paid sale of 3 × 1000 (cash), by a cashier. */
async function paidSale() {
  const s = await companyWithStaff(app.app);
  const base = `/api/v1/companies/${s.company.id}`;
  const p = await stockedProduct(s.owner.client, s.company.id, 10, { name: 'Jus', price: 1000 });
  const cashier = s.members.cashier.client;
  const sale = (await cashier.post(`${base}/sales`, { channel: 'counter', items: [{ productId: p.id, quantity: 3 }] })).body;
  expect((await cashier.post(`${base}/sales/${sale.id}/payments`, { method: 'cash', amount: 3000 })).status).toBe(201);
  return { s, base, p, sale, cashier, manager: s.members.manager.client };
}

describe('refunds', () => {
  it('items with restock: pending, approved by a manager, stock back, sale partially then fully refunded', async () => {
    const { s, base, p, sale, cashier, manager } = await paidSale();
    const item = sale.items[0].id;
    const req = await cashier.post(`${base}/sales/${sale.id}/refunds`, { items: [{ itemId: item, quantity: 1 }], reason: 'Cassé', restock: true });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    expect(req.body).toMatchObject({ amount: 1000, status: 'pending', method: 'cash', restock: true });
    expect(await eventsOf(app.db.pool, s.company.id, 'refund_pending')).toHaveLength(1);
    // A cashier cannot approve.
    expect((await cashier.post(`${base}/refunds/${req.body.id}/approve`)).status).toBe(403);
    const ok = await manager.post(`${base}/refunds/${req.body.id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect((await manager.post(`${base}/refunds/${req.body.id}/approve`)).body.code).toBe('refund.already_decided');
    const after = (await cashier.get(`${base}/sales/${sale.id}`)).body;
    expect(after).toMatchObject({ status: 'partially_refunded', refunded: 1000 });
    expect((await s.owner.client.get(`${base}/products/${p.id}`)).body).toMatchObject({ onHand: 8 });
    const moves = (await s.owner.client.get(`${base}/products/${p.id}/movements`)).body.items;
    expect(moves[0]).toMatchObject({ kind: 'refund_return', quantity: 1 });
    expect(await eventsOf(app.db.pool, s.company.id, 'refund_completed')).toHaveLength(1);

    // The rest, as an amount without restock: refunded, stock unchanged.
    const rest = await cashier.post(`${base}/sales/${sale.id}/refunds`, { amount: 2000, reason: 'Geste commercial', restock: false });
    expect(rest.status).toBe(201);
    expect((await manager.post(`${base}/refunds/${rest.body.id}/approve`)).status).toBe(200);
    expect((await cashier.get(`${base}/sales/${sale.id}`)).body).toMatchObject({ status: 'refunded', refunded: 3000 });
    expect((await s.owner.client.get(`${base}/products/${p.id}`)).body.onHand).toBe(8);
    const none = await cashier.post(`${base}/sales/${sale.id}/refunds`, { amount: 1, reason: 'x', restock: false });
    expect(none.body.code).toBe('sale.illegal_transition');
  });

  it('never more than was paid: over-asks refused, and two racing requests past the paid amount → one refused', async () => {
    const { base, sale, cashier, manager } = await paidSale();
    const tooMuch = await cashier.post(`${base}/sales/${sale.id}/refunds`, { amount: 3001, reason: 'x', restock: false });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ code: 'refund.exceeds_paid', params: { refundable: 3000, requested: 3001 } });
    const race = await Promise.all([
      cashier.post(`${base}/sales/${sale.id}/refunds`, { amount: 2000, reason: 'a', restock: false }),
      manager.post(`${base}/sales/${sale.id}/refunds`, { amount: 2000, reason: 'b', restock: false }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 422]);
    const pendingList = (await manager.get(`${base}/refunds`)).body.items;
    expect(pendingList).toHaveLength(1);
    // Rejected ones free their claim.
    expect((await manager.post(`${base}/refunds/${pendingList[0].id}/reject`)).body.status).toBe('rejected');
    expect((await cashier.post(`${base}/sales/${sale.id}/refunds`, { amount: 3000, reason: 'c', restock: false })).status).toBe(201);
  });

  it('refuses refunds of open sales and bad bodies', async () => {
    const s = await companyWithStaff(app.app);
    const base = `/api/v1/companies/${s.company.id}`;
    const open = (await s.owner.client.post(`${base}/sales`, { channel: 'counter', items: [] })).body;
    expect((await s.owner.client.post(`${base}/sales/${open.id}/refunds`, { amount: 10, reason: 'x' })).body.code).toBe('sale.illegal_transition');
    const both = await s.owner.client.post(`${base}/sales/${open.id}/refunds`, { reason: 'x' });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].field).toBe('amount');
  });
});
