import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ABANDONED_AFTER_HOURS, cancelAbandonedLiveOrders } from '../src/modules/live/index.ts';
import { setLive } from '../src/modules/live/service.ts';
import { createDatabase, inTransaction } from '../src/platform/db/tx.ts';
import { jobDepsOf, startTestApp, type TestApp } from './support/app.ts';
import { apiToken, eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { Client, type Res } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, createCompany, signUp } from './support/factories.ts';

let a: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  dbUrl = db.url;
  a = await startTestApp(db.url);
});
afterEach(async () => {
  a.clock.reset();
  await expectLedgerConsistent(a.db.pool);
});
afterAll(async () => {
  await a?.stop();
  await drop?.();
});

const uniq = () => randomBytes(4).toString('hex');
type Step = 'products' | 'payment' | 'delivery' | 'phone';
const STEPS: Step[] = ['products', 'payment', 'delivery', 'phone'];

/** A company with an external reference, its owner signed in, and a bot with a cashier API token. */
async function liveShop() {
  const owner = await signUp(a.app, 'Awa Owner');
  const externalRef = `shop-${uniq()}`;
  const company = await createCompany(owner.client, { externalRef });
  const staff = `/api/v1/companies/${company.id}`;
  const live = `${staff}/live`;
  const bot = owner.client.withToken(await apiToken(owner.client, company.id, 'cashier'));
  const byRef = `/api/v1/companies/by-ref/${externalRef}/live`;
  const good = (quantity: number, fields: Record<string, unknown> = {}) => stockedProduct(owner.client, company.id, quantity, fields);
  const product = async (id: string) => (await owner.client.get(`${staff}/products/${id}`)).body;
  const toggle = async (enabled: boolean, client: Client = owner.client) => {
    const res = await client.post(live, { enabled });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const order = (body: Record<string, unknown>, client: Client = bot) => client.post(`${byRef}/orders`, body);
  const patch = (id: string, body: Record<string, unknown>, client: Client = bot) => client.patch(`${byRef}/orders/${id}`, body);
  return { owner, company, externalRef, staff, live, bot, byRef, good, product, toggle, order, patch };
}

function ok<T = any>(res: Res<T>, status = 200): T {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

async function activeSessions(companyId: string): Promise<number> {
  const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM live_sessions WHERE company_id = $1 AND ended_at IS NULL', [companyId]);
  return rows[0].n;
}

/** The value a step is given in the tests, for an order of `quantity` × productId at `price`. */
function stepBody(step: Step, productId: string, quantity: number, price: number, ref = `MM-${uniq()}`): Record<string, unknown> {
  switch (step) {
    case 'products':
      return { items: [{ productId, quantity }] };
    case 'payment':
      return { payment: { reference: ref, amount: quantity * price } };
    case 'delivery':
      return { deliveryZone: 'Cocody' };
    case 'phone':
      return { customerPhone: '+225 07 00 00 00 01' };
  }
}

describe('live mode', () => {
  it('on opens a session, on twice is the same one, off ends it with its figures; each logged once', async () => {
    const s = await liveShop();
    expect(ok(await s.owner.client.get(s.live))).toEqual({ enabled: false, session: null });

    const on = await s.toggle(true);
    expect(on).toMatchObject({ enabled: true, session: { endedAt: null, orderCount: 0, revenue: 0, currency: 'XOF', startedBy: { type: 'user', id: s.owner.userId, name: 'Awa Owner' } } });
    const again = await s.toggle(true);
    expect(again.session).toEqual(on.session);
    expect(ok(await s.owner.client.get(s.live))).toEqual(on);
    expect(await eventsOf(a.db.pool, s.company.id, 'live_started')).toEqual([{ data: { liveSessionId: on.session.id }, actor_type: 'user', level: 'info' }]);

    a.clock.advanceMinutes(90);
    const off = await s.toggle(false);
    expect(off.enabled).toBe(false);
    expect(off.session).toMatchObject({ id: on.session.id, orderCount: 0, revenue: 0 });
    expect(Date.parse(off.session.endedAt) - Date.parse(on.session.startedAt)).toBeGreaterThanOrEqual(90 * 60_000);
    expect((await s.toggle(false)).session).toEqual(off.session);
    expect((await eventsOf(a.db.pool, s.company.id, 'live_ended')).map((e) => e.data)).toEqual([
      { liveSessionId: on.session.id, orderCount: 0, revenue: 0, currency: 'XOF' },
    ]);

    // A new live is a new session; the history pages newest first.
    const second = await s.toggle(true);
    expect(second.session.id).not.toBe(on.session.id);
    const page1 = ok(await s.owner.client.get(`${s.live}/sessions?limit=1`));
    expect(page1.items.map((x: { id: string }) => x.id)).toEqual([second.session.id]);
    const page2 = ok(await s.owner.client.get(`${s.live}/sessions?limit=1&cursor=${page1.nextCursor}`));
    expect(page2.items).toEqual([off.session]);
    expect(page2.nextCursor).toBeNull();
  });

  it('20 ONs at once open exactly one session', async () => {
    const s = await liveShop();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s.bot : s.owner.client).post(s.live, { enabled: true })));
    for (const r of answers) expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(new Set(answers.map((r) => r.body.session.id)).size).toBe(1);
    expect(await activeSessions(s.company.id)).toBe(1);
    expect(await eventsOf(a.db.pool, s.company.id, 'live_started')).toHaveLength(1);
  });

  it('20 transactions turning it on at the same instant still open one session (the lock, not timing)', async () => {
    const s = await liveShop();
    const db = createDatabase(dbUrl, 25);
    try {
      // Every transaction is open before any of them asks: without the lock they would all see no session.
      let open = 0;
      let go!: () => void;
      const allOpen = new Promise<void>((resolve) => (go = resolve));
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          inTransaction(db, { kind: 'company', companyId: s.company.id }, async (tx) => {
            if (++open === 20) go();
            await allOpen;
            return setLive({ companyId: s.company.id, actor: { type: 'system' }, clock: a.clock, tx }, true);
          }),
        ),
      );
      expect(new Set(results.map((r) => r.session?.id)).size).toBe(1);
      expect(await activeSessions(s.company.id)).toBe(1);
      expect(await eventsOf(a.db.pool, s.company.id, 'live_started')).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it('ON/OFF races never leave two active sessions, and every answer matches its request', async () => {
    const s = await liveShop();
    for (let round = 0; round < 5; round++) {
      const wants = Array.from({ length: 24 }, () => Math.random() < 0.5);
      const answers = await Promise.all(wants.map((enabled) => s.owner.client.post(s.live, { enabled })));
      answers.forEach((r, i) => {
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.enabled).toBe(wants[i]);
      });
      expect(await activeSessions(s.company.id)).toBeLessThanOrEqual(1);
    }
    // Every session started once and ended at most once; the log agrees with the table.
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n, count(ended_at)::int AS ended FROM live_sessions WHERE company_id = $1', [s.company.id]);
    expect(await eventsOf(a.db.pool, s.company.id, 'live_started')).toHaveLength(rows[0].n);
    expect(await eventsOf(a.db.pool, s.company.id, 'live_ended')).toHaveLength(rows[0].ended);
    expect(rows[0].n - rows[0].ended).toBe(await activeSessions(s.company.id));
  });

  it('orders need an active session', async () => {
    const s = await liveShop();
    const res = await s.order({ externalCustomerId: 'fb:1' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('live.not_active');
  });
});

describe('by external reference, with an API token', () => {
  it('an integration runs the live by the company reference; another company is 404 and a role without live.run is 403', async () => {
    const s = await liveShop();
    const on = ok(await s.bot.post(s.byRef, { enabled: true }));
    expect(on.session.startedBy).toMatchObject({ type: 'token', name: 'bot cashier' });
    expect(ok(await s.owner.client.get(s.live)).session.id).toBe(on.session.id);
    expect(ok(await s.owner.client.get(`/api/v1/companies/by-ref/${s.externalRef}/live`)).enabled).toBe(true);

    const other = await liveShop();
    for (const [method, path] of [['GET', ''], ['POST', ''], ['GET', '/orders'], ['POST', '/orders'], ['GET', '/sessions']] as const) {
      const res = await s.bot.request(method, `${other.byRef}${path}`, method === 'POST' ? { enabled: true, externalCustomerId: 'x' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.code).toBe('company.not_found');
    }
    expect((await s.bot.get(`/api/v1/companies/by-ref/nobody-${uniq()}/live`)).status).toBe(404);
    expect((await s.bot.get(`${other.live}`)).status).toBe(404);
    expect(ok(await other.owner.client.get(other.live)).enabled).toBe(false);

    const server = s.owner.client.withToken(await apiToken(s.owner.client, s.company.id, 'server'));
    const refused = await server.post(s.byRef, { enabled: false });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'live.run' } });
    // A cashier signed in may run it too, by id.
    const cashier = await addMember(a.app, s.owner.client, s.company.id, 'cashier');
    expect(ok(await cashier.client.get(s.live)).enabled).toBe(true);
  });
});

