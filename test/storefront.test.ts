import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { releaseExpiredHolds } from '../src/modules/catalog/index.ts';
import { createMailer } from '../src/platform/mail.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, makeProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { storefront } from './support/storefront-kit.ts';

// Seed 001's scenarios over the public shop API (real HTTP, no sign-in): every refusal
// and adjustment names the product with the right level, checkout holds for 15 minutes.
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

const about = (p: { id: string; name: string }) => ({ productId: p.id, name: p.name });
const orderStatus = async (id: string) => (await a.db.pool.query('SELECT status FROM online_orders WHERE id = $1', [id])).rows[0]?.status;
const sweepJob = () =>
  releaseExpiredHolds.handler({ db: a.db, clock: a.clock, mailer: createMailer(undefined, 'x@example.test'), log: { info() {}, warn() {}, error() {} }, publicUrl: a.url, config: a.config, jobs: a.jobs }, {});

describe('adding to the cart', () => {
  it('more than available → 409 insufficient_stock naming the product, the cart unchanged', async () => {
    const s = await storefront(a);
    const savon = await s.good(5, { name: 'Savon', price: 1500 });
    const huile = await s.good(2, { name: 'Huile', price: 2500 });
    const t = await s.newCart();
    const ok = await s.add(t, savon.id, 2);
    expect(ok.status).toBe(200);
    expect(ok.body.messages).toEqual([{ level: 'success', code: 'added', params: { ...about(savon), quantity: 2 } }]);
    expect(ok.body).toMatchObject({ status: 'open', total: 3000, currency: 'XOF', lines: [{ productId: savon.id, quantity: 2, lineTotal: 3000, available: 5 }] });

    const res = await s.add(t, huile.id, 3);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('cart.insufficient_stock');
    expect(res.body.params).toMatchObject({ ...about(huile), available: 2, requested: 3 });
    expect(res.body.params.messages[0]).toEqual({ level: 'error', code: 'insufficient_stock', params: { ...about(huile), available: 2, requested: 3 } });
    const after = await s.view(t);
    expect(after.body.lines.map((l: { productId: string; quantity: number }) => [l.productId, l.quantity])).toEqual([[savon.id, 2]]);
    expect(after.body.messages).toEqual([]);
  });

  it('out of stock → 409 out_of_stock; the cart already holding all → cannot_add_more', async () => {
    const s = await storefront(a);
    const empty = await makeProduct(s.client, s.company.id, { name: 'Attiéké' });
    const t = await s.newCart();
    const out = await s.add(t, empty.id, 1);
    expect(out.status).toBe(409);
    expect(out.body).toMatchObject({ code: 'cart.out_of_stock', params: { ...about(empty), messages: [{ level: 'warning', code: 'out_of_stock' }] } });

    const two = await s.good(2, { name: 'Bissap' });
    expect((await s.add(t, two.id, 2)).status).toBe(200);
    const more = await s.add(t, two.id, 1);
    expect(more.status).toBe(409);
    expect(more.body).toMatchObject({ code: 'cart.cannot_add_more', params: { ...about(two), messages: [{ level: 'warning', code: 'cannot_add_more' }] } });
    expect((await s.view(t)).body.lines).toMatchObject([{ productId: two.id, quantity: 2 }]);
  });

  it('a quantity edit above the stock is trimmed with a warning; 0 removes the line', async () => {
    const s = await storefront(a);
    const p = await s.good(3, { name: 'Riz 5kg', price: 4000 });
    const t = await s.newCart();
    await s.add(t, p.id, 1);
    const set = await s.call('PATCH', `/carts/${t}/items/${p.id}`, { quantity: 5 });
    expect(set.status).toBe(200);
    expect(set.body.lines).toMatchObject([{ productId: p.id, quantity: 3, lineTotal: 12_000 }]);
    expect(set.body.messages).toEqual([{ level: 'warning', code: 'quantity_adjusted', params: { ...about(p), available: 3, requested: 5 } }]);
    const two = await s.call('PATCH', `/carts/${t}/items/${p.id}`, { quantity: 2 });
    expect(two.body.messages).toMatchObject([{ level: 'success', code: 'quantity_updated', params: { ...about(p), quantity: 2 } }]);
    const zero = await s.call('PATCH', `/carts/${t}/items/${p.id}`, { quantity: 0 });
    expect(zero.status).toBe(200);
    expect(zero.body).toMatchObject({ lines: [], total: 0 });
  });
});

