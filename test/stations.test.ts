import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf, stockedProduct } from './support/catalog-helpers.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, createCompany, signUp, waitFor } from './support/factories.ts';
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

type Line = { saleItemId: string; name: string; quantity: number; note: string | null; kind: 'new' | 'cancel' };
type Ticket = { id: string; sendId: string; saleId: string; station: string; kind: string; status: string; reference: string; tableLabel: string | null;
  serverName: string | null; readyAt: string | null; lines: Line[] };

/** A restaurant: staff, table "7", a kitchen dish, a bar drink, bread (no station); helpers over the API. */
async function restaurant() {
  const { company, owner, members } = await companyWithStaff(a.app);
  const base = `/api/v1/companies/${company.id}`;
  const c = owner.client;
  const area = (await c.post(`${base}/areas`, { name: 'Salle' })).body;
  const table = (await c.post(`${base}/tables`, { areaId: area.id, label: '7', seats: 4 })).body.id as string;
  const dish = await stockedProduct(c, company.id, 100, { name: 'Poulet yassa', price: 4000, station: 'kitchen' });
  const fish = await stockedProduct(c, company.id, 100, { name: 'Thieboudienne', price: 4500, station: 'kitchen' });
  const drink = await stockedProduct(c, company.id, 100, { name: 'Bissap', price: 1000, station: 'bar' });
  const bread = await stockedProduct(c, company.id, 100, { name: 'Pain', price: 200 });
  const open = async (body: Record<string, unknown>, who: Client = c) => {
    const res = await who.post(`${base}/sales`, { channel: 'table', tableId: table, items: [], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; reference: string; items: Array<{ id: string; productId: string; name: string; quantity: number }> };
  };
  const add = async (saleId: string, items: Array<Record<string, unknown>>, who: Client = c) => {
    const res = await who.post(`${base}/sales/${saleId}/items`, { items });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: Array<{ id: string; productId: string; name: string; quantity: number; note: string | null }> };
  };
  const send = async (saleId: string, who: Client = c) => {
    const res = await who.post(`${base}/sales/${saleId}/send-to-stations`);
    expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
    return res as { status: number; body: { tickets: Ticket[] } };
  };
  const queue = async (station: string, who: Client = c, status = 'pending') => {
    const res = await who.get(`${base}/stations/${station}/tickets?status=${status}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as Ticket[];
  };
  const ready = (station: string, ticketId: string, who: Client = c) => who.post(`${base}/stations/${station}/tickets/${ticketId}/ready`);
  const events = (type: string) => eventsOf(a.db.pool, company.id, type);
  return { company, owner, members, base, c, table, dish, fish, drink, bread, open, add, send, queue, ready, events };
}

const byStation = (tickets: Ticket[]) => Object.fromEntries(tickets.map((t) => [t.station, t]));
const linesOf = (t: Ticket) => t.lines.map((l) => [l.kind, l.name, l.quantity, l.note]);

describe('products carry a station', () => {
  it('is set on create, changed and cleared on update, null by default', async () => {
    const r = await restaurant();
    expect(r.dish.station).toBe('kitchen');
    expect(r.bread.station).toBeNull();
    const moved = await r.c.patch(`${r.base}/products/${r.bread.id}`, { station: 'bar' });
    expect(moved.status).toBe(200);
    expect(moved.body.station).toBe('bar');
    const cleared = await r.c.patch(`${r.base}/products/${r.bread.id}`, { station: null });
    expect(cleared.body.station).toBeNull();
    expect((await r.c.patch(`${r.base}/products/${r.bread.id}`, { station: 'grill' })).status).toBe(400);
  });
});

describe('send to stations', () => {
  it('routes each line to its station with its note, one ticket per station, nothing for lines without a station', async () => {
    const r = await restaurant();
    const sale = await r.open({
      serverId: r.members.server.userId,
      items: [
        { productId: r.dish.id, quantity: 2, note: 'sans piment' },
        { productId: r.drink.id, quantity: 3 },
        { productId: r.bread.id, quantity: 1 },
      ],
    });
    const sent = await r.send(sale.id);
    expect(sent.status).toBe(201);
    expect(sent.body.tickets.map((t) => t.station)).toEqual(['kitchen', 'bar']);
    const { kitchen, bar } = byStation(sent.body.tickets);
    expect(kitchen).toMatchObject({ saleId: sale.id, reference: sale.reference, tableLabel: '7', serverName: 'server', kind: 'order', status: 'pending' });
    expect(linesOf(kitchen!)).toEqual([['new', 'Poulet yassa', 2, 'sans piment']]);
    expect(linesOf(bar!)).toEqual([['new', 'Bissap', 3, null]]);
    expect(kitchen!.sendId).toBe(bar!.sendId);

    // Each station's screen shows only its own ticket.
    expect((await r.queue('kitchen')).map((t) => t.id)).toEqual([kitchen!.id]);
    expect((await r.queue('bar')).map((t) => t.id)).toEqual([bar!.id]);
    const evs = await r.events('ticket_sent');
    expect(evs.map((e) => [e.data.station, e.data.kind, e.data.lineCount, e.data.tableLabel])).toEqual([['kitchen', 'order', 1, '7'], ['bar', 'order', 1, '7']]);

    // The till sees what each line has sent.
    const status = (await r.c.get(`${r.base}/sales/${sale.id}/tickets`)).body;
    expect(status.tickets.map((t: Ticket) => t.id)).toEqual([kitchen!.id, bar!.id]);
    // (in the sale's order: lines added together share their time, so sorted here)
    expect(status.lines.map((l: { name: string; station: string; quantity: number; sent: number }) => [l.station, l.name, l.quantity, l.sent]).sort()).toEqual([
      ['bar', 'Bissap', 3, 3],
      ['kitchen', 'Poulet yassa', 2, 2],
    ]);
  });

  it('sends only what is new: nothing new → 200 and no ticket; new lines and added quantities only', async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }, { productId: r.drink.id, quantity: 2 }] });
    await r.send(sale.id);
    const again = await r.send(sale.id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ tickets: [] });

    // Only bread added: still nothing for the stations.
    await r.add(sale.id, [{ productId: r.bread.id, quantity: 2 }]);
    expect((await r.send(sale.id)).body.tickets).toEqual([]);

    // A second dish (with a note) and another round of the same drink: only those go.
    await r.add(sale.id, [{ productId: r.fish.id, quantity: 1, note: 'bien cuit' }, { productId: r.drink.id, quantity: 1 }]);
    a.clock.advanceMinutes(5);
    const second = await r.send(sale.id);
    expect(second.status).toBe(201);
    const { kitchen, bar } = byStation(second.body.tickets);
    expect(linesOf(kitchen!)).toEqual([['new', 'Thieboudienne', 1, 'bien cuit']]);
    expect(linesOf(bar!)).toEqual([['new', 'Bissap', 1, null]]);

    // A line whose quantity grew (e.g. merged or corrected) sends the difference only.
    const line = (await r.c.get(`${r.base}/sales/${sale.id}`)).body.items.find((i: { productId: string }) => i.productId === r.dish.id);
    await a.db.pool.query('UPDATE sale_items SET quantity = 4 WHERE id = $1', [line.id]);
    const third = await r.send(sale.id);
    expect(third.body.tickets.map((t) => [t.station, linesOf(t)])).toEqual([['kitchen', [['new', 'Poulet yassa', 3, null]]]]);

    // The kitchen's queue: oldest first.
    const queue = await r.queue('kitchen');
    expect(queue.map((t) => t.lines[0]!.name)).toEqual(['Poulet yassa', 'Thieboudienne', 'Poulet yassa']);
    const lines = (await r.c.get(`${r.base}/sales/${sale.id}/tickets`)).body.lines;
    expect(lines.find((l: { saleItemId: string }) => l.saleItemId === line.id)).toMatchObject({ quantity: 4, sent: 4 });
    // A new line shows what is left to send; bread (no station) is not listed.
    await r.add(sale.id, [{ productId: r.drink.id, quantity: 2 }]);
    const after = (await r.c.get(`${r.base}/sales/${sale.id}/tickets`)).body.lines;
    expect(after.map((l: { quantity: number; sent: number }) => l.quantity - l.sent).filter(Boolean)).toEqual([2]);
    expect(after.some((l: { name: string }) => l.name === 'Pain')).toBe(false);
  });

  it('two sends at once send each line once', async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }, { productId: r.drink.id, quantity: 1 }] });
    const results = await Promise.all(Array.from({ length: 6 }, () => r.send(sale.id)));
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.flatMap((x) => x.body.tickets)).toHaveLength(2);
    expect(await r.events('ticket_sent')).toHaveLength(2);
  });

  it('refuses a cancelled sale; an unknown sale is 404', async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }] });
    await r.c.post(`${r.base}/sales/${sale.id}/cancel`, { reason: 'client parti' });
    const res = await r.c.post(`${r.base}/sales/${sale.id}/send-to-stations`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('sale.illegal_transition');
    expect((await r.c.post(`${r.base}/sales/${randomUUID()}/send-to-stations`)).status).toBe(404);
    expect((await r.c.get(`${r.base}/sales/${randomUUID()}/tickets`)).status).toBe(404);
  });
});

describe('cancellations', () => {
  it('removing a sent line sends a cancellation to its station in the same request; an unsent line sends nothing', async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 2, note: 'sans piment' }, { productId: r.drink.id, quantity: 1 }] });
    await r.send(sale.id);
    const dishLine = sale.items.find((i) => i.productId === r.dish.id)!;

    const removed = await r.c.delete(`${r.base}/sales/${sale.id}/items/${dishLine.id}`);
    expect(removed.status).toBe(200);
    const kitchen = await r.queue('kitchen');
    expect(kitchen).toHaveLength(2);
    expect(kitchen[1]).toMatchObject({ kind: 'cancel', status: 'pending', saleId: sale.id });
    expect(linesOf(kitchen[1]!)).toEqual([['cancel', 'Poulet yassa', 2, 'sans piment']]);
    expect(await r.queue('bar')).toHaveLength(1);
    expect((await r.events('ticket_sent')).map((e) => [e.data.station, e.data.kind])).toEqual([['kitchen', 'order'], ['bar', 'order'], ['kitchen', 'cancel']]);

    // An unsent line removed: no ticket, and the next send does not resurrect anything.
    const added = await r.add(sale.id, [{ productId: r.fish.id, quantity: 1 }]);
    const fishLine = added.items.find((i) => i.productId === r.fish.id)!;
    expect((await r.c.delete(`${r.base}/sales/${sale.id}/items/${fishLine.id}`)).status).toBe(200);
    expect(await r.queue('kitchen')).toHaveLength(2);
    expect(await r.events('ticket_sent')).toHaveLength(3);
    expect((await r.send(sale.id)).body.tickets).toEqual([]);

    // A line without a station removed after a send: nothing either.
    const withBread = await r.add(sale.id, [{ productId: r.bread.id, quantity: 1 }]);
    await r.send(sale.id);
    await r.c.delete(`${r.base}/sales/${sale.id}/items/${withBread.items.find((i) => i.productId === r.bread.id)!.id}`);
    expect(await r.events('ticket_sent')).toHaveLength(3);

    // A cancellation marked ready does not announce an order.
    await r.ready('kitchen', kitchen[1]!.id);
    expect(await r.events('order_ready')).toHaveLength(0);
  });

  it("cancelling a sale sends a cancellation for each station's sent lines", async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }, { productId: r.drink.id, quantity: 2 }, { productId: r.fish.id, quantity: 1 }] });
    await r.send(sale.id);
    await r.add(sale.id, [{ productId: r.drink.id, quantity: 1 }]); // never sent
    expect((await r.c.post(`${r.base}/sales/${sale.id}/cancel`, { reason: 'client parti' })).status).toBe(200);
    const cancels = (await r.c.get(`${r.base}/sales/${sale.id}/tickets`)).body.tickets.filter((t: Ticket) => t.kind === 'cancel');
    expect(cancels.map((t: Ticket) => [t.station, linesOf(t)])).toEqual([
      ['kitchen', expect.arrayContaining([['cancel', 'Poulet yassa', 1, null], ['cancel', 'Thieboudienne', 1, null]])],
      ['bar', [['cancel', 'Bissap', 2, null]]],
    ]);
  });
});

describe('ready', () => {
  it('is idempotent: 20 parallel calls → one ticket_ready, all answered with the ready ticket', async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }] });
    const [ticket] = (await r.send(sale.id)).body.tickets;
    const results = await Promise.all(Array.from({ length: 20 }, () => r.ready('kitchen', ticket!.id)));
    expect(results.map((x) => x.status)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((x) => x.body.readyAt)).size).toBe(1);
    expect(results[0]!.body).toMatchObject({ id: ticket!.id, status: 'ready' });
    expect(await r.events('ticket_ready')).toHaveLength(1);
    expect(await r.events('order_ready')).toHaveLength(1);
    expect(await r.queue('kitchen')).toEqual([]);
    expect((await r.queue('kitchen', r.c, 'ready')).map((t) => t.id)).toEqual([ticket!.id]);
    // Another station's URL does not reach it.
    expect((await r.ready('bar', ticket!.id)).status).toBe(404);
    expect((await r.ready('kitchen', randomUUID())).body.code).toBe('ticket.not_found');
  });

  it('announces order_ready once, when the last ticket of the send is ready (even when both stations finish at once)', async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }, { productId: r.drink.id, quantity: 1 }] });
    const { kitchen, bar } = byStation((await r.send(sale.id)).body.tickets);
    expect((await r.ready('kitchen', kitchen!.id)).status).toBe(200);
    expect(await r.events('order_ready')).toHaveLength(0);
    expect((await r.ready('bar', bar!.id)).status).toBe(200);
    await r.ready('bar', bar!.id);
    const ready = await r.events('order_ready');
    expect(ready.map((e) => e.data)).toEqual([
      { saleId: sale.id, reference: sale.reference, tableLabel: '7', station: 'bar', ticketId: bar!.id, sendId: kitchen!.sendId },
    ]);

    // Both stations at once, many times over: still exactly one per send.
    for (let round = 0; round < 5; round++) {
      await r.add(sale.id, [{ productId: r.dish.id, quantity: 1 }, { productId: r.drink.id, quantity: 1 }]);
      const t = byStation((await r.send(sale.id)).body.tickets);
      const calls = Array.from({ length: 10 }, (_, i) => (i % 2 ? r.ready('kitchen', t.kitchen!.id) : r.ready('bar', t.bar!.id)));
      expect((await Promise.all(calls)).every((x) => x.status === 200)).toBe(true);
    }
    expect(await r.events('order_ready')).toHaveLength(6);
    expect(await r.events('ticket_ready')).toHaveLength(12);
  });

  it("tells the sale's server (toast, high) on their stream; without a server, the managers", async () => {
    const r = await restaurant();
    const server = r.members.server;
    const cookie = [...server.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const stream = await SseClient.open(`${a.url}${r.base}/stream`, { cookie });
    streams.push(stream);
    expect(stream.status).toBe(200);

    const sale = await r.open({ serverId: server.userId, items: [{ productId: r.dish.id, quantity: 1 }] }, server.client);
    const [ticket] = (await r.send(sale.id, server.client)).body.tickets;
    // The kitchen screen is run by a cashier.
    expect((await r.ready('kitchen', ticket!.id, r.members.cashier.client)).status).toBe(200);

    const frame = await waitFor(() => stream.userFrames.find((f) => f.event === 'notification' && f.data.type === 'order_ready'), 3000, 'order_ready toast');
    expect(frame.data).toMatchObject({ type: 'order_ready', priority: 'high', toast: true, link: `/c/${r.company.id}/sales/${sale.id}` });
    expect(frame.data.data).toMatchObject({ saleId: sale.id, reference: sale.reference, tableLabel: '7', station: 'kitchen', ticketId: ticket!.id });
    expect(stream.frames.map((f) => f.event)).toEqual(expect.arrayContaining(['ticket_sent', 'ticket_ready', 'order_ready']));

    const inbox = async (who: Client) => (await who.get(`${r.base}/notifications?type=order_ready`)).body.items as Array<{ data: { saleId: string } }>;
    expect((await inbox(server.client)).map((n) => n.data.saleId)).toEqual([sale.id]);
    expect(await inbox(r.c)).toEqual([]);
    expect(await inbox(r.members.manager.client)).toEqual([]);
    expect(await inbox(r.members.cashier.client)).toEqual([]);

    // No server on the sale: the managers are told.
    const counter = await r.open({ channel: 'counter', tableId: undefined, items: [{ productId: r.drink.id, quantity: 1 }] });
    await r.c.patch(`${r.base}/sales/${counter.id}`, { serverId: null });
    const [barTicket] = (await r.send(counter.id)).body.tickets;
    await r.ready('bar', barTicket!.id, server.client);
    expect((await inbox(r.c)).map((n) => n.data.saleId)).toEqual([counter.id]);
    expect((await inbox(r.members.manager.client)).map((n) => n.data.saleId)).toEqual([counter.id]);
    expect((await inbox(server.client)).map((n) => n.data.saleId)).toEqual([sale.id]);
  });
});

describe('access', () => {
  it('every role sends and runs the stations; a bad station is 400', async () => {
    const r = await restaurant();
    for (const role of ['owner', 'manager', 'cashier', 'server'] as const) {
      const who = r.members[role].client;
      const sale = await r.open({ channel: 'counter', tableId: undefined, items: [{ productId: r.drink.id, quantity: 1 }] }, who);
      const sent = await r.send(sale.id, who);
      expect(sent.status, role).toBe(201);
      expect((await r.queue('bar', who)).map((t) => t.id), role).toContain(sent.body.tickets[0]!.id);
      expect((await r.ready('bar', sent.body.tickets[0]!.id, who)).status, role).toBe(200);
    }
    expect((await r.c.get(`${r.base}/stations/grill/tickets`)).status).toBe(400);
    expect((await r.c.get(`${r.base}/stations/bar/tickets?status=done`)).status).toBe(400);
  });

  it("another company sees none of it and cannot mark its tickets ready", async () => {
    const r = await restaurant();
    const sale = await r.open({ items: [{ productId: r.dish.id, quantity: 1 }] });
    const [ticket] = (await r.send(sale.id)).body.tickets;
    const other = await signUp(a.app, 'Voisin');
    const theirs = await createCompany(other.client);
    const otherBase = `/api/v1/companies/${theirs.id}`;
    // Their own company: empty screens, our ticket unknown there.
    expect((await other.client.get(`${otherBase}/stations/kitchen/tickets`)).body.items).toEqual([]);
    const foreign = await other.client.post(`${otherBase}/stations/kitchen/tickets/${ticket!.id}/ready`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('ticket.not_found');
    expect((await other.client.post(`${otherBase}/sales/${sale.id}/send-to-stations`)).status).toBe(404);
    // Our company's URLs: not theirs.
    for (const res of [
      await other.client.get(`${r.base}/stations/kitchen/tickets`),
      await other.client.post(`${r.base}/stations/kitchen/tickets/${ticket!.id}/ready`),
      await other.client.post(`${r.base}/sales/${sale.id}/send-to-stations`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('company.not_found');
    }
    expect((await r.queue('kitchen'))[0]).toMatchObject({ id: ticket!.id, status: 'pending' });
  });
});
