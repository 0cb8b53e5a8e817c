import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { purgeReadNotifications } from '../src/modules/notifications/index.ts';
import { inTransaction } from '../src/platform/db/tx.ts';
import { append } from '../src/platform/events/append.ts';
import type { EventLevel, EventMap, EventType } from '../src/platform/events/event-map.ts';
import { createMailer } from '../src/platform/mail.ts';
import type { Role } from '../src/platform/permissions.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { apiToken, stockedProduct } from './support/catalog-helpers.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, signUp } from './support/factories.ts';

// Notifications over HTTP on real PostgreSQL: rules, per-user state, filters, paging, isolation, preferences, retention.
let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterEach(() => app.clock.reset());
afterAll(async () => {
  await app?.stop();
  await drop();
});

/** Appends one event in its own committed transaction, as the system; answers the event id. */
function emit<T extends EventType>(companyId: string, type: T, data: EventMap[T], level: EventLevel = 'info') {
  return inTransaction(app.db, { kind: 'company', companyId }, async (tx) =>
    append({ companyId, actor: { type: 'system' }, clock: app.clock, tx }, type, data, { level }),
  );
}

/** The notifications an event produced and who holds each (read past RLS). */
async function fromEvent(eventId: string) {
  const { rows } = await app.db.pool.query(
    `SELECT n.id, n.type, n.priority, n.toast, array_agg(r.user_id::text ORDER BY r.user_id) AS users
     FROM notifications n LEFT JOIN notification_recipients r ON r.company_id = n.company_id AND r.notification_id = n.id
     WHERE n.source_event_id = $1 GROUP BY n.company_id, n.id`,
    [eventId],
  );
  return rows as Array<{ id: string; type: string; priority: string; toast: boolean; users: string[] }>;
}

