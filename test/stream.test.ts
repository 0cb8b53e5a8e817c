import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/platform/db/tx.ts';
import { append } from '../src/platform/events/append.ts';
import type { EventMap, EventType } from '../src/platform/events/event-map.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, companyWithStaff, createCompany, signUp, waitFor } from './support/factories.ts';
import { SseClient } from './support/sse.ts';

let a: TestApp;
let b: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;
const open: SseClient[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  dbUrl = db.url;
  a = await startTestApp(db.url);
  b = await startTestApp(db.url);
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  b.clock.reset();
});
afterAll(async () => {
  // undici opens a spare socket after an aborted stream; Node's close() waits for
  // sockets that never sent a request, so drop them rather than wait for undici's timeout.
  for (const x of [a, b]) x?.app.server.closeAllConnections();
  await a?.stop();
  await b?.stop();
  await drop();
});

const cookieOf = (c: Client) => `comptoir_session=${c.cookies.get('comptoir_session')}`;

/** Opens the company's stream on an instance over real HTTP. */
async function stream(app: TestApp, companyId: string, who: Client, headers: Record<string, string> = {}) {
  const s = await SseClient.open(`${app.url}/api/v1/companies/${companyId}/stream`, { cookie: cookieOf(who), ...headers });
  open.push(s);
  return s;
}

/** Appends one event in its own committed transaction on the given instance; returns its position. */
async function emit<T extends EventType>(app: TestApp, companyId: string, type: T, data: EventMap[T]): Promise<number> {
  const id = await inTransaction(app.db, { kind: 'company', companyId }, async (tx) =>
    append({ companyId, actor: { type: 'system' }, clock: app.clock, tx }, type, data),
  );
  return positionOf(companyId, id);
}

async function positionOf(companyId: string, eventId: string): Promise<number> {
  const { rows } = await a.db.pool.query('SELECT position FROM events WHERE company_id = $1 AND id = $2', [companyId, eventId]);
  return Number(rows[0].position);
}

async function head(companyId: string): Promise<number> {
  const { rows } = await a.db.pool.query('SELECT position FROM event_streams WHERE company_id = $1', [companyId]);
  return Number(rows[0].position);
}

const freed = () => ({ tableId: randomUUID() });
const sees = (s: SseClient, position: number) => () => s.positions.includes(position);

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function ownerCompany() {
  const owner = await signUp(a.app, 'Owner');
  const company = await createCompany(owner.client);
  return { owner: owner.client, companyId: company.id };
}

