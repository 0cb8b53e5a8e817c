import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { apiToken, eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, signUp } from './support/factories.ts';

// Races over real HTTP (a cashier's bearer token) on real PostgreSQL: a table is never
// double-booked, a sale never paid twice nor freed twice, and held stock never oversold.
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

interface Answer {
  status: number;
  body: any;
}

/** A fresh company with one area, table "5" and a cashier calling over real HTTP. */
async function restaurant() {
  const { client } = await signUp(a.app, 'Owner');
  const company = await createCompany(client);
  const staff = `/api/v1/companies/${company.id}`;
  const area = await client.post(`${staff}/areas`, { name: 'Salle' });
  expect(area.status).toBe(201);
  const table = await client.post(`${staff}/tables`, { areaId: area.body.id, label: '5', seats: 4 });
  expect(table.status).toBe(201);
  const token = await apiToken(client, company.id, 'cashier');
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${a.url}${staff}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const good = (quantity: number, fields: Record<string, unknown> = {}) => stockedProduct(client, company.id, quantity, fields);
  const product = async (id: string) => (await client.get(`${staff}/products/${id}`)).body;
  const open = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/sales', { channel: 'counter', items: [], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  return { client, companyId: company.id, tableId: table.body.id as string, call, good, product, open };
}

const statuses = (answers: Answer[]) => answers.map((r) => r.status).sort();

describe('sales under concurrency', () => {
  it('50 parallel openings on table 5 → exactly one sale, 49 × 409 naming it, one table_occupied', async () => {
    const r = await restaurant();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => r.call('POST', '/sales', { channel: 'table', tableId: r.tableId, customerName: `Client ${i}`, items: [] })),
    );
    const won = answers.filter((x) => x.status === 201);
    const lost = answers.filter((x) => x.status === 409);
    expect(answers.filter((x) => x.status !== 201 && x.status !== 409).map((x) => [x.status, x.body])).toEqual([]);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const sale = won[0]!.body;
    // Refused openings give their number back: the winner is V-000001.
    expect(sale).toMatchObject({ reference: 'V-000001', status: 'open', tableId: r.tableId });
    for (const x of lost) {
      expect(x.body.code).toBe('sale.table_occupied');
      expect(x.body.params).toMatchObject({ saleId: sale.id, reference: 'V-000001' });
    }
    const occupied = await eventsOf(a.db.pool, r.companyId, 'table_occupied');
    expect(occupied.map((e) => e.data.saleId)).toEqual([sale.id]);
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM sales WHERE company_id = $1', [r.companyId]);
    expect(rows[0].n).toBe(1);
    await expectLedgerConsistent(a.db.pool);
  }, 30_000);

  it('10 identical payments with one Idempotency-Key → one payment, identical answers', async () => {
    const r = await restaurant();
    const p = await r.good(10, { price: 1500 });
    const sale = await r.open({ channel: 'table', tableId: r.tableId, items: [{ productId: p.id, quantity: 2 }] });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        r.call('POST', `/sales/${sale.id}/payments`, { method: 'cash', amount: 3000, tendered: 5000 }, { 'idempotency-key': 'pay-once-1' }),
      ),
    );
    expect(statuses(answers)).toEqual(Array(10).fill(201));
    for (const x of answers) expect(x.body).toEqual(answers[0]!.body);
    expect(answers[0]!.body).toMatchObject({ change: 2000, sale: { status: 'paid', paid: 3000, due: 0 } });
    const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM payments WHERE company_id = $1 AND sale_id = $2', [r.companyId, sale.id]);
    expect(rows[0].n).toBe(1);
    expect((await eventsOf(a.db.pool, r.companyId, 'table_freed')).length).toBe(1);
    expect(await r.product(p.id)).toMatchObject({ onHand: 8, held: 0 });
    await expectLedgerConsistent(a.db.pool);
  }, 30_000);

  it('pay raced against cancel → one outcome wins, one table_freed for that sale', async () => {
    const r = await restaurant();
    const p = await r.good(100, { price: 1000 });
    for (let round = 0; round < 5; round++) {
      const sale = await r.open({ channel: 'table', tableId: r.tableId, items: [{ productId: p.id, quantity: 1 }] });
      const [paid, cancelled] = await Promise.all([
        r.call('POST', `/sales/${sale.id}/payments`, { method: 'card', amount: 1000, reference: `TPE-${round}` }),
        r.call('POST', `/sales/${sale.id}/cancel`, { reason: 'client parti' }),
      ]);
      const outcome = [paid!.status, cancelled!.status];
      expect([[201, 409], [409, 200]], JSON.stringify([paid!.body, cancelled!.body])).toContainEqual(outcome);
      const loser = paid!.status === 201 ? cancelled! : paid!;
      expect(loser.body).toMatchObject({ code: 'sale.illegal_transition', params: { status: paid!.status === 201 ? 'paid' : 'cancelled' } });
      const final = await r.call('GET', `/sales/${sale.id}`);
      expect(final.body.status).toBe(paid!.status === 201 ? 'paid' : 'cancelled');
      const freed = (await eventsOf(a.db.pool, r.companyId, 'table_freed')).filter((e) => e.data.saleId === sale.id);
      expect(freed).toHaveLength(1);
      expect(freed[0]!.data.reason).toBe(paid!.status === 201 ? 'paid' : 'cancelled');
      const { rows } = await a.db.pool.query('SELECT count(*)::int AS n FROM payments WHERE company_id = $1 AND sale_id = $2', [r.companyId, sale.id]);
      expect(rows[0].n).toBe(paid!.status === 201 ? 1 : 0);
    }
    expect(await r.product(p.id)).toMatchObject({ held: 0 });
    await expectLedgerConsistent(a.db.pool);
  }, 30_000);

  it('20 staff adding 1 unit to one sale at once → all 20 lines kept, 20 held', async () => {
    const r = await restaurant();
    const p = await r.good(50, { price: 500 });
    const sale = await r.open({ channel: 'table', tableId: r.tableId });
    const answers = await Promise.all(Array.from({ length: 20 }, () => r.call('POST', `/sales/${sale.id}/items`, { productId: p.id, quantity: 1 })));
    expect(statuses(answers), JSON.stringify(answers.find((x) => x.status !== 200)?.body)).toEqual(Array(20).fill(200));
    const final = (await r.call('GET', `/sales/${sale.id}`)).body;
    expect(final.items).toHaveLength(20);
    expect(final.items.reduce((s: number, i: { quantity: number }) => s + i.quantity, 0)).toBe(20);
    expect(final.totals.ttc).toBe(10_000);
    expect(final.due).toBe(10_000);
    expect(await r.product(p.id)).toMatchObject({ onHand: 50, held: 20, available: 30 });
    await expectLedgerConsistent(a.db.pool);
  }, 30_000);

  it('the last unit added from two sales at once → one 200, one 409 stock.insufficient', async () => {
    const r = await restaurant();
    const p = await r.good(1, { price: 2500 });
    const s1 = await r.open({});
    const s2 = await r.open({});
    const answers = await Promise.all([s1, s2].map((s) => r.call('POST', `/sales/${s.id}/items`, { productId: p.id, quantity: 1 })));
    expect(statuses(answers)).toEqual([200, 409]);
    const lost = answers.find((x) => x.status === 409)!;
    expect(lost.body).toMatchObject({ code: 'stock.insufficient', params: { productId: p.id, available: 0, requested: 1 } });
    expect(await r.product(p.id)).toMatchObject({ onHand: 1, held: 1, available: 0 });
    await expectLedgerConsistent(a.db.pool);
  }, 30_000);
});