type Staff = Awaited<ReturnType<typeof companyWithStaff>>;
const idsOf = (s: Staff, roles: Role[], extra: string[] = []) => [...new Set([...roles.map((r) => s.members[r].userId), ...extra])].sort();
const base = (s: Staff) => `/api/v1/companies/${s.company.id}`;
const freed = (extra: Partial<EventMap['table_freed']> = {}) => ({ tableId: randomUUID(), label: '5', ...extra });
const list = async (c: Client, s: Staff, q = '') => {
  const res = await c.get(`${base(s)}/notifications${q}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { items: Array<Record<string, any>>; nextCursor: string | null };
};
const count = async (c: Client, s: Staff) => (await c.get(`${base(s)}/notifications/count`)).body;

describe('rules: each event becomes exactly one notification for exactly its audience', () => {
  it('every rule type, through appended events', async () => {
    const s = await companyWithStaff(app.app);
    const { cashier, server } = s.members;
    const M: Role[] = ['owner', 'manager'];
    const cases: Array<[EventType, Record<string, unknown>, string[], string]> = [
      ['table_freed', freed(), idsOf(s, ['owner', 'manager', 'cashier', 'server']), 'medium'],
      ['low_stock', { productId: randomUUID(), name: 'Savon', available: 2, threshold: 5 }, idsOf(s, M), 'high'],
      ['loss_reported', { productId: randomUUID(), quantity: 1, reason: 'broken' }, idsOf(s, M), 'high'],
      ['large_sale', { saleId: randomUUID(), amount: 500000, currency: 'XOF' }, idsOf(s, M), 'medium'],
      ['refund_pending', { refundId: randomUUID(), saleId: randomUUID(), amount: 100, currency: 'XOF' }, idsOf(s, M), 'high'],
      ['payment_failed', { paymentId: randomUUID(), method: 'wave' }, idsOf(s, M), 'high'],
      ['payment_issue', { paymentId: randomUUID(), issue: 'double' }, idsOf(s, M), 'high'],
      ['daily_summary', { date: '2026-01-01' }, idsOf(s, M), 'low'],
      ['session_long', { cashSessionId: randomUUID(), openHours: 13, cashierId: cashier.userId }, idsOf(s, M, [cashier.userId]), 'medium'],
      ['table_occupied_long', { tableId: randomUUID(), minutes: 120, serverId: server.userId }, idsOf(s, M, [server.userId]), 'low'],
    ];
    for (const [type, data, users, priority] of cases) {
      const got = await fromEvent(await emit(s.company.id, type, data as never));
      expect(got, type).toEqual([expect.objectContaining({ type, priority, users })]);
    }
    const cashierTypes = (await list(cashier.client, s, '?limit=100')).items.map((n) => n.type).sort();
    expect(cashierTypes).toEqual(['session_long', 'table_freed']);
    expect((await list(server.client, s, '?limit=100')).items.map((n) => n.type).sort()).toEqual(['table_freed', 'table_occupied_long']);
    expect((await list(s.owner.client, s, '?limit=100')).items).toHaveLength(10);
  });

  it('system_error only at level critical, to owners only, urgent and toasting', async () => {
    const s = await companyWithStaff(app.app);
    for (const level of ['info', 'warning', 'error'] as const) {
      expect(await fromEvent(await emit(s.company.id, 'system_error', { message: 'x' }, level)), level).toEqual([]);
    }
    const got = await fromEvent(await emit(s.company.id, 'system_error', { message: 'disk full', requestId: 'r1' }, 'critical'));
    expect(got).toEqual([expect.objectContaining({ priority: 'urgent', toast: true, users: idsOf(s, ['owner']) })]);
    expect((await list(s.members.manager.client, s)).items).toEqual([]);
    const [n] = (await list(s.owner.client, s)).items;
    expect(n).toMatchObject({ type: 'system_error', priority: 'urgent', toast: true, message: { code: 'notifications.system_error.message', params: { message: 'disk full' } } });
  });

  it('real commands: a stock loss → loss_reported, a hold below threshold → low_stock, both to owner + manager', async () => {
    const s = await companyWithStaff(app.app);
    const p = await stockedProduct(s.owner.client, s.company.id, 10);
    expect((await s.owner.client.post(`${base(s)}/stock-losses`, { productId: p.id, quantity: 2, reason: 'broken' })).status).toBe(201);
    const q = await stockedProduct(s.owner.client, s.company.id, 10, { name: 'Huile', lowStockThreshold: 5 });
    const hold = await s.owner.client.post(`${base(s)}/holds`, { owner: { type: 'live_order', id: randomUUID() }, lines: [{ productId: q.id, quantity: 6 }] });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    for (const role of ['owner', 'manager'] as const) {
      const items = (await list(s.members[role].client, s)).items;
      expect(items.map((n) => n.type)).toEqual(['low_stock', 'loss_reported']);
      expect(items[0]).toMatchObject({ link: `/c/${s.company.id}/products/${q.id}`, data: { productId: q.id, name: 'Huile', available: 4, threshold: 5 } });
      expect(items[1]).toMatchObject({ data: { productId: p.id, quantity: 2, reason: 'broken' }, readAt: null, archivedAt: null });
    }
    for (const role of ['cashier', 'server'] as const) expect((await list(s.members[role].client, s)).items).toEqual([]);
  });
});

describe('per-user state', () => {
  it('read, unread, read-all (by type), archive are per user; count follows', async () => {
    const s = await companyWithStaff(app.app);
    const { owner, members: { manager } } = s;
    await emit(s.company.id, 'table_freed', freed());
    await emit(s.company.id, 'low_stock', { productId: randomUUID(), name: 'x', available: 1, threshold: 2 });
    await emit(s.company.id, 'table_freed', freed());
    const mine = (await list(manager.client, s)).items;
    expect(await count(manager.client, s)).toEqual({ unread: 3, byPriority: { low: 0, medium: 2, high: 1, urgent: 0 } });

    const read = await manager.client.post(`${base(s)}/notifications/${mine[0]!.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: mine[0]!.id, readAt: expect.any(String) });
    expect((await count(manager.client, s)).unread).toBe(2);
    expect((await count(owner.client, s)).unread).toBe(3);
    expect((await list(owner.client, s, '?unread=true')).items).toHaveLength(3);
    expect((await list(manager.client, s, '?unread=false')).items.map((n) => n.id)).toEqual([mine[0]!.id]);

    const unread = await manager.client.post(`${base(s)}/notifications/${mine[0]!.id}/unread`);
    expect(unread.body).toMatchObject({ readAt: null });
    expect((await count(manager.client, s)).unread).toBe(3);

    const byType = await manager.client.post(`${base(s)}/notifications/read-all`, { type: 'table_freed' });
    expect(byType.body).toEqual({ updated: 2 });
    expect(await count(manager.client, s)).toEqual({ unread: 1, byPriority: { low: 0, medium: 0, high: 1, urgent: 0 } });
    expect((await manager.client.post(`${base(s)}/notifications/read-all`, {})).body).toEqual({ updated: 1 });
    expect((await count(manager.client, s)).unread).toBe(0);
    expect((await count(owner.client, s)).unread).toBe(3);

    const arch = await owner.client.post(`${base(s)}/notifications/${mine[1]!.id}/archive`);
    expect(arch.body).toMatchObject({ id: mine[1]!.id, archivedAt: expect.any(String) });
    expect((await list(owner.client, s)).items.map((n) => n.id)).toEqual([mine[0]!.id, mine[2]!.id]);
    expect((await list(owner.client, s, '?archived=true')).items.map((n) => n.id)).toEqual([mine[1]!.id]);
    expect(await count(owner.client, s)).toEqual({ unread: 2, byPriority: { low: 0, medium: 2, high: 0, urgent: 0 } });
    expect((await list(manager.client, s)).items).toHaveLength(3);
  });

  it('filters: type, unread, priority, since, areaId, serverId', async () => {
    const s = await companyWithStaff(app.app);
    const [area, srv] = [randomUUID(), randomUUID()];
    await emit(s.company.id, 'table_freed', freed({ areaId: area }));
    await emit(s.company.id, 'table_freed', freed({ serverId: srv }));
    await emit(s.company.id, 'low_stock', { productId: randomUUID(), name: 'x', available: 1, threshold: 2 });
    app.clock.advanceMinutes(10);
    const since = app.clock.now().toISOString();
    await emit(s.company.id, 'table_occupied_long', { tableId: randomUUID(), minutes: 90, areaId: area, serverId: srv });
    const c = s.owner.client;
    const types = async (q: string) => (await list(c, s, q)).items.map((n) => n.type);
    expect(await types('?type=table_freed')).toEqual(['table_freed', 'table_freed']);
    expect(await types('?priority=high')).toEqual(['low_stock']);
    expect(await types(`?since=${encodeURIComponent(since)}`)).toEqual(['table_occupied_long']);
    expect(await types(`?areaId=${area}`)).toEqual(['table_occupied_long', 'table_freed']);
    expect((await list(c, s, `?serverId=${srv}`)).items.map((n) => n.data.serverId)).toEqual([srv, srv]);
    await c.post(`${base(s)}/notifications/read-all`, { type: 'low_stock' });
    expect(await types('?unread=false')).toEqual(['low_stock']);
    expect(await types('?unread=true&type=table_freed')).toEqual(['table_freed', 'table_freed']);
    expect((await c.get(`${base(s)}/notifications?priority=huge`)).status).toBe(400);
  });

  it('pagination with limit=2 while new ones arrive: no duplicates, no older one skipped', async () => {
    const s = await companyWithStaff(app.app);
    const older: string[] = [];
    for (let i = 0; i < 5; i++) {
      older.push(await emit(s.company.id, 'table_freed', freed({ label: `T${i}` })));
      app.clock.advanceMinutes(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(s.members.cashier.client, s, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((n) => n.data.label));
      cursor = page.nextCursor;
      await emit(s.company.id, 'table_freed', freed({ label: `new${pages++}` }));
      app.clock.advanceMinutes(1);
    } while (cursor && pages < 10);
    expect(seen).toEqual(['T4', 'T3', 'T2', 'T1', 'T0']);
    expect(older).toHaveLength(5);
  });
});