describe('re-validation against fresh stock', () => {
  it('a GET after staff losses trims and removes lines, then says the cart is empty', async () => {
    const s = await storefront(a);
    const pa = await s.good(5, { name: 'Lait' });
    const pb = await s.good(2, { name: 'Sucre' });
    const t = await s.newCart();
    await s.add(t, pa.id, 4);
    await s.add(t, pb.id, 2);
    await s.loss(pa.id, 2);
    await s.loss(pb.id, 2);
    const seen = await s.view(t);
    expect(seen.status).toBe(200);
    expect(seen.body.messages).toEqual([
      { level: 'warning', code: 'quantity_adjusted', params: { ...about(pa), available: 3, requested: 4 } },
      { level: 'warning', code: 'removed_out_of_stock', params: about(pb) },
    ]);
    expect(seen.body.lines).toMatchObject([{ productId: pa.id, quantity: 3 }]);
    expect((await s.view(t)).body.messages).toEqual([]);
    await s.loss(pa.id, 3);
    const gone = await s.view(t);
    expect(gone.body.lines).toEqual([]);
    expect(gone.body.messages).toEqual([
      { level: 'warning', code: 'removed_out_of_stock', params: about(pa) },
      { level: 'error', code: 'cart_empty_after_adjustments', params: {} },
    ]);
  });

  it('checkout after the stock changed → 409 cart.review with the adjusted cart; then it goes through', async () => {
    const s = await storefront(a);
    const p = await s.good(3, { name: 'Café', price: 1000 });
    const t = await s.newCart();
    await s.add(t, p.id, 3);
    await s.loss(p.id, 1);
    const res = await s.checkout(t);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('cart.review');
    expect(res.body.params.cart).toMatchObject({ status: 'open', checkout: null, total: 2000, lines: [{ productId: p.id, quantity: 2 }] });
    expect(res.body.params.cart.messages).toEqual([
      { level: 'warning', code: 'quantity_adjusted', params: { ...about(p), available: 2, requested: 3 } },
      { level: 'info', code: 'review_cart', params: {} },
    ]);
    expect(await s.staffProduct(p.id)).toMatchObject({ held: 0, available: 2 });
    expect((await s.checkout(t)).status).toBe(201);
  });
});

describe('checkout and its hold', () => {
  it('201 with a pending order; availability drops for everyone; order_created', async () => {
    const s = await storefront(a);
    const p = await s.good(5, { name: 'Savon noir', price: 1500 });
    const t = await s.newCart();
    await s.add(t, p.id, 2);
    const before = a.clock.now().getTime();
    const res = await s.checkout(t, 'Awa Koné');
    const after = a.clock.now().getTime();
    expect(res.status).toBe(201);
    expect(res.body.payment).toEqual({ method: 'pay_at_pickup' });
    expect(res.body.order).toMatchObject({
      status: 'pending', total: 3000, currency: 'XOF', customer: { name: 'Awa Koné', phone: '+225 07 00 00 00' },
      lines: [{ productId: p.id, name: 'Savon noir', price: 1500, quantity: 2, lineTotal: 3000 }],
    });
    expect(res.body.order.reference).toMatch(/^W-/);
    const expires = Date.parse(res.body.holdExpiresAt) - 15 * 60_000;
    expect(expires >= before && expires <= after, `${before} <= ${expires} <= ${after}`).toBe(true);
    expect(res.body.cart).toMatchObject({ status: 'checking_out', checkout: { orderId: res.body.order.id, holdExpiresAt: res.body.holdExpiresAt, extended: false } });
    expect(res.body.cart.messages).toContainEqual({ level: 'info', code: 'checkout_hold_notice', params: { minutes: 15 } });
    const pub = await s.call('GET', '/products');
    expect(pub.body.items.find((i: { id: string }) => i.id === p.id)).toMatchObject({ available: 3, inStock: true });
    expect(await s.staffProduct(p.id)).toMatchObject({ onHand: 5, held: 2, available: 3 });
    const events = await eventsOf(a.db.pool, s.company.id, 'order_created');
    expect(events.map((e) => e.data)).toEqual([{ orderId: res.body.order.id, channel: 'online', amount: 3000, currency: 'XOF' }]);
    expect((await s.add(t, p.id, 1)).body.code).toBe('cart.checking_out');
  });

  it('cancel on the payment step keeps the cart with payment_cancelled and gives the stock back', async () => {
    const s = await storefront(a);
    const p = await s.good(4, { name: 'Thé' });
    const t = await s.newCart();
    await s.add(t, p.id, 3);
    const co = await s.checkout(t);
    expect(co.status).toBe(201);
    const res = await s.call('POST', `/carts/${t}/checkout/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', checkout: null, lines: [{ productId: p.id, quantity: 3 }] });
    expect(res.body.messages).toEqual([{ level: 'info', code: 'payment_cancelled', params: {} }]);
    expect(await s.staffProduct(p.id)).toMatchObject({ onHand: 4, held: 0, available: 4 });
    expect(await orderStatus(co.body.order.id)).toBe('cancelled');
  });

  it('extends once by holdMinutes, not twice', async () => {
    const s = await storefront(a);
    const p = await s.good(2, { name: 'Beurre' });
    const t = await s.newCart();
    await s.add(t, p.id, 1);
    const co = await s.checkout(t);
    const first = await s.call('POST', `/carts/${t}/checkout/extend`);
    expect(first.status).toBe(200);
    expect(first.body.checkout).toMatchObject({ extended: true, holdExpiresAt: new Date(Date.parse(co.body.holdExpiresAt) + 15 * 60_000).toISOString() });
    const second = await s.call('POST', `/carts/${t}/checkout/extend`);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('cart.already_extended');
  });

  for (const how of ['at the next view', 'by the expiry job']) {
    it(`a lapsed hold gives the stock back at once; the cart reopens with hold_expired (${how})`, async () => {
      const s = await storefront(a);
      const p = await s.good(1, { name: 'Dernier pagne' });
      const t = await s.newCart();
      await s.add(t, p.id, 1);
      const co = await s.checkout(t);
      expect(co.status).toBe(201);
      a.clock.advanceMinutes(16);
      const pub = await s.call('GET', '/products');
      expect(pub.body.items.find((i: { id: string }) => i.id === p.id)).toMatchObject({ available: 1, inStock: true });
      if (how === 'by the expiry job') {
        await sweepJob();
        expect(await orderStatus(co.body.order.id)).toBe('expired');
      }
      const seen = await s.view(t);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ status: 'open', checkout: null, lines: [{ productId: p.id, quantity: 1 }] });
      expect(seen.body.messages).toEqual([{ level: 'info', code: 'hold_expired', params: {} }]);
      expect(await orderStatus(co.body.order.id)).toBe('expired');
      expect((await s.view(t)).body.messages).toEqual([]);
      expect(await s.staffProduct(p.id)).toMatchObject({ onHand: 1, held: 0, available: 1 });
    });
  }

  it('two customers racing for the last item: exactly one checks out', async () => {
    const s = await storefront(a);
    const p = await s.good(1, { name: 'Dernier sac' });
    const [t1, t2] = [await s.newCart(), await s.newCart()];
    await s.add(t1, p.id, 1);
    await s.add(t2, p.id, 1);
    const answers = await Promise.all([s.checkout(t1, 'Awa'), s.checkout(t2, 'Binta')]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const lost = answers.find((r) => r.status === 409)!;
    expect(lost.body.code).toBe('cart.review');
    expect(lost.body.params.cart.messages).toEqual([
      { level: 'warning', code: 'removed_out_of_stock', params: about(p) },
      { level: 'error', code: 'cart_empty_after_adjustments', params: {} },
      { level: 'info', code: 'review_cart', params: {} },
    ]);
    expect(await s.staffProduct(p.id)).toMatchObject({ onHand: 1, held: 1, available: 0 });
  });

  it('a service is added beyond any stock and checked out without a hold', async () => {
    const s = await storefront(a);
    const svc = await makeProduct(s.client, s.company.id, { name: 'Coupe', price: 3000, kind: 'service' });
    const t = await s.newCart();
    const added = await s.add(t, svc.id, 4);
    expect(added.status).toBe(200);
    expect(added.body.lines).toMatchObject([{ productId: svc.id, quantity: 4, available: null }]);
    const co = await s.checkout(t);
    expect(co.status).toBe(201);
    expect(co.body.order).toMatchObject({ total: 12_000, lines: [{ productId: svc.id, quantity: 4 }] });
    const holds = await a.db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE company_id = $1 AND status = 'active'`, [s.company.id]);
    expect(holds.rows[0].n).toBe(0);
  });
});