describe('orders, step by step', () => {
  it('all 24 orders of the four steps reach completion, with the checklist after each step', async () => {
    const s = await liveShop();
    const price = 2500;
    const robe = await s.good(100, { name: 'Robe', price });
    await s.toggle(true);
    const permutations = (xs: Step[]): Step[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x) => permutations(xs.filter((y) => y !== x)).map((p) => [x, ...p])));
    const orders = permutations(STEPS);
    expect(orders).toHaveLength(24);
    let n = 0;
    for (const steps of orders) {
      n++;
      const quantity = 1 + (n % 3);
      const done = new Set<Step>();
      let id: string | null = null;
      for (const [i, step] of steps.entries()) {
        done.add(step);
        // The first step creates the order by customer; the others go by id or by customer.
        const body = stepBody(step, robe.id, quantity, price);
        const res: Res = id === null || i === 2 ? await s.order({ externalCustomerId: `cust-${n}`, ...body }) : await s.patch(id, body);
        const o: { id: string; checklist: unknown; completionRate: number; status: string } = ok(res, id === null ? 201 : 200);
        id ??= o.id;
        expect(o.id).toBe(id);
        const expected = { products: done.has('products'), payment: done.has('payment') && done.has('products'), delivery: done.has('delivery'), phone: done.has('phone') };
        expect(o.checklist, `${steps.join('>')} after ${step}`).toEqual(expected);
        expect(o.completionRate).toBe(Object.values(expected).filter(Boolean).length * 25);
        expect(o.status).toBe(i === 3 ? 'completed' : 'active');
      }
      const final = ok(await s.bot.get(`${s.byRef}/orders/${id}`));
      expect(final).toMatchObject({ status: 'completed', total: quantity * price, completionRate: 100, saleReference: expect.stringMatching(/^V-\d{6}$/) });
    }
    const totalSold = Array.from({ length: 24 }, (_, i) => 1 + ((i + 1) % 3)).reduce((x, y) => x + y, 0);
    expect(await s.product(robe.id)).toMatchObject({ onHand: 100 - totalSold, held: 0 });
    const state = ok(await s.owner.client.get(s.live));
    expect(state.session).toMatchObject({ orderCount: 24, revenue: totalSold * price });
    expect(ok(await s.bot.get(`${s.byRef}/orders?status=active`)).items).toEqual([]);
    expect(ok(await s.bot.get(`${s.byRef}/orders?status=completed&limit=100`)).items).toHaveLength(24);
  });

  it('a completed order is a paid live sale at the order prices, counted in the session figures and logged', async () => {
    const s = await liveShop();
    const savon = await s.good(5, { name: 'Savon', price: 1500 });
    const on = await s.toggle(true);
    const created = ok(await s.order({ externalCustomerId: 'wa:+2250700', items: [{ productId: savon.id, quantity: 2 }] }), 201);
    expect(created).toMatchObject({
      liveSessionId: on.session.id,
      externalCustomerId: 'wa:+2250700',
      status: 'active',
      items: [{ productId: savon.id, name: 'Savon', quantity: 2, unitPrice: 1500, lineTotal: 3000 }],
      total: 3000,
      currency: 'XOF',
      payment: null,
      deliveryZone: null,
      customerPhone: null,
      checklist: { products: true, payment: false, delivery: false, phone: false },
      completionRate: 25,
      saleId: null,
      saleReference: null,
      completedAt: null,
    });
    // Held from now on, with no expiry.
    expect(await s.product(savon.id)).toMatchObject({ onHand: 5, held: 2, available: 3 });
    const holds = ok(await s.owner.client.get(`${s.staff}/holds?ownerType=live_order&ownerId=${created.id}`));
    expect(holds.items).toEqual([expect.objectContaining({ productId: savon.id, quantity: 2, expiresAt: null })]);
    a.clock.advanceMinutes(24 * 60);
    // The catalog price changes: the customer pays what they were told.
    ok(await s.owner.client.patch(`${s.staff}/products/${savon.id}`, { price: 1800 }));

    const done = ok(await s.patch(created.id, { payment: { reference: 'MM-778899', amount: 3000 }, deliveryZone: '  Yopougon ', customerPhone: '0700000001' }));
    expect(done).toMatchObject({ status: 'completed', completionRate: 100, deliveryZone: 'Yopougon', payment: { reference: 'MM-778899', received: 3000 }, saleId: expect.any(String) });
    expect(Date.parse(done.completedAt) - Date.parse(created.createdAt)).toBeGreaterThanOrEqual(24 * 3600_000);

    const sale = ok(await s.owner.client.get(`${s.staff}/sales/${done.saleId}`));
    expect(sale).toMatchObject({ status: 'paid', channel: 'live', reference: done.saleReference, paid: 3000, due: 0 });
    expect(sale.items.map((i: { unitPrice: number; quantity: number }) => [i.unitPrice, i.quantity])).toEqual([[1500, 2]]);
    expect(sale.payments).toEqual([expect.objectContaining({ method: 'mobile_money', amount: 3000, reference: 'MM-778899' })]);
    expect(await s.product(savon.id)).toMatchObject({ onHand: 3, held: 0, available: 3 });
    const movements = ok(await s.owner.client.get(`${s.staff}/products/${savon.id}/movements`)).items;
    expect(movements[0]).toMatchObject({ kind: 'sale', quantity: -2, refId: done.saleId });

    expect(ok(await s.owner.client.get(s.live)).session).toMatchObject({ orderCount: 1, revenue: 3000 });
    const [event] = await eventsOf(a.db.pool, s.company.id, 'order_created');
    expect(event!.data).toEqual({ orderId: created.id, channel: 'live', amount: 3000, currency: 'XOF' });
    const { rows } = await a.db.pool.query(`SELECT subjects FROM events WHERE company_id = $1 AND type = 'order_created'`, [s.company.id]);
    expect(rows[0].subjects).toEqual({ orderId: created.id, saleId: done.saleId, liveSessionId: on.session.id });

    // A completed order is closed; the customer's next order is a new one.
    const closed = await s.patch(created.id, { deliveryZone: 'Plateau' });
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ code: 'live.order_closed', params: { status: 'completed' } });
    const next = ok(await s.order({ externalCustomerId: 'wa:+2250700' }), 201);
    expect(next.id).not.toBe(created.id);

    // Ending the live announces its figures.
    const off = await s.toggle(false);
    expect(off.session).toMatchObject({ orderCount: 1, revenue: 3000 });
    expect((await eventsOf(a.db.pool, s.company.id, 'live_ended')).map((e) => e.data)).toEqual([
      { liveSessionId: on.session.id, orderCount: 1, revenue: 3000, currency: 'XOF' },
    ]);
    expect(ok(await s.owner.client.get(`${s.live}/sessions`)).items).toEqual([off.session]);
  });

  it('an underpayment is reported and leaves the payment step open; a top-up completes it; a dearer basket reopens it', async () => {
    const s = await liveShop();
    const pagne = await s.good(10, { name: 'Pagne', price: 5000 });
    await s.toggle(true);
    const o = ok(await s.order({ externalCustomerId: 'ig:aya', items: [{ productId: pagne.id, quantity: 2 }], payment: { reference: 'MM-1', amount: 8000 } }), 201);
    expect(o.payment).toEqual({ reference: 'MM-1', received: 8000 });
    expect(o.checklist.payment).toBe(false);
    expect((await eventsOf(a.db.pool, s.company.id, 'payment_issue')).map((e) => [e.data, e.level])).toEqual([
      [{ issue: 'underpaid', received: 8000, due: 10_000, currency: 'XOF' }, 'warning'],
    ]);
    // The same transfer reported again does not count twice.
    expect(ok(await s.patch(o.id, { payment: { reference: 'MM-1', amount: 8000 } })).payment).toEqual({ reference: 'MM-1', received: 8000 });
    const topped = ok(await s.patch(o.id, { payment: { reference: 'MM-2', amount: 2000 } }));
    expect(topped.payment).toEqual({ reference: 'MM-1, MM-2', received: 10_000 });
    expect(topped.checklist.payment).toBe(true);
    expect(topped.completionRate).toBe(50);
    const issues = () => eventsOf(a.db.pool, s.company.id, 'payment_issue');
    expect(await issues()).toHaveLength(2);

    // A third pagne: the total rises above what was received, the step is open again.
    const dearer = ok(await s.patch(o.id, { items: [{ productId: pagne.id, quantity: 3 }], deliveryZone: 'Marcory', customerPhone: '+225 01 02 03 04' }));
    expect(dearer).toMatchObject({ status: 'active', total: 15_000, completionRate: 75, checklist: { payment: false } });
    expect((await issues()).at(-1)!.data).toEqual({ issue: 'underpaid', received: 10_000, due: 15_000, currency: 'XOF' });
    expect(await s.product(pagne.id)).toMatchObject({ held: 3 });
    // Back to two: complete, paid with both references.
    const done = ok(await s.patch(o.id, { items: [{ productId: pagne.id, quantity: 2 }] }));
    expect(done).toMatchObject({ status: 'completed', total: 10_000 });
    const sale = ok(await s.owner.client.get(`${s.staff}/sales/${done.saleId}`));
    expect(sale.payments).toEqual([expect.objectContaining({ method: 'mobile_money', amount: 10_000, reference: 'MM-1, MM-2' })]);
    expect(await s.product(pagne.id)).toMatchObject({ onHand: 8, held: 0 });
  });

  it('the customer key finds their active order; ten first messages at once make one order', async () => {
    const s = await liveShop();
    const p = await s.good(10, { price: 1000 });
    await s.toggle(true);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => s.order({ externalCustomerId: 'tt:kofi', ...(i % 2 ? { deliveryZone: 'Bingerville' } : { items: [{ productId: p.id, quantity: 1 }] }) })),
    );
    for (const r of answers) expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    const active = ok(await s.bot.get(`${s.byRef}/orders?status=active`)).items;
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ externalCustomerId: 'tt:kofi', deliveryZone: 'Bingerville', items: [{ quantity: 1 }] });
    expect(await s.product(p.id)).toMatchObject({ held: 1 });
  });

  it('short stock is refused like at the till (409 naming the line) and nothing is half-written', async () => {
    const s = await liveShop();
    const p = await s.good(2, { price: 1000 });
    const svc = await stockedProductless(s);
    await s.toggle(true);
    const refused = await s.order({ externalCustomerId: 'c1', items: [{ productId: p.id, quantity: 3 }], deliveryZone: 'Abobo' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'stock.insufficient', params: { productId: p.id, requested: 3, available: 2 } });
    expect(ok(await s.bot.get(`${s.byRef}/orders`)).items).toEqual([]);

    const o = ok(await s.order({ externalCustomerId: 'c1', items: [{ productId: p.id, quantity: 1 }, { productId: svc, quantity: 1 }] }), 201);
    expect(o.total).toBe(1000 + 4000);
    const more = await s.patch(o.id, { items: [{ productId: p.id, quantity: 5 }], deliveryZone: 'Abobo' });
    expect(more.status).toBe(409);
    expect(more.body.params).toMatchObject({ productId: p.id, requested: 5, available: 2 });
    const same = ok(await s.bot.get(`${s.byRef}/orders/${o.id}`));
    expect(same).toMatchObject({ deliveryZone: null, items: [{ productId: p.id, quantity: 1 }, { productId: svc, quantity: 1 }] });
    expect(await s.product(p.id)).toMatchObject({ held: 1, available: 1 });
    // Exactly what is left is fine (the order's own held unit counts).
    expect(ok(await s.patch(o.id, { items: [{ productId: p.id, quantity: 2 }] })).total).toBe(2000);
    expect(await s.product(p.id)).toMatchObject({ held: 2, available: 0 });
    // Unknown, or not on sale: 404 naming it.
    const unknown = await s.patch(o.id, { items: [{ productId: randomUUID(), quantity: 1 }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('product.not_found');
  });

  it('50 customers at once for the last 7 units: never oversold', async () => {
    const s = await liveShop();
    const p = await s.good(7, { name: 'Sac', price: 12_000 });
    await s.toggle(true);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        s.order({
          externalCustomerId: `rush-${i}`,
          items: [{ productId: p.id, quantity: 1 }],
          ...(i % 2 ? { payment: { reference: `MM-R${i}`, amount: 12_000 }, deliveryZone: 'Treichville', customerPhone: '0102030405' } : {}),
        }),
      ),
    );
    const won = answers.filter((r) => r.status === 201);
    const lost = answers.filter((r) => r.status !== 201);
    expect(won).toHaveLength(7);
    for (const r of lost) expect(r.body.code, JSON.stringify(r.body)).toBe('stock.insufficient');
    const completed = won.filter((r) => r.body.status === 'completed').length;
    const product = await s.product(p.id);
    expect(product).toMatchObject({ onHand: 7 - completed, held: 7 - completed, available: 0 });
    expect(ok(await s.owner.client.get(s.live)).session).toMatchObject({ orderCount: completed, revenue: completed * 12_000 });
    const { rows } = await a.db.pool.query(`SELECT count(*)::int AS n FROM sales WHERE company_id = $1 AND channel = 'live' AND status = 'paid'`, [s.company.id]);
    expect(rows[0].n).toBe(completed);
    // Nobody can take another one; a cancellation frees one for the next customer.
    expect((await s.order({ externalCustomerId: 'late', items: [{ productId: p.id, quantity: 1 }] })).status).toBe(409);
    const open = won.find((r) => r.body.status === 'active');
    if (open) {
      ok(await s.bot.post(`${s.byRef}/orders/${open.body.id}/cancel`));
      ok(await s.order({ externalCustomerId: 'late', items: [{ productId: p.id, quantity: 1 }] }), 201);
    }
  });

  it('ending the live while orders pour in: each order is in the session before its end or refused, and the figures announced are the final ones', async () => {
    const s = await liveShop();
    const p = await s.good(100, { price: 500 });
    const on = await s.toggle(true);
    const full = (i: number) => ({ externalCustomerId: `end-${i}`, items: [{ productId: p.id, quantity: 1 }], payment: { reference: `E${i}`, amount: 500 }, deliveryZone: 'Z', customerPhone: '0101010101' });
    // The end is asked for in the middle of the rush; orders sent once it has answered are all refused.
    const first = Array.from({ length: 20 }, (_, i) => s.order(full(i)));
    const ending = s.bot.post(s.byRef, { enabled: false });
    const rush = [...first, ...Array.from({ length: 20 }, (_, i) => s.order(full(20 + i)))];
    const off = await ending;
    expect(off.status).toBe(200);
    const late = await Promise.all(Array.from({ length: 5 }, (_, i) => s.order(full(40 + i))));
    for (const r of late) expect(r.body.code).toBe('live.not_active');
    const answers = await Promise.all(rush);
    const completed = answers.filter((r) => r.status === 201);
    for (const r of answers.filter((x) => x.status !== 201)) expect(r.body.code, JSON.stringify(r.body)).toBe('live.not_active');
    for (const r of completed) expect(r.body).toMatchObject({ status: 'completed', liveSessionId: on.session.id });
    const ended = (await eventsOf(a.db.pool, s.company.id, 'live_ended'))[0]!.data;
    expect(ended).toMatchObject({ orderCount: completed.length, revenue: completed.length * 500 });
    expect(off.body.session).toMatchObject({ orderCount: completed.length, revenue: completed.length * 500 });
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM live_orders WHERE company_id = $1', [s.company.id]);
    expect(rows[0].n).toBe(completed.length);
    expect(await s.product(p.id)).toMatchObject({ onHand: 100 - completed.length, held: 0 });
  });

  it('cancelling releases the stock; a cancelled order is closed', async () => {
    const s = await liveShop();
    const p = await s.good(4, { price: 700 });
    await s.toggle(true);
    const o = ok(await s.order({ externalCustomerId: 'c', items: [{ productId: p.id, quantity: 3 }], payment: { reference: 'X', amount: 2100 } }), 201);
    expect(await s.product(p.id)).toMatchObject({ held: 3, available: 1 });
    const cancelled = ok(await s.owner.client.post(`${s.live}/orders/${o.id}/cancel`));
    expect(cancelled).toMatchObject({ status: 'cancelled', saleId: null });
    expect(await s.product(p.id)).toMatchObject({ onHand: 4, held: 0, available: 4 });
    expect(await eventsOf(a.db.pool, s.company.id, 'hold_released', p.id)).toHaveLength(1);
    for (const res of [await s.bot.post(`${s.byRef}/orders/${o.id}/cancel`), await s.patch(o.id, { deliveryZone: 'Plateau' })]) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'live.order_closed', params: { status: 'cancelled' } });
    }
    expect(ok(await s.bot.get(`${s.byRef}/orders?status=cancelled`)).items.map((x: { id: string }) => x.id)).toEqual([o.id]);
    // The customer may order again in the same live.
    expect(ok(await s.order({ externalCustomerId: 'c' }), 201).id).not.toBe(o.id);
    expect((await s.bot.post(`${s.byRef}/orders/${randomUUID()}/cancel`)).status).toBe(404);
  });

  it('after the live ends, new orders are refused but started ones can still be finished; the figures follow', async () => {
    const s = await liveShop();
    const p = await s.good(3, { price: 1000 });
    const on = await s.toggle(true);
    const o = ok(await s.order({ externalCustomerId: 'late-payer', items: [{ productId: p.id, quantity: 1 }], deliveryZone: 'Adjamé', customerPhone: '0101010101' }), 201);
    const off = await s.toggle(false);
    expect(off.session).toMatchObject({ orderCount: 0, revenue: 0 });
    expect((await s.order({ externalCustomerId: 'late-payer' })).status).toBe(409);
    const done = ok(await s.patch(o.id, { payment: { reference: 'MM-L', amount: 1000 } }));
    expect(done.status).toBe('completed');
    const [session] = ok(await s.owner.client.get(`${s.live}/sessions`)).items;
    expect(session).toMatchObject({ id: on.session.id, orderCount: 1, revenue: 1000 });
    // The announcement keeps the figures at the end.
    expect((await eventsOf(a.db.pool, s.company.id, 'live_ended'))[0]!.data).toMatchObject({ orderCount: 0, revenue: 0 });
  });
});