describe('isolation', () => {
  it("another user's or company's notification → 404; a non-member → 404; an API token → empty inbox", async () => {
    const s = await companyWithStaff(app.app);
    const other = await companyWithStaff(app.app);
    await emit(s.company.id, 'low_stock', { productId: randomUUID(), name: 'x', available: 1, threshold: 2 });
    await emit(other.company.id, 'table_freed', freed());
    const [mgrs] = (await list(s.members.manager.client, s)).items;
    const [theirs] = (await list(other.owner.client, other)).items;
    for (const action of ['read', 'unread', 'archive']) {
      const asCashier = await s.members.cashier.client.post(`${base(s)}/notifications/${mgrs!.id}/${action}`);
      expect(asCashier.status, action).toBe(404);
      expect(asCashier.body.code, action).toBe('notification.not_found');
      const crossCompany = await s.owner.client.post(`${base(s)}/notifications/${theirs!.id}/${action}`);
      expect(crossCompany.status, action).toBe(404);
      expect(crossCompany.body.code, action).toBe('notification.not_found');
    }
    expect((await count(s.owner.client, s)).unread).toBe(1);
    const stranger = await signUp(app.app, 'Stranger');
    expect((await stranger.client.get(`${base(s)}/notifications`)).status).toBe(404);
    expect((await stranger.client.get(`${base(s)}/notifications/count`)).status).toBe(404);
    expect((await other.owner.client.get(`${base(s)}/notifications`)).status).toBe(404);
    const bot = s.owner.client.withToken(await apiToken(s.owner.client, s.company.id, 'manager'));
    expect(await list(bot, s)).toEqual({ items: [], nextCursor: null });
    expect(await count(bot, s)).toEqual({ unread: 0, byPriority: { low: 0, medium: 0, high: 0, urgent: 0 } });
  });
});