describe('live stream across instances', () => {
  it('delivers an event committed on instance A to a client of instance B within a second', async () => {
    const { owner, companyId } = await ownerCompany();
    const s = await stream(b, companyId, owner);
    expect(s.status).toBe(200);
    const t0 = Date.now();
    const pos = await emit(a, companyId, 'table_freed', freed());
    await waitFor(sees(s, pos), 2000, 'event on B');
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('sends typed frames with position ids, gap-free, without ip or user agent', async () => {
    const { owner, companyId } = await ownerCompany();
    const s = await stream(b, companyId, owner);
    const start = await head(companyId);
    const member = await addMember(a.app, owner, companyId, 'cashier');
    const last = await emit(a, companyId, 'table_freed', freed());
    await waitFor(sees(s, last), 2000, 'events');
    expect(s.positions).toEqual([start + 1, start + 2]);
    const frame = s.frames.find((f) => f.event === 'member_added')!;
    expect(frame.id).toBe(String(start + 1));
    expect(Object.keys(frame.data).sort()).toEqual(['at', 'data', 'position', 'subjects', 'type']);
    expect(frame.data).toMatchObject({
      position: start + 1,
      type: 'member_added',
      subjects: { userId: member.userId },
      data: { userId: member.userId, role: 'cashier' },
    });
    expect(new Date(frame.data.at).toISOString()).toBe(frame.data.at);
    // The log holds who called from where; the stream never repeats it.
    const { rows } = await a.db.pool.query('SELECT ip, user_agent FROM events WHERE company_id = $1 AND position = $2', [companyId, start + 1]);
    expect(rows[0].ip).toBeTruthy();
    expect(rows[0].user_agent).toBeTruthy();
    const raw = JSON.stringify(s.frames);
    expect(raw).not.toContain(rows[0].user_agent);
    expect(raw).not.toMatch(/"ip"|user_?agent/i);
  });

  it('filters by role: table_freed to all, member_added and large_sale to owner and manager only', async () => {
    const { company, owner, members } = await companyWithStaff(a.app);
    const roles = ['owner', 'manager', 'cashier', 'server'] as const;
    const streams: Record<string, SseClient> = {};
    for (const r of roles) streams[r] = await stream(b, company.id, members[r].client);
    await emit(a, company.id, 'table_freed', freed());
    await addMember(a.app, owner.client, company.id, 'server');
    await emit(a, company.id, 'large_sale', { saleId: randomUUID(), amount: 900_000, currency: 'XOF' });
    const marker = await emit(a, company.id, 'table_freed', freed());
    for (const r of roles) await waitFor(sees(streams[r]!, marker), 2000, `marker for ${r}`);
    const types = (r: (typeof roles)[number]) => streams[r]!.frames.map((f) => f.event);
    expect(types('owner')).toEqual(['table_freed', 'member_added', 'large_sale', 'table_freed']);
    expect(types('manager')).toEqual(['table_freed', 'member_added', 'large_sale', 'table_freed']);
    expect(types('cashier')).toEqual(['table_freed', 'table_freed']);
    expect(types('server')).toEqual(['table_freed', 'table_freed']);
  });
});

describe('resuming with Last-Event-ID', () => {
  it('replays exactly the missed events in order, then live ones, nothing doubled', async () => {
    const { owner, companyId } = await ownerCompany();
    const first = await stream(b, companyId, owner);
    const seen = await emit(a, companyId, 'table_freed', freed());
    await waitFor(sees(first, seen), 2000, 'first event');
    first.close();
    await waitFor(() => b.hub.size === 0, 2000, 'hub to drop the closed client');
    const missed = [await emit(a, companyId, 'table_freed', freed()), await emit(a, companyId, 'table_occupied', { tableId: randomUUID(), saleId: randomUUID() }), await emit(a, companyId, 'table_freed', freed())];
    const again = await stream(b, companyId, owner, { 'last-event-id': String(seen) });
    await waitFor(sees(again, missed[2]!), 2000, 'replay');
    const live = await emit(a, companyId, 'table_freed', freed());
    await waitFor(sees(again, live), 2000, 'live event');
    expect(again.positions).toEqual([...missed, live]);
    expect(missed).toEqual([seen + 1, seen + 2, seen + 3]);
    expect(again.frames.map((f) => f.event)).toEqual(['table_freed', 'table_occupied', 'table_freed', 'table_freed']);
  });

  it('a transaction that positioned first but is still open holds back a later one; both are delivered in order', async () => {
    const { owner, companyId } = await ownerCompany();
    const early = await stream(b, companyId, owner);
    const base = await emit(a, companyId, 'table_freed', freed());
    await waitFor(sees(early, base), 2000, 'baseline');
    const [t1Tables, t2Tables] = [freed(), freed()];
    const t1Positioned = deferred();
    const t1Release = deferred();
    const t2Positioned = deferred();
    const t2Release = deferred();
    const t1 = inTransaction(a.db, { kind: 'company', companyId }, async (tx) => {
      append({ companyId, actor: { type: 'system' }, clock: a.clock, tx }, 'table_freed', t1Tables);
      tx.beforeCommit.push(async () => {
        t1Positioned.resolve();
        await t1Release.promise;
      });
    });
    await t1Positioned.promise;
    const between = await stream(b, companyId, owner);
    const t2 = inTransaction(a.db, { kind: 'company', companyId }, async (tx) => {
      append({ companyId, actor: { type: 'system' }, clock: a.clock, tx }, 'table_freed', t2Tables);
      tx.beforeCommit.push(async () => {
        t2Positioned.resolve();
        await t2Release.promise;
      });
    });
    // T2's append waits on the company's counter row, locked by T1 until it commits.
    await waitFor(async () => {
      const { rows } = await a.db.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%event_streams%'`,
      );
      return rows[0].n === 1;
    }, 3000, 'T2 to wait on the counter row');
    expect(early.positions).toEqual([base]);
    t1Release.resolve();
    await t1;
    await t2Positioned.promise;
    await waitFor(() => sees(early, base + 1)() && sees(between, base + 1)(), 2000, 'T1 delivered');
    const resumer = await stream(b, companyId, owner, { 'last-event-id': String(base) });
    await waitFor(sees(resumer, base + 1), 2000, 'T1 replayed');
    t2Release.resolve();
    await t2;
    for (const s of [early, between, resumer]) await waitFor(sees(s, base + 2), 2000, 'T2 delivered');
    expect(early.positions).toEqual([base, base + 1, base + 2]);
    expect(between.positions).toEqual([base + 1, base + 2]);
    expect(resumer.positions).toEqual([base + 1, base + 2]);
    expect(between.frames.map((f) => f.data.data.tableId)).toEqual([t1Tables.tableId, t2Tables.tableId]);
  });

  it('a transaction that started first but commits second takes the later position and is not skipped', async () => {
    const { owner, companyId } = await ownerCompany();
    const watcher = await stream(b, companyId, owner);
    const base = await head(companyId);
    const late = freed();
    const soon = freed();
    const t1Started = deferred<number>();
    const t1Release = deferred();
    const t1 = inTransaction(a.db, { kind: 'company', companyId }, async (tx) => {
      const { rows } = await tx.client.query('SELECT txid_current()::bigint AS x');
      append({ companyId, actor: { type: 'system' }, clock: a.clock, tx }, 'table_freed', late);
      t1Started.resolve(Number(rows[0].x));
      await t1Release.promise;
    });
    const t1Xid = await t1Started.promise;
    const t2Xid = await inTransaction(a.db, { kind: 'company', companyId }, async (tx) => {
      const { rows } = await tx.client.query('SELECT txid_current()::bigint AS x');
      append({ companyId, actor: { type: 'system' }, clock: a.clock, tx }, 'table_freed', soon);
      return Number(rows[0].x);
    });
    expect(t1Xid).toBeLessThan(t2Xid);
    await waitFor(sees(watcher, base + 1), 2000, 'T2 delivered');
    // A client that saw T2 and reconnects must still get T1, committed after it.
    const resumer = await stream(b, companyId, owner, { 'last-event-id': String(base + 1) });
    t1Release.resolve();
    await t1;
    for (const s of [watcher, resumer]) await waitFor(sees(s, base + 2), 2000, 'T1 delivered');
    expect(watcher.frames.map((f) => [f.data.position, f.data.data.tableId])).toEqual([
      [base + 1, soon.tableId],
      [base + 2, late.tableId],
    ]);
    expect(resumer.positions).toEqual([base + 2]);
  });

  it('starts over with a reset frame when Last-Event-ID is ahead, malformed or older than 24 hours', async () => {
    const { owner, companyId } = await ownerCompany();
    const old = await emit(a, companyId, 'table_freed', freed());
    const top = await emit(a, companyId, 'table_freed', freed());
    // Control: the same id within 24 hours replays.
    const fresh = await stream(b, companyId, owner, { 'last-event-id': String(old - 1) });
    await waitFor(sees(fresh, top), 2000, 'replay');
    expect(fresh.frames.map((f) => f.event)).toEqual(['table_freed', 'table_freed']);
    fresh.close();
    const resets: SseClient[] = [
      await stream(b, companyId, owner, { 'last-event-id': String(top + 5) }),
      await stream(b, companyId, owner, { 'last-event-id': 'abc' }),
    ];
    b.clock.advanceMinutes(25 * 60);
    resets.push(await stream(b, companyId, owner, { 'last-event-id': String(old - 1) }));
    const live = await emit(a, companyId, 'table_freed', freed());
    for (const s of resets) {
      await waitFor(sees(s, live), 2000, 'live after reset');
      expect(s.status).toBe(200);
      expect(s.frames.map((f) => [f.event, f.id])).toEqual([
        ['reset', String(top)],
        ['table_freed', String(live)],
      ]);
      expect(s.frames[0]!.data).toEqual({ position: top });
    }
  });
});

describe('stream isolation and shutdown', () => {
  it('refuses another company member (404) and never leaks another company events', async () => {
    const mine = await ownerCompany();
    const other = await ownerCompany();
    const intruder = await SseClient.open(`${b.url}/api/v1/companies/${mine.companyId}/stream`, { cookie: cookieOf(other.owner) });
    expect(intruder.status).toBe(404);
    const anonymous = await SseClient.open(`${b.url}/api/v1/companies/${mine.companyId}/stream`);
    expect(anonymous.status).toBe(401);
    const s = await stream(b, mine.companyId, mine.owner);
    const theirs = await stream(b, other.companyId, other.owner);
    const foreign = freed();
    const foreignPos = await emit(a, other.companyId, 'table_freed', foreign);
    await waitFor(sees(theirs, foreignPos), 2000, 'other company event');
    const marker = await emit(a, mine.companyId, 'table_freed', freed());
    await waitFor(sees(s, marker), 2000, 'own event');
    expect(s.frames).toHaveLength(1);
    expect(JSON.stringify(s.frames)).not.toContain(foreign.tableId);
  });

  it('runtime.stop() ends open streams', async () => {
    const c = await startTestApp(dbUrl);
    const { owner, companyId } = await ownerCompany();
    const s = await stream(c, companyId, owner);
    const pos = await emit(a, companyId, 'table_freed', freed());
    await waitFor(sees(s, pos), 2000, 'live event on C');
    expect(s.ended).toBe(false);
    await c.stop();
    await waitFor(() => s.ended, 2000, 'stream to end');
    expect(c.hub.size).toBe(0);
  });
});