/** A service (never held, never short) worth 4000. */
async function stockedProductless(s: Awaited<ReturnType<typeof liveShop>>): Promise<string> {
  const res = await s.owner.client.post(`${s.staff}/products`, { name: 'Livraison express', price: 4000, kind: 'service' });
  expect(res.status).toBe(201);
  return res.body.id;
}

describe('abandoned orders', () => {
  it('a day after the live ended, orders still open are cancelled and their goods go back; racing sweeps cancel each once', async () => {
    const s = await liveShop();
    const p = await s.good(5, { price: 500 });
    await s.toggle(true);
    const open = ok(await s.order({ externalCustomerId: 'slow', items: [{ productId: p.id, quantity: 2 }] }), 201);
    const done = ok(await s.order({ externalCustomerId: 'quick', items: [{ productId: p.id, quantity: 1 }], payment: { reference: 'Q', amount: 500 }, deliveryZone: 'Plateau', customerPhone: '+22507000001' }), 201);
    expect(done.status).toBe('completed');
    await s.toggle(false);
    expect(await s.product(p.id)).toMatchObject({ onHand: 4, held: 2, available: 2 });
    const deps = jobDepsOf(a);
    try {
      a.clock.advanceMinutes(ABANDONED_AFTER_HOURS * 60 - 5);
      expect(await cancelAbandonedLiveOrders(deps)).toBe(0);
      a.clock.advanceMinutes(10);
      const runs = await Promise.all([cancelAbandonedLiveOrders(deps), cancelAbandonedLiveOrders(deps)]);
      expect(runs[0]! + runs[1]!).toBe(1);
      expect(ok(await s.bot.get(`${s.byRef}/orders/${open.id}`))).toMatchObject({ status: 'cancelled' });
      expect(ok(await s.bot.get(`${s.byRef}/orders/${done.id}`))).toMatchObject({ status: 'completed' });
      expect(await s.product(p.id)).toMatchObject({ onHand: 4, held: 0, available: 4 });
    } finally {
      a.clock.reset();
    }
  });
});

