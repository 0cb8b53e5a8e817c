import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff } from './support/factories.ts';

// Cash-register sessions over HTTP (expected cash, close, refusals, a close racing
// payments) and moving sales between tables (transfer, merge) on real PostgreSQL.
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

/** A company with staff, an area, tables A, B, C and a good X at 1000 (stock 50). */
async function shop() {
  const s = await companyWithStaff(a.app);
  const base = `/api/v1/companies/${s.company.id}`;
  const c = s.owner.client;
  const area = await c.post(`${base}/areas`, { name: 'Salle' });
  expect(area.status).toBe(201);
  const tables = {} as Record<'A' | 'B' | 'C', string>;
  for (const label of ['A', 'B', 'C'] as const) {
    const t = await c.post(`${base}/tables`, { areaId: area.body.id, label, seats: 4 });
    expect(t.status).toBe(201);
    tables[label] = t.body.id;
  }
  const x = await stockedProduct(c, s.company.id, 50, { name: 'X', price: 1000 });
  const open = async (body: Record<string, unknown> = {}) => {
    const res = await c.post(`${base}/sales`, { channel: 'table', items: [], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; reference: string; total: number };
  };
  const pay = (saleId: string, body: Record<string, unknown>) => c.post(`${base}/sales/${saleId}/payments`, body);
  const table = async (id: string) => (await c.get(`${base}/floor`)).body.tables.find((t: { id: string }) => t.id === id);
  return { ...s, base, c, tables, x, open, pay, table };
}

describe('cash-register sessions', () => {
  it('open, one per register, cash in / change / cash refunds, card ignored, close with difference, closed is final', async () => {
    const s = await shop();
    const cashier = s.members.cashier.client;
    const opened = await cashier.post(`${s.base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 10000 });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect(opened.body).toMatchObject({ register: 'Caisse 1', status: 'open', openingFloat: 10000, cashIn: 0, expectedCash: 10000, openedBy: { id: s.members.cashier.userId } });
    const sid = opened.body.id as string;
    const twice = await s.c.post(`${s.base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 0 });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'cash_session.already_open', params: { sessionId: sid } });

    const cashSale = await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 3 }] });
    const cash = await s.pay(cashSale.id, { method: 'cash', amount: 3000, tendered: 5000, cashSessionId: sid });
    expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    expect(cash.body.change).toBe(2000);
    const cardSale = await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 2 }] });
    const card = await s.pay(cardSale.id, { method: 'card', amount: 2000, reference: 'TPE-1', cashSessionId: sid });
    expect(card.status, JSON.stringify(card.body)).toBe(201);

    const refund = await cashier.post(`${s.base}/sales/${cashSale.id}/refunds`, { amount: 1000, reason: 'Geste', restock: false });
    expect(refund.status).toBe(201);
    expect(refund.body.method).toBe('cash');
    const approved = await s.members.manager.client.post(`${s.base}/refunds/${refund.body.id}/approve`, { cashSessionId: sid });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    const live = await cashier.get(`${s.base}/cash-sessions/${sid}`);
    expect(live.body).toMatchObject({ status: 'open', cashIn: 5000, changeGiven: 2000, cashRefunds: 1000, expectedCash: 12000, countedCash: null, difference: null });

    const closed = await cashier.post(`${s.base}/cash-sessions/${sid}/close`, { countedCash: 11500 });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', expectedCash: 12000, countedCash: 11500, difference: -500, closedBy: { id: s.members.cashier.userId } });
    const again = await cashier.post(`${s.base}/cash-sessions/${sid}/close`, { countedCash: 12000 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('cash_session.closed');
    const late = await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 1 }] });
    const intoClosed = await s.pay(late.id, { method: 'cash', amount: 1000, tendered: 1000, cashSessionId: sid });
    expect(intoClosed.status).toBe(409);
    expect(intoClosed.body).toMatchObject({ code: 'cash_session.closed', params: { sessionId: sid } });
    expect((await s.c.get(`${s.base}/sales/${late.id}`)).body).toMatchObject({ status: 'open', paid: 0, payments: [] });
    // The register is free again once closed.
    expect((await cashier.post(`${s.base}/cash-sessions`, { register: 'caisse 1', openingFloat: 0 })).status).toBe(201);
  });

  it('requireCashSession: cash without a session → 409 cash_session.required, card still works', async () => {
    const s = await shop();
    const patched = await s.c.patch(`/api/v1/companies/${s.company.id}`, { settings: { requireCashSession: true } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const sale = await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 2 }] });
    const cash = await s.pay(sale.id, { method: 'cash', amount: 1000, tendered: 1000 });
    expect(cash.status).toBe(409);
    expect(cash.body.code).toBe('cash_session.required');
    const card = await s.pay(sale.id, { method: 'card', amount: 2000, reference: 'TPE-9' });
    expect(card.status, JSON.stringify(card.body)).toBe(201);
    expect(card.body.sale).toMatchObject({ status: 'paid', paid: 2000 });
  });

  it('20 cash payments racing a close: each lands (201) or is refused (409 closed); none lost between expected and closed', async () => {
    const s = await shop();
    const sid = (await s.c.post(`${s.base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 10000 })).body.id as string;
    const sales = [];
    for (let i = 0; i < 20; i++) sales.push(await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 1 }] }));
    const payments = sales.map((sale) => s.pay(sale.id, { method: 'cash', amount: 1000, tendered: 1500, cashSessionId: sid }));
    const close = s.members.manager.client.post(`${s.base}/cash-sessions/${sid}/close`, { countedCash: 0 });
    const [answers, closed] = await Promise.all([Promise.all(payments), close]);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    for (const r of answers) {
      if (r.status !== 201) expect(r.body, `${r.status}`).toMatchObject({ status: 409, code: 'cash_session.closed' });
    }
    const landed = answers.filter((r) => r.status === 201).length;
    expect(closed.body).toMatchObject({ status: 'closed', cashIn: landed * 1500, changeGiven: landed * 500, expectedCash: 10000 + landed * 1000, difference: -(10000 + landed * 1000) });
    // Read back: the payments in the session now are exactly those counted at close.
    const after = (await s.c.get(`${s.base}/cash-sessions/${sid}`)).body;
    expect(after).toMatchObject({ cashIn: landed * 1500, changeGiven: landed * 500, expectedCash: 10000 + landed * 1000 });
    const { rows } = await a.db.pool.query(`SELECT count(*)::int AS n FROM payments WHERE company_id = $1 AND cash_session_id = $2`, [s.company.id, sid]);
    expect(rows[0].n).toBe(landed);
    const paidSales = (await s.c.get(`${s.base}/sales?status=paid&limit=100`)).body.items;
    expect(paidSales).toHaveLength(landed);
  }, 20_000);
});

describe('transfer and merge', () => {
  it('transfer to a free table frees the old one (transferred); to an occupied table → 409', async () => {
    const s = await shop();
    const server = s.members.server.userId;
    const sale = await s.open({ tableId: s.tables.A, serverId: server, customerName: 'Awa', items: [{ productId: s.x.id, quantity: 1 }] });
    const moved = await s.c.post(`${s.base}/sales/${sale.id}/transfer`, { tableId: s.tables.B });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ id: sale.id, status: 'open', tableId: s.tables.B, tableLabel: 'B' });
    expect(await s.table(s.tables.A)).toMatchObject({ status: 'available', sale: null });
    expect(await s.table(s.tables.B)).toMatchObject({ status: 'occupied', sale: { id: sale.id, customerName: 'Awa', serverId: server } });
    const freed = await eventsOf(a.db.pool, s.company.id, 'table_freed');
    expect(freed.map((e) => [e.data.tableId, e.data.saleId, e.data.reason])).toEqual([[s.tables.A, sale.id, 'transferred']]);
    const occupied = await eventsOf(a.db.pool, s.company.id, 'table_occupied');
    expect(occupied.map((e) => e.data.tableId)).toEqual([s.tables.A, s.tables.B]);

    const other = await s.open({ tableId: s.tables.C });
    const busy = await s.c.post(`${s.base}/sales/${sale.id}/transfer`, { tableId: s.tables.C });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'sale.table_occupied', params: { saleId: other.id } });
    expect(await s.table(s.tables.B)).toMatchObject({ status: 'occupied', sale: { id: sale.id } });
    expect(await eventsOf(a.db.pool, s.company.id, 'table_freed')).toHaveLength(1);
  });

  it('merge: lines and held stock follow, the source is cancelled and its table freed (merged); paid sources refused', async () => {
    const s = await shop();
    const one = await s.open({ tableId: s.tables.A, items: [{ productId: s.x.id, quantity: 2 }] });
    const two = await s.open({ tableId: s.tables.B, items: [{ productId: s.x.id, quantity: 1 }] });
    const merged = await s.c.post(`${s.base}/sales/${one.id}/merge`, { targetSaleId: two.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ id: two.id, status: 'open', tableId: s.tables.B, totals: { ttc: 3000 }, due: 3000 });
    const qty = merged.body.items.filter((i: { productId: string }) => i.productId === s.x.id).reduce((n: number, i: { quantity: number }) => n + i.quantity, 0);
    expect(qty).toBe(3);
    expect((await s.c.get(`${s.base}/products/${s.x.id}`)).body).toMatchObject({ onHand: 50, held: 3 });
    expect((await s.c.get(`${s.base}/sales/${one.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: `merged into ${two.reference}`, items: [] });
    expect(await s.table(s.tables.A)).toMatchObject({ status: 'available', sale: null });
    expect(await s.table(s.tables.B)).toMatchObject({ status: 'occupied', sale: { id: two.id, itemCount: 3, total: 3000 } });
    const freed = await eventsOf(a.db.pool, s.company.id, 'table_freed');
    expect(freed.map((e) => [e.data.tableId, e.data.saleId, e.data.reason])).toEqual([[s.tables.A, one.id, 'merged']]);

    const withPayment = await s.open({ tableId: s.tables.C, items: [{ productId: s.x.id, quantity: 2 }] });
    expect((await s.pay(withPayment.id, { method: 'card', amount: 500, reference: 'TPE-2' })).status).toBe(201);
    const refused = await s.c.post(`${s.base}/sales/${withPayment.id}/merge`, { targetSaleId: two.id });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'sale.has_payments', params: { paid: 500 } });
    expect((await s.c.get(`${s.base}/products/${s.x.id}`)).body).toMatchObject({ onHand: 50, held: 5 });
    // Paying the merged sale consumes the merged holds.
    expect((await s.pay(two.id, { method: 'card', amount: 3000, reference: 'TPE-3' })).body.sale.status).toBe('paid');
    expect((await s.c.get(`${s.base}/products/${s.x.id}`)).body).toMatchObject({ onHand: 47, held: 2 });
  });

  it('two merges of the same pair in opposite directions at once: one succeeds, the other 409, no deadlock', async () => {
    const s = await shop();
    for (let round = 0; round < 5; round++) {
      const p = await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 1 }] });
      const q = await s.open({ channel: 'counter', items: [{ productId: s.x.id, quantity: 2 }] });
      const answers = await Promise.all([
        s.c.post(`${s.base}/sales/${p.id}/merge`, { targetSaleId: q.id }),
        s.members.manager.client.post(`${s.base}/sales/${q.id}/merge`, { targetSaleId: p.id }),
      ]);
      expect(answers.map((r) => r.status).sort(), JSON.stringify(answers.map((r) => r.body))).toEqual([200, 409]);
      const lost = answers.find((r) => r.status === 409)!;
      expect(lost.body).toMatchObject({ code: 'sale.illegal_transition', params: { status: 'cancelled' } });
      const won = answers.find((r) => r.status === 200)!;
      expect(won.body).toMatchObject({ status: 'open', totals: { ttc: 3000 } });
    }
    expect((await s.c.get(`${s.base}/products/${s.x.id}`)).body).toMatchObject({ onHand: 50, held: 15 });
  });
});
