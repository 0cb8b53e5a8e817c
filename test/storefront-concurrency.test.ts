import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectLedgerConsistent } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { codes, storefront } from './support/storefront-kit.ts';

// 100 customers check out 1 unit each, at once, over real HTTP, against stock 20:
// exactly 20 orders, 80 refusals naming the product, and the ledger still adds up.
let a: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
});
afterAll(async () => {
  await a?.stop();
  await drop();
});

describe('parallel checkouts against limited stock', () => {
  it('100 checkouts of 1 unit against stock 20 → exactly 20 orders and 80 refusals naming the product', async () => {
    const s = await storefront(a);
    const p = await s.good(100, { name: 'Pagne wax', price: 12_000 });
    // Every cart takes its unit while stock allows it; a loss then brings on-hand to 20.
    const tokens = await Promise.all(Array.from({ length: 100 }, () => s.newCart()));
    for (const t of tokens) {
      const res = await s.add(t, p.id, 1);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await s.loss(p.id, 80);
    expect(await s.staffProduct(p.id)).toMatchObject({ onHand: 20, held: 0, available: 20 });

    const answers = await Promise.all(tokens.map((t, i) => s.checkout(t, `Client ${i}`)));
    const unexpected = answers.filter((r) => r.status !== 201 && r.status !== 409);
    expect(unexpected.map((r) => [r.status, r.body])).toEqual([]);
    const won = answers.filter((r) => r.status === 201);
    const lost = answers.filter((r) => r.status === 409);
    expect(won).toHaveLength(20);
    expect(lost).toHaveLength(80);

    for (const r of won) {
      expect(r.body.order).toMatchObject({ status: 'pending', total: 12_000, lines: [{ productId: p.id, quantity: 1 }] });
      expect(r.body.cart.status).toBe('checking_out');
    }
    expect(new Set(won.map((r) => r.body.order.reference)).size).toBe(20);
    for (const r of lost) {
      expect(r.body.code).toBe('cart.review');
      const cart = r.body.params.cart;
      expect(cart.status).toBe('open');
      expect(cart.lines).toEqual([]);
      expect(cart.messages).toContainEqual({ level: 'warning', code: 'removed_out_of_stock', params: { productId: p.id, name: 'Pagne wax' } });
      expect(codes(cart)).toEqual(['removed_out_of_stock', 'cart_empty_after_adjustments', 'review_cart']);
    }

    expect(await s.staffProduct(p.id)).toMatchObject({ onHand: 20, held: 20, available: 0 });
    const orders = await a.db.pool.query(`SELECT status, count(*)::int AS n FROM online_orders WHERE company_id = $1 GROUP BY status`, [s.company.id]);
    expect(orders.rows).toEqual([{ status: 'pending', n: 20 }]);
    const holds = await a.db.pool.query(
      `SELECT count(*)::int AS n, sum(quantity)::int AS q FROM holds WHERE company_id = $1 AND status = 'active' AND owner_type = 'cart'`,
      [s.company.id],
    );
    expect(holds.rows[0]).toEqual({ n: 20, q: 20 });
    const pub = await s.call('GET', '/products');
    expect(pub.body.items.find((i: { id: string }) => i.id === p.id)).toMatchObject({ available: 0, inStock: false });
    await expectLedgerConsistent(a.db.pool);
  }, 60_000);
});
