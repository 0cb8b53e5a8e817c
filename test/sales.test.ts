import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, expectLedgerConsistent, stockedProduct } from './support/catalog-helpers.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, companyWithStaff, createCompany, PASSWORD, signUp, waitFor } from './support/factories.ts';
import { SseClient } from './support/sse.ts';

let a: TestApp;
let drop: () => Promise<void>;
const streams: SseClient[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
});
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
  a.clock.reset();
});
afterAll(async () => {
  a?.app.server.closeAllConnections();
  await a?.stop();
  await drop();
});

/** A company with staff, an area and table "5"; helpers over its API. */
async function restaurant() {
  const { company, owner, members } = await companyWithStaff(a.app);
  const base = `/api/v1/companies/${company.id}`;
  const area = await owner.client.post(`${base}/areas`, { name: 'Terrasse' });
  expect(area.status).toBe(201);
  const table = async (label: string) => {
    const res = await owner.client.post(`${base}/tables`, { areaId: area.body.id, label, seats: 4 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const t5 = await table('5');
  const good = (q: number, fields: Record<string, unknown> = {}) => stockedProduct(owner.client, company.id, q, fields);
  const c = owner.client;
  const open = async (body: Record<string, unknown>, who: Client = c) => {
    const res = await who.post(`${base}/sales`, { channel: 'counter', items: [], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const product = async (id: string) => (await c.get(`${base}/products/${id}`)).body;
  return { company, owner, members, base, areaId: area.body.id as string, t5, table, good, c, open, product };
}

const tableOf = (floor: { tables: Array<{ id: string }> }, id: string) => floor.tables.find((t) => t.id === id) as any;

describe('seed 000 over HTTP with the stream open', () => {
  it('table 5: Jean Dupont served by Marie Martin → table_occupied, pay → table_freed within 1 s, goods sold', async () => {
    const r = await restaurant();
    const marie = await r.c.post(`${r.base}/members`, { email: `marie-${Date.now()}@example.test`, role: 'server', name: 'Marie Martin', password: PASSWORD });
    expect(marie.status).toBe(201);
    const s = await SseClient.open(`${a.url}${r.base}/stream`, { cookie: `comptoir_session=${r.c.cookies.get('comptoir_session')}` });
    streams.push(s);
    expect(s.status).toBe(200);
    const beer = await r.good(10, { name: 'Bière', price: 1500 });

    const sale = await r.open({ channel: 'table', tableId: r.t5, customerName: 'Jean Dupont', serverId: marie.body.userId, items: [{ productId: beer.id, quantity: 2 }] });
    expect(sale).toMatchObject({ reference: 'V-000001', status: 'open', tableLabel: '5', customerName: 'Jean Dupont', serverName: 'Marie Martin', due: 3000 });
    const occ = await waitFor(() => s.frames.find((f) => f.event === 'table_occupied'), 2000, 'table_occupied');
    expect(occ.data.data).toMatchObject({ tableId: r.t5, saleId: sale.id, label: '5', customerName: 'Jean Dupont', serverName: 'Marie Martin', serverId: marie.body.userId });
    const floor = (await r.c.get(`${r.base}/floor`)).body;
    expect(tableOf(floor, r.t5)).toMatchObject({
      status: 'occupied',
      sale: { id: sale.id, reference: 'V-000001', customerName: 'Jean Dupont', serverName: 'Marie Martin', itemCount: 2, total: 3000 },
    });
    expect(await r.product(beer.id)).toMatchObject({ onHand: 10, held: 2 });

    const t0 = Date.now();
    const paid = await r.c.post(`${r.base}/sales/${sale.id}/payments`, { method: 'cash', amount: 3000, tendered: 5000 });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body).toMatchObject({ change: 2000, payment: { method: 'cash', amount: 3000, tendered: 5000, change: 2000 }, sale: { status: 'paid', due: 0 } });
    const freed = await waitFor(() => s.frames.find((f) => f.event === 'table_freed'), 1000, 'table_freed within 1 s');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(freed.data.data).toMatchObject({ tableId: r.t5, label: '5', saleId: sale.id, reason: 'paid', total: 3000 });
    expect(tableOf((await r.c.get(`${r.base}/floor`)).body, r.t5)).toMatchObject({ status: 'available', sale: null });

    expect(await r.product(beer.id)).toMatchObject({ onHand: 8, held: 0 });
    const moves = (await r.c.get(`${r.base}/products/${beer.id}/movements`)).body.items;
    expect(moves.filter((m: { kind: string }) => m.kind === 'sale').map((m: { quantity: number }) => m.quantity)).toEqual([-2]);
    await expectLedgerConsistent(a.db.pool);
  }, 20_000);
});

describe('transitions', () => {
  it('cancel: reason required with items, frees the table and the stock; final afterwards', async () => {
    const r = await restaurant();
    const p = await r.good(5);
    const sale = await r.open({ channel: 'table', tableId: r.t5, items: [{ productId: p.id, quantity: 3 }] });
    const noReason = await r.c.post(`${r.base}/sales/${sale.id}/cancel`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', code: 'required' }]);
    const ok = await r.c.post(`${r.base}/sales/${sale.id}/cancel`, { reason: 'erreur de saisie' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'cancelled', cancelReason: 'erreur de saisie' });
    expect(await r.product(p.id)).toMatchObject({ onHand: 5, held: 0 });
    const freed = await eventsOf(a.db.pool, r.company.id, 'table_freed');
    expect(freed.map((e) => [e.data.saleId, e.data.reason])).toEqual([[sale.id, 'cancelled']]);
    expect(tableOf((await r.c.get(`${r.base}/floor`)).body, r.t5).status).toBe('available');
    const again = await r.c.post(`${r.base}/sales/${sale.id}/cancel`, { reason: 'x' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'sale.illegal_transition', params: { status: 'cancelled' } });
    // An empty sale cancels without a reason.
    const empty = await r.open({});
    expect((await r.c.post(`${r.base}/sales/${empty.id}/cancel`, {})).status).toBe(200);
    await expectLedgerConsistent(a.db.pool);
  });

  it('paid is final for cancel and edits; a payment blocks cancel; split payments; payment refusals', async () => {
    const r = await restaurant();
    const p = await r.good(20, { price: 1000 });
    const sale = await r.open({ channel: 'table', tableId: r.t5, items: [{ productId: p.id, quantity: 5 }] });
    const pay = (body: Record<string, unknown>) => r.c.post(`${r.base}/sales/${sale.id}/payments`, body);
    const over = await pay({ method: 'cash', amount: 5001, tendered: 6000 });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'payment.exceeds_due', params: { due: 5000 } });
    const noRef = await pay({ method: 'card', amount: 2000 });
    expect(noRef.status).toBe(400);
    expect(noRef.body.errors).toEqual([{ field: 'reference', code: 'required' }]);
    const short = await pay({ method: 'cash', amount: 2000, tendered: 1000 });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ field: 'tendered', code: 'too_small' }]);

    const card = await pay({ method: 'card', amount: 2000, reference: 'TPE-778' });
    expect(card.status).toBe(201);
    expect(card.body).toMatchObject({ change: 0, sale: { status: 'open', paid: 2000, due: 3000 }, payment: { method: 'card', reference: 'TPE-778' } });
    const blocked = await r.c.post(`${r.base}/sales/${sale.id}/cancel`, { reason: 'parti' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('sale.has_payments');
    expect(tableOf((await r.c.get(`${r.base}/floor`)).body, r.t5).status).toBe('occupied');
    const cash = await pay({ method: 'cash', amount: 3000, tendered: 3000 });
    expect(cash.status).toBe(201);
    expect(cash.body).toMatchObject({ change: 0, sale: { status: 'paid', paid: 5000, due: 0 } });
    expect(cash.body.sale.payments.map((x: { method: string }) => x.method)).toEqual(['card', 'cash']);

    const cancel = await r.c.post(`${r.base}/sales/${sale.id}/cancel`, { reason: 'x' });
    expect(cancel.status).toBe(409);
    expect(cancel.body).toMatchObject({ code: 'sale.illegal_transition', params: { status: 'paid' } });
    const add = await r.c.post(`${r.base}/sales/${sale.id}/items`, { productId: p.id, quantity: 1 });
    expect(add.status).toBe(409);
    expect(add.body).toMatchObject({ code: 'sale.illegal_transition', params: { status: 'paid' } });
    expect((await r.c.post(`${r.base}/sales/${sale.id}/payments`, { method: 'cash', amount: 1, tendered: 1 })).body.code).toBe('sale.illegal_transition');
    expect(await r.product(p.id)).toMatchObject({ onHand: 15, held: 0 });
    expect((await eventsOf(a.db.pool, r.company.id, 'table_freed')).length).toBe(1);
    await expectLedgerConsistent(a.db.pool);
  });
});

describe('items, stock and taxes', () => {
  it('beyond available → 409 stock.insufficient; removing a line releases its stock', async () => {
    const r = await restaurant();
    const p = await r.good(3, { name: 'Savon' });
    const sale = await r.open({ items: [{ productId: p.id, quantity: 2 }] });
    const more = await r.c.post(`${r.base}/sales/${sale.id}/items`, { productId: p.id, quantity: 2 });
    expect(more.status).toBe(409);
    expect(more.body).toMatchObject({ code: 'stock.insufficient', params: { productId: p.id, available: 1, requested: 2 } });
    const one = await r.c.post(`${r.base}/sales/${sale.id}/items`, { productId: p.id, quantity: 1 });
    expect(one.status).toBe(200);
    expect(await r.product(p.id)).toMatchObject({ held: 3, available: 0 });
    const del = await r.c.delete(`${r.base}/sales/${sale.id}/items/${one.body.items[0].id}`);
    expect(del.status).toBe(200);
    expect(del.body.items.map((i: { quantity: number }) => i.quantity)).toEqual([1]);
    expect(await r.product(p.id)).toMatchObject({ onHand: 3, held: 1, available: 2 });
    await expectLedgerConsistent(a.db.pool);
  });

  it('two tax rates → byRate rows, HT rounded half up, HT + TVA = TTC', async () => {
    const r = await restaurant();
    const food = await r.good(10, { price: 1001, taxRate: 1800 });
    const water = await r.good(10, { price: 700, taxRate: 0 });
    const sale = await r.open({ items: [{ productId: food.id, quantity: 3 }, { productId: water.id, quantity: 2 }] });
    // 3003 × 10000 / 11800 = 2544.9… → 2545.
    expect(sale.totals).toEqual({
      ttc: 4403,
      ht: 3945,
      tva: 458,
      byRate: [{ rate: 0, ttc: 1400, ht: 1400, tva: 0 }, { rate: 1800, ttc: 3003, ht: 2545, tva: 458 }],
    });
  });
});

describe('references, large sales, listing, tenancy, roles', () => {
  it('references are gapless: refused openings consume no number', async () => {
    const r = await restaurant();
    const p = await r.good(1);
    expect((await r.open({ channel: 'table', tableId: r.t5 })).reference).toBe('V-000001');
    const busy = await r.c.post(`${r.base}/sales`, { channel: 'table', tableId: r.t5, items: [] });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ code: 'sale.table_occupied', params: { reference: 'V-000001' } });
    const short = await r.c.post(`${r.base}/sales`, { channel: 'counter', items: [{ productId: p.id, quantity: 2 }] });
    expect(short.status).toBe(409);
    expect((await r.open({})).reference).toBe('V-000002');
    expect((await r.open({})).reference).toBe('V-000003');
  });

  it('large_sale at or above the threshold, not below', async () => {
    const r = await restaurant();
    const set = await r.c.patch(`/api/v1/companies/${r.company.id}`, { settings: { largeSaleThreshold: 5000 } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const p = await r.good(10, { price: 4999 });
    const q = await r.good(10, { price: 5000 });
    const below = await r.open({ items: [{ productId: p.id, quantity: 1 }] });
    expect((await r.c.post(`${r.base}/sales/${below.id}/payments`, { method: 'cash', amount: 4999 })).status).toBe(201);
    const at = await r.open({ items: [{ productId: q.id, quantity: 1 }] });
    expect((await r.c.post(`${r.base}/sales/${at.id}/payments`, { method: 'cash', amount: 5000 })).status).toBe(201);
    const large = await eventsOf(a.db.pool, r.company.id, 'large_sale');
    expect(large.map((e) => [e.data.saleId, e.data.amount])).toEqual([[at.id, 5000]]);
  });

  it('GET /sales filters by status, channel, table and local dates, and pages', async () => {
    const r = await restaurant();
    a.clock.set(new Date('2026-03-10T12:00:00Z'));
    const march10 = await r.open({});
    a.clock.set(new Date('2026-03-12T12:00:00Z'));
    const onTable = await r.open({ channel: 'table', tableId: r.t5 });
    const paidOne = await r.open({ channel: 'counter', items: [{ productId: (await r.good(1, { price: 100 })).id, quantity: 1 }] });
    expect((await r.c.post(`${r.base}/sales/${paidOne.id}/payments`, { method: 'cash', amount: 100 })).status).toBe(201);
    const ids = async (q: string) => {
      const res = await r.c.get(`${r.base}/sales?${q}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((s: { id: string }) => s.id);
    };
    expect(await ids('status=paid')).toEqual([paidOne.id]);
    expect(await ids('channel=table')).toEqual([onTable.id]);
    expect(await ids(`tableId=${r.t5}`)).toEqual([onTable.id]);
    expect(await ids('from=2026-03-10&to=2026-03-10')).toEqual([march10.id]);
    expect(await ids('from=2026-03-11')).toEqual([paidOne.id, onTable.id]);
    expect(await ids('to=2026-03-11')).toEqual([march10.id]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await r.c.get(`${r.base}/sales?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([paidOne.id, onTable.id, march10.id]);
  });

  it("another company's sale and table ids → 404", async () => {
    const r = await restaurant();
    const p = await r.good(5);
    const sale = await r.open({ items: [{ productId: p.id, quantity: 1 }] });
    const other = await signUp(a.app, 'Other');
    const mine = await createCompany(other.client);
    const base = `/api/v1/companies/${mine.id}`;
    expect((await other.client.get(`${base}/sales/${sale.id}`)).status).toBe(404);
    expect((await other.client.post(`${base}/sales/${sale.id}/payments`, { method: 'cash', amount: 1500 })).status).toBe(404);
    expect((await other.client.post(`${base}/sales/${sale.id}/cancel`, { reason: 'x' })).status).toBe(404);
    expect((await other.client.post(`${base}/sales/${sale.id}/items`, { productId: p.id, quantity: 1 })).status).toBe(404);
    const onTheirTable = await other.client.post(`${base}/sales`, { channel: 'table', tableId: r.t5, items: [] });
    expect(onTheirTable.status).toBe(404);
    expect((await r.c.get(`${r.base}/sales/${sale.id}`)).body.status).toBe('open');
  });

  it('a server runs sales but cannot create tables', async () => {
    const r = await restaurant();
    const srv = r.members.server.client;
    const p = await r.good(5, { price: 800 });
    const sale = await r.open({ channel: 'table', tableId: r.t5, items: [{ productId: p.id, quantity: 1 }] }, srv);
    const paid = await srv.post(`${r.base}/sales/${sale.id}/payments`, { method: 'mobile_money', amount: 800, reference: 'OM-123' });
    expect(paid.status).toBe(201);
    expect(paid.body.sale.status).toBe('paid');
    const t = await srv.post(`${r.base}/tables`, { areaId: r.areaId, label: '9', seats: 2 });
    expect(t.status).toBe(403);
    expect((await srv.get(`${r.base}/floor`)).status).toBe(200);
    const extra = await addMember(a.app, r.c, r.company.id, 'cashier');
    expect((await extra.client.post(`${r.base}/areas`, { name: 'Bar' })).status).toBe(403);
  });
});

describe('sale detail', () => {
  it('tells the sale’s story: its events in order, without ip or user agent', async () => {
    const s = await companyWithStaff(a.app);
    const base = `/api/v1/companies/${s.company.id}`;
    const area = (await s.owner.client.post(`${base}/areas`, { name: 'Salle' })).body;
    const table = (await s.owner.client.post(`${base}/tables`, { areaId: area.id, label: '9', seats: 2 })).body;
    const p = await stockedProduct(s.owner.client, s.company.id, 5, { price: 1000 });
    const sale = (await s.owner.client.post(`${base}/sales`, { tableId: table.id, channel: 'table', items: [{ productId: p.id, quantity: 1 }] })).body;
    await s.owner.client.post(`${base}/sales/${sale.id}/payments`, { method: 'cash', amount: 1000 });
    const detail = (await s.owner.client.get(`${base}/sales/${sale.id}`)).body;
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['table_occupied', 'sale_opened', 'table_freed', 'sale_paid']);
    const positions = detail.events.map((e: { position: number }) => e.position);
    expect([...positions].sort((a: number, b: number) => a - b)).toEqual(positions);
    expect(JSON.stringify(detail.events)).not.toMatch(/user_agent|"ip"/);
  });
});
