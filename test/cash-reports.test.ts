import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff } from './support/factories.ts';

// X and Z reports of a register session, against figures computed by hand.
let a: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
});
afterEach(async () => expectLedgerConsistent(a.db.pool));
afterAll(async () => {
  await a?.stop();
  await drop();
});

describe('cash-session reports', () => {
  it('X while open, Z on close and after: sales by method, refunds, discounts, tips per server, taxes per rate, cash', async () => {
    const s = await companyWithStaff(a.app);
    const base = `/api/v1/companies/${s.company.id}`;
    const owner = s.owner.client;
    const cashier = s.members.cashier.client;
    const manager = s.members.manager.client;
    const dish = await stockedProduct(owner, s.company.id, 20, { name: 'Plat', price: 11800, taxRate: 1800 });
    const juice = await stockedProduct(owner, s.company.id, 20, { name: 'Jus', price: 2250, taxRate: 1000 });
    const open = async (items: Array<[string, number]>, serverId?: string) => {
      const res = await cashier.post(`${base}/sales`, { channel: 'counter', serverId, items: items.map(([productId, quantity]) => ({ productId, quantity })) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const pay = async (saleId: string, body: Record<string, unknown>) => {
      const res = await cashier.post(`${base}/sales/${saleId}/payments`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const refund = async (saleId: string, amount: number, sid: string) => {
      const asked = await cashier.post(`${base}/sales/${saleId}/refunds`, { amount, reason: 'Retour', restock: false });
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      const ok = await manager.post(`${base}/refunds/${asked.body.id}/approve`, { cashSessionId: sid });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      return ok.body;
    };
    const server = s.members.server.userId;
    const boss = s.members.manager.userId;

    const sid = (await cashier.post(`${base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 20000 })).body.id as string;
    const report = () => cashier.get(`${base}/cash-sessions/${sid}/report`);
    const empty = await report();
    expect(empty.status, JSON.stringify(empty.body)).toBe(200);
    expect(empty.body).toMatchObject({
      kind: 'X',
      session: { id: sid, status: 'open' },
      salesCount: 0,
      salesByMethod: { cash: 0, card: 0, mobile_money: 0 },
      refunds: { count: 0, amount: 0 },
      discounts: { count: 0, amount: 0 },
      tips: { total: 0, byServer: [] },
      taxes: [],
      openingFloat: 20000,
      expectedCash: 20000,
      countedCash: null,
      difference: null,
    });

    // 1. Plat + Jus = 14050 for the server, cash with a 1000 tip: 20000 tendered, 4950 back.
    const s1 = await open([[dish.id, 1], [juice.id, 1]], server);
    expect((await pay(s1, { method: 'cash', amount: 14050, tip: 1000, tendered: 20000, cashSessionId: sid })).change).toBe(4950);
    // 2. Two Jus = 4500 for the manager, card with a 600 tip.
    const s2 = await open([[juice.id, 2]], boss);
    await pay(s2, { method: 'card', amount: 4500, tip: 600, reference: 'TPE-1', cashSessionId: sid });
    // 3. Plat less 10 % (1180) = 10620 for the server: 5000 by card, 5620 cash with a 200 tip (6000 tendered, 180 back).
    const s3 = await open([[dish.id, 1]], server);
    const discounted = await cashier.post(`${base}/sales/${s3}/discount`, { kind: 'percent', value: 1000, reason: 'Fidélité' });
    expect(discounted.body).toMatchObject({ discountTotal: 1180, due: 10620 });
    await pay(s3, { method: 'card', amount: 5000, reference: 'TPE-2', cashSessionId: sid });
    expect((await pay(s3, { method: 'cash', amount: 5620, tip: 200, tendered: 6000, cashSessionId: sid })).change).toBe(180);

    const x = await report();
    expect(x.body).toMatchObject({
      kind: 'X',
      salesCount: 3,
      salesByMethod: { cash: 19670, card: 9500, mobile_money: 0 },
      tips: { total: 1800, byServer: [{ userId: boss, name: 'manager', amount: 600 }, { userId: server, name: 'server', amount: 1200 }] },
      expectedCash: 20000 + 20000 - 4950 + 6000 - 180,
    });

    // 4. One Jus = 2250 by mobile money, no server, no tip.
    const s4 = await open([[juice.id, 1]]);
    await pay(s4, { method: 'mobile_money', amount: 2250, reference: 'OM-1', cashSessionId: sid });
    // 5. Still open: 1000 of 2250 in cash — money taken, but not a sale of the session yet.
    const s5 = await open([[juice.id, 1]]);
    await pay(s5, { method: 'cash', amount: 1000, tendered: 1000, cashSessionId: sid });
    // 6. Another register's business: a card sale with no session.
    const s6 = await open([[juice.id, 1]]);
    await pay(s6, { method: 'card', amount: 2250, reference: 'TPE-9', tip: 5000 });
    // Refunds on the session: 1000 cash of sale 1, 2250 by card of sale 2.
    expect((await refund(s1, 1000, sid)).method).toBe('cash');
    expect((await refund(s2, 2250, sid)).method).toBe('card');

    // By hand:
    // cash 14050 + 5620 + 1000 = 20670; card 4500 + 5000 = 9500; mobile money 2250.
    // Taxes per sale, summed per rate — 10 %: 2250 → 2045 + 205 (twice), 4500 → 4091 + 409;
    // 18 %: 11800 → 10000 + 1800, 10620 → 9000 + 1620.
    // Cash: 20000 float + tendered (20000 + 6000 + 1000) − change (4950 + 180) − refund 1000 = 40870
    //       (= float + cash amounts 20670 + cash tips 1200 − 1000).
    const expected = {
      salesCount: 4,
      salesByMethod: { cash: 20670, card: 9500, mobile_money: 2250 },
      refunds: { count: 2, amount: 3250 },
      discounts: { count: 1, amount: 1180 },
      tips: { total: 1800, byServer: [{ userId: boss, name: 'manager', amount: 600 }, { userId: server, name: 'server', amount: 1200 }] },
      taxes: [
        { rate: 1000, ttc: 9000, ht: 8181, tva: 819 },
        { rate: 1800, ttc: 22420, ht: 19000, tva: 3420 },
      ],
      openingFloat: 20000,
      expectedCash: 40870,
    };
    const beforeClose = await report();
    expect(beforeClose.body).toMatchObject({ kind: 'X', ...expected, countedCash: null, difference: null });
    expect(beforeClose.body.session).toMatchObject({ cashRefunds: 1000, expectedCash: 40870 });

    const closed = await cashier.post(`${base}/cash-sessions/${sid}/close`, { countedCash: 40800 });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', expectedCash: 40870, countedCash: 40800, difference: -70 });
    const z = { kind: 'Z', ...expected, countedCash: 40800, difference: -70, session: { id: sid, status: 'closed' } };
    expect(closed.body.report).toMatchObject(z);
    const after = await report();
    expect(after.body).toMatchObject(z);
    expect(after.body).toEqual(closed.body.report);

    // Other roles: managers read it, servers do not run registers.
    expect((await manager.get(`${base}/cash-sessions/${sid}/report`)).status).toBe(200);
    expect((await s.members.server.client.get(`${base}/cash-sessions/${sid}/report`)).status).toBe(403);
    expect((await cashier.get(`${base}/cash-sessions/${randomUUID()}/report`)).body.code).toBe('cash_session.not_found');
  });

  it('a sale split over two sessions belongs to the one where it was completed', async () => {
    const s = await companyWithStaff(a.app);
    const base = `/api/v1/companies/${s.company.id}`;
    const c = s.owner.client;
    const juice = await stockedProduct(c, s.company.id, 5, { name: 'Jus', price: 2250, taxRate: 1000 });
    const one = (await c.post(`${base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 0 })).body.id as string;
    const two = (await c.post(`${base}/cash-sessions`, { register: 'Caisse 2', openingFloat: 0 })).body.id as string;
    const sale = (await c.post(`${base}/sales`, { channel: 'counter', items: [{ productId: juice.id, quantity: 1 }] })).body.id as string;
    expect((await c.post(`${base}/sales/${sale}/payments`, { method: 'cash', amount: 1000, cashSessionId: one })).status).toBe(201);
    a.clock.advanceMinutes(1);
    expect((await c.post(`${base}/sales/${sale}/payments`, { method: 'card', amount: 1250, reference: 'T', cashSessionId: two })).status).toBe(201);
    a.clock.reset();
    const r1 = (await c.get(`${base}/cash-sessions/${one}/report`)).body;
    const r2 = (await c.get(`${base}/cash-sessions/${two}/report`)).body;
    expect(r1).toMatchObject({ salesCount: 0, salesByMethod: { cash: 1000, card: 0 }, taxes: [], expectedCash: 1000 });
    expect(r2).toMatchObject({ salesCount: 1, salesByMethod: { cash: 0, card: 1250 }, taxes: [{ rate: 1000, ttc: 2250, ht: 2045, tva: 205 }], expectedCash: 0 });
  });
});