describe('preferences and retention', () => {
  it('GET defaults, PUT saves, urgent types cannot be muted, per user', async () => {
    const s = await companyWithStaff(app.app);
    const url = `${base(s)}/notification-preferences`;
    const c = s.members.manager.client;
    expect((await c.get(url)).body).toEqual({ mutedTypes: [], sound: true, emailDailySummary: false });
    const put = await c.put(url, { mutedTypes: ['low_stock', 'system_error', 'low_stock'], sound: false, emailDailySummary: true });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ mutedTypes: ['low_stock'], sound: false, emailDailySummary: true });
    expect((await c.get(url)).body).toEqual({ mutedTypes: ['low_stock'], sound: false, emailDailySummary: true });
    expect((await s.owner.client.get(url)).body).toEqual({ mutedTypes: [], sound: true, emailDailySummary: false });
    expect((await c.put(url, { mutedTypes: ['Bad Type'], sound: true, emailDailySummary: false })).status).toBe(400);
    // Muted ones are still stored and counted.
    await emit(s.company.id, 'low_stock', { productId: randomUUID(), name: 'x', available: 1, threshold: 2 });
    expect((await count(c, s)).unread).toBe(1);
  });

  it('purges read notifications older than 90 days; unread and recently read ones stay', async () => {
    const s = await companyWithStaff(app.app);
    await emit(s.company.id, 'table_freed', freed({ label: 'old-read' }));
    await emit(s.company.id, 'table_freed', freed({ label: 'old-unread' }));
    const c = s.members.server.client;
    const [, oldRead] = (await list(c, s)).items;
    expect(oldRead!.data.label).toBe('old-read');
    expect((await c.post(`${base(s)}/notifications/${oldRead!.id}/read`)).status).toBe(200);
    app.clock.advanceMinutes(91 * 24 * 60);
    const newRead = await emit(s.company.id, 'table_freed', freed({ label: 'new-read' }));
    // Sessions have expired 91 days on: this one is read at that time straight in the database.
    await app.db.pool.query(
      `UPDATE notification_recipients r SET read_at = $3 FROM notifications n
       WHERE n.company_id = r.company_id AND n.id = r.notification_id AND n.source_event_id = $1 AND r.user_id = $2`,
      [newRead, s.members.server.userId, app.clock.now()],
    );
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    await purgeReadNotifications.handler({ db: app.db, clock: app.clock, mailer: createMailer(undefined, 'x'), log, publicUrl: app.url, config: app.config, jobs: app.jobs }, {});
    app.clock.reset();
    expect((await list(c, s)).items.map((n) => n.data.label)).toEqual(['new-read', 'old-unread']);
    // The owner never read 'old-read': it stays for them.
    expect((await list(s.owner.client, s)).items.map((n) => n.data.label)).toEqual(['new-read', 'old-unread', 'old-read']);
  });
});