describe('unknown carts, shops and bad bodies', () => {
  it('unknown token → 404 cart.not_found; unknown slug → 404 shop.not_found', async () => {
    const s = await storefront(a);
    expect((await s.view('x'.repeat(32))).body).toMatchObject({ status: 404, code: 'cart.not_found' });
    const res = await fetch(`${a.url}/api/v1/public/shops/no-such-shop-${Date.now()}/products`);
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('shop.not_found');
    expect((await s.call('GET', '')).body.shop).toEqual({ name: expect.any(String), slug: s.company.slug, currency: 'XOF', holdMinutes: 15 });
  });

  it('bad bodies → 400 naming the field', async () => {
    const s = await storefront(a);
    const p = await s.good(2);
    const t = await s.newCart();
    const fieldOf = (r: { status: number; body: { errors?: Array<{ field: string }> } }) => [r.status, r.body.errors?.map((e) => e.field)];
    expect(fieldOf(await s.call('POST', `/carts/${t}/items`, { productId: p.id, quantity: 0 }))).toEqual([400, ['quantity']]);
    expect(fieldOf(await s.call('POST', `/carts/${t}/items`, { productId: 'nope', quantity: 1 }))).toEqual([400, ['productId']]);
    expect(fieldOf(await s.call('PATCH', `/carts/${t}/items/${p.id}`, { quantity: -1 }))).toEqual([400, ['quantity']]);
    await s.add(t, p.id, 1);
    expect(fieldOf(await s.call('POST', `/carts/${t}/checkout`, { customer: { name: ' ' } }))).toEqual([400, ['customer.name']]);
    expect(fieldOf(await s.call('POST', `/carts/${t}/checkout`, { customer: { name: 'Awa', email: 'nope' } }))).toEqual([400, ['customer.email']]);
  });
});
