import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/platform/db/tx.ts';
import { append } from '../src/platform/events/append.ts';
import type { EventLevel, EventMap, EventType } from '../src/platform/events/event-map.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, waitFor } from './support/factories.ts';
import { type Frame, SseClient } from './support/sse.ts';

// Notifications pushed on the live stream over real HTTP: to exactly their audience,
// within a second, toast per preferences, counts in step across tabs, caught up after a reconnect.
let a: TestApp;
let b: TestApp;
let drop: () => Promise<void>;
const open: SseClient[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
  b = await startTestApp(db.url);
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
afterAll(async () => {
  // undici opens a spare socket after an aborted stream and Node's close() waits for it:
  // drop each instance's connections right before stopping it.
  for (const x of [a, b]) {
    x?.app.server.closeAllConnections();
    await x?.stop();
  }
  await drop();
});

const cookieOf = (c: Client) => `comptoir_session=${c.cookies.get('comptoir_session')}`;

async function stream(app: TestApp, companyId: string, who: Client, headers: Record<string, string> = {}) {
  const s = await SseClient.open(`${app.url}/api/v1/companies/${companyId}/stream`, { cookie: cookieOf(who), ...headers });
  expect(s.status).toBe(200);
  open.push(s);
  return s;
}

/** Appends one event in its own committed transaction on an instance; answers its position. */
async function emit<T extends EventType>(companyId: string, type: T, data: EventMap[T], level: EventLevel = 'info', on: TestApp = a) {
  const id = await inTransaction(on.db, { kind: 'company', companyId }, async (tx) =>
    append({ companyId, actor: { type: 'system' }, clock: on.clock, tx }, type, data, { level }),
  );
  const { rows } = await a.db.pool.query('SELECT position FROM events WHERE company_id = $1 AND id = $2', [companyId, id]);
  return Number(rows[0].position);
}

const notes = (s: SseClient, type?: string) => s.userFrames.filter((f) => f.event === 'notification' && (!type || f.data.type === type));
const counts = (s: SseClient) => s.userFrames.filter((f) => f.event === 'notification_count');
const lastCount = (s: SseClient): Frame | undefined => counts(s).at(-1);
const freed = (label = '5') => ({ tableId: randomUUID(), label });
const lowStock = () => ({ productId: randomUUID(), name: 'Savon', available: 1, threshold: 3 });
/** A sale_paid every stream sees: once it arrives, everything committed before it has been sent. */
const sentinel = (companyId: string) => emit(companyId, 'sale_paid', { saleId: randomUUID(), amount: 1, currency: 'XOF' });
const sees = (s: SseClient, position: number) => () => s.positions.includes(position);

describe('live notifications', () => {
  it('a table_freed reaches every targeted connected user within 1 s, then their new unread count', async () => {
    const { company, members } = await companyWithStaff(a.app);
    const roles = ['owner', 'manager', 'cashier', 'server'] as const;
    const streams = await Promise.all(roles.map((r) => stream(a, company.id, members[r].client)));
    const position = await emit(company.id, 'table_freed', freed('5'));
    const committed = Date.now();
    await waitFor(() => streams.every((s) => counts(s).length === 1), 2000, 'a notification and a count on every stream');
    const elapsed = Date.now() - committed;
    expect(elapsed).toBeLessThan(1000);
    for (const s of streams) {
      expect(s.userFrames.map((f) => f.event)).toEqual(['notification', 'notification_count']);
      const [n, c] = s.userFrames;
      expect(n!.id).toBe(String(position));
      expect(n!.data).toMatchObject({ type: 'table_freed', priority: 'medium', toast: true, readAt: null, title: { code: 'notifications.table_freed.title', params: { label: '5' } } });
      expect(c!.data).toEqual({ unread: 1, byPriority: { low: 0, medium: 1, high: 0, urgent: 0 } });
    }
    const ids = new Set(streams.map((s) => notes(s)[0]!.data.id));
    expect(ids.size).toBe(1);
  });

  it("a cashier's stream never receives a managers-only notification", async () => {
    const { company, members } = await companyWithStaff(a.app);
    const cashier = await stream(a, company.id, members.cashier.client);
    const manager = await stream(a, company.id, members.manager.client);
    await emit(company.id, 'low_stock', lowStock());
    await emit(company.id, 'large_sale', { saleId: randomUUID(), amount: 900000, currency: 'XOF' });
    const last = await emit(company.id, 'table_freed', freed('9'));
    await waitFor(() => notes(cashier, 'table_freed').length === 1 && notes(manager).length === 3, 2000, 'frames');
    await waitFor(sees(cashier, last), 2000, 'the cashier reads past the last event');
    expect(notes(cashier).map((f) => f.data.type)).toEqual(['table_freed']);
    expect(counts(cashier).map((f) => f.data.unread)).toEqual([1]);
    expect(notes(manager).map((f) => f.data.type)).toEqual(['low_stock', 'large_sale', 'table_freed']);
    expect(lastCount(manager)!.data).toEqual({ unread: 3, byPriority: { low: 0, medium: 2, high: 1, urgent: 0 } });
  });

  it('a muted type arrives with toast=false; an urgent one always toasts', async () => {
    const { company, owner, members } = await companyWithStaff(a.app);
    const prefs = `/api/v1/companies/${company.id}/notification-preferences`;
    for (const who of [owner.client, members.manager.client]) {
      const res = await who.put(prefs, { mutedTypes: ['low_stock', 'system_error'], sound: true, emailDailySummary: false });
      expect(res.body.mutedTypes).toEqual(['low_stock']);
    }
    const o = await stream(a, company.id, owner.client);
    const m = await stream(a, company.id, members.manager.client);
    await emit(company.id, 'low_stock', lowStock());
    await emit(company.id, 'system_error', { message: 'disk full' }, 'critical');
    await waitFor(() => notes(o).length === 2 && notes(m).length === 1 && counts(o).length >= 1, 2000, 'frames');
    expect(notes(o).map((f) => [f.data.type, f.data.toast])).toEqual([['low_stock', false], ['system_error', true]]);
    expect(notes(m).map((f) => [f.data.type, f.data.toast])).toEqual([['low_stock', false]]);
    // Muted, but still counted.
    await waitFor(() => lastCount(o)?.data.unread === 2, 2000, 'owner count 2');
    expect(lastCount(o)!.data.byPriority).toEqual({ low: 0, medium: 0, high: 1, urgent: 1 });
  });

  it("marking read in one tab sends the new count to both of the user's tabs, and nothing to others", async () => {
    const { company, owner, members } = await companyWithStaff(a.app);
    const tab1 = await stream(a, company.id, members.manager.client);
    const tab2 = await stream(b, company.id, members.manager.client);
    const o = await stream(a, company.id, owner.client);
    await emit(company.id, 'table_freed', freed());
    await emit(company.id, 'low_stock', lowStock());
    await waitFor(() => [tab1, tab2, o].every((s) => lastCount(s)?.data.unread === 2), 2000, 'counts of 2');
    const ownerFrames = o.userFrames.length;
    const before = [tab1, tab2].map((t) => counts(t).length);
    const id = notes(tab1, 'low_stock')[0]!.data.id;
    const res = await members.manager.client.post(`/api/v1/companies/${company.id}/notifications/${id}/read`);
    expect(res.status).toBe(200);
    const want = { unread: 1, byPriority: { low: 0, medium: 1, high: 0, urgent: 0 } };
    await waitFor(() => [tab1, tab2].every((s) => lastCount(s)?.data.unread === 1), 1000, 'both tabs count 1');
    for (const tab of [tab1, tab2]) expect(lastCount(tab)!.data).toEqual(want);
    const readAll = await members.manager.client.post(`/api/v1/companies/${company.id}/notifications/read-all`, {});
    expect(readAll.body).toEqual({ updated: 1 });
    await waitFor(() => [tab1, tab2].every((s) => lastCount(s)?.data.unread === 0), 1000, 'both tabs count 0');
    const done = await sentinel(company.id);
    await waitFor(sees(o, done), 2000, 'owner reads past the changes');
    expect(o.userFrames.length).toBe(ownerFrames);
    expect(lastCount(o)!.data.unread).toBe(2);
    for (const [i, tab] of [tab1, tab2].entries()) expect(counts(tab).slice(before[i]).map((f) => f.data.unread)).toEqual([1, 0]);
  });
});

describe('catch-up and instances', () => {
  it('after a reconnect with Last-Event-ID, the missed notifications are replayed once each', async () => {
    const { company, members } = await companyWithStaff(a.app);
    const first = await stream(a, company.id, members.server.client);
    const p0 = await emit(company.id, 'table_freed', freed('1'));
    await waitFor(() => counts(first).length === 1, 2000, 'first notification');
    const lastId = first.userFrames.at(-1)!.id!;
    expect(lastId).toBe(String(p0));
    first.close();
    await emit(company.id, 'table_freed', freed('2'));
    await emit(company.id, 'table_freed', freed('3'));
    const again = await stream(a, company.id, members.server.client, { 'last-event-id': lastId });
    await waitFor(() => notes(again).length === 2 && lastCount(again)?.data.unread === 3, 2000, 'replayed notifications');
    const done = await emit(company.id, 'table_freed', freed('4'));
    await waitFor(() => sees(again, done)() && notes(again).length === 3, 2000, 'live after replay');
    expect(notes(again).map((f) => f.data.title.params.label)).toEqual(['2', '3', '4']);
    expect(new Set(notes(again).map((f) => f.data.id)).size).toBe(3);
    expect(lastCount(again)!.data.unread).toBe(4);
  });

  it('an event committed on instance A reaches a user connected to instance B', async () => {
    const { company, members } = await companyWithStaff(a.app);
    const onB = await stream(b, company.id, members.cashier.client);
    const position = await emit(company.id, 'table_freed', freed('7'), 'info', a);
    await waitFor(() => counts(onB).length === 1, 2000, 'notification on B');
    expect(notes(onB)).toEqual([expect.objectContaining({ id: String(position), data: expect.objectContaining({ type: 'table_freed' }) })]);
    expect(lastCount(onB)!.data.unread).toBe(1);
  });
});