describe('isolation and input', () => {
  it("another company sees none of this company's live, orders or products", async () => {
    const s = await liveShop();
    const t = await liveShop();
    const p = await s.good(5, { price: 100 });
    const q = await t.good(5, { price: 100 });
    await s.toggle(true);
    await t.toggle(true);
    const o = ok(await s.order({ externalCustomerId: 'same-id', items: [{ productId: p.id, quantity: 1 }] }), 201);
    // The same customer id in another company is another customer.
    const o2 = ok(await t.order({ externalCustomerId: 'same-id' }), 201);
    expect(o2.id).not.toBe(o.id);
    // T's bot and owner cannot touch S's order through their own company.
    for (const res of [
      await t.patch(o.id, { deliveryZone: 'x' }),
      await t.bot.post(`${t.byRef}/orders/${o.id}/cancel`),
      await t.owner.client.get(`${t.live}/orders/${o.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('live.order_not_found');
    }
    // Nor add S's product to their own order.
    const foreign = await t.patch(o2.id, { items: [{ productId: p.id, quantity: 1 }] });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('product.not_found');
    expect(ok(await t.bot.get(`${t.byRef}/orders`)).items.map((x: { id: string }) => x.id)).toEqual([o2.id]);
    ok(await t.patch(o2.id, { items: [{ productId: q.id, quantity: 1 }] }));
    await t.toggle(false);
    expect(ok(await s.owner.client.get(s.live)).enabled).toBe(true);
    expect(await s.product(p.id)).toMatchObject({ held: 1 });
  });

  it('bad input is a 400 naming the field', async () => {
    const s = await liveShop();
    await s.toggle(true);
    const o = ok(await s.order({ externalCustomerId: 'v' }), 201);
    const cases: Array<[Promise<Res>, string]> = [
      [s.bot.post(s.byRef, { enabled: 'yes' }), 'enabled'],
      [s.bot.post(s.byRef, {}), 'enabled'],
      [s.order({ items: [] }), 'externalCustomerId'],
      [s.order({ externalCustomerId: '   ' }), 'externalCustomerId'],
      [s.order({ externalCustomerId: 'v', items: [{ productId: randomUUID(), quantity: 0 }] }), 'items.0.quantity'],
      [s.order({ externalCustomerId: 'v', items: [{ productId: 'nope', quantity: 1 }] }), 'items.0.productId'],
      [s.patch(o.id, { payment: { reference: 'MM', amount: -5 } }), 'payment.amount'],
      [s.patch(o.id, { payment: { amount: 100 } }), 'payment.reference'],
      [s.patch(o.id, { customerPhone: 'call me maybe' }), 'customerPhone'],
      [s.patch(o.id, { deliveryZone: '' }), 'deliveryZone'],
      [s.patch(o.id, { deliveryzone: 'Cocody' }), 'deliveryzone'],
      [s.bot.get(`${s.byRef}/orders?status=open`), 'status'],
    ];
    for (const [pending, field] of cases) {
      const res = await pending;
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.code).toBe('validation');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await s.patch('not-a-uuid', { deliveryZone: 'x' })).status).toBe(400);
    // Nothing changed.
    expect(ok(await s.bot.get(`${s.byRef}/orders/${o.id}`))).toMatchObject({ deliveryZone: null, customerPhone: null, payment: null, items: [] });
  });
});

describe('restart', () => {
  it('live mode and its orders survive a restart (they are in the database)', async () => {
    const s = await liveShop();
    const p = await s.good(2, { price: 100 });
    const on = await s.toggle(true);
    const o = ok(await s.order({ externalCustomerId: 'r', items: [{ productId: p.id, quantity: 1 }] }), 201);
    const token = s.bot.bearer!;
    await a.stop();
    a = await startTestApp(dbUrl);
    const bot = new Client(a.app).withToken(token);
    const state = ok(await bot.get(s.byRef));
    expect(state).toMatchObject({ enabled: true, session: { id: on.session.id } });
    const again = ok(await bot.post(s.byRef, { enabled: true }));
    expect(again.session.id).toBe(on.session.id);
    const done = ok(await bot.patch(`${s.byRef}/orders/${o.id}`, { payment: { reference: 'P', amount: 100 }, deliveryZone: 'Z', customerPhone: '0707070707' }));
    expect(done.status).toBe('completed');
  });
});
