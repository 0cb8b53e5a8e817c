import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tablesOccupiedLong } from '../src/modules/floor/index.ts';
import { sessionsOpenLong } from '../src/modules/sales/index.ts';
import type { JobDeps } from '../src/platform/jobs/index.ts';
import { createMailer } from '../src/platform/mail.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { eventsOf } from './support/catalog-helpers.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, waitFor } from './support/factories.ts';

// The "open too long" sweeps, run directly with the test clock: one alert per
// occupation / session, however often (and however concurrently) they run.
let a: TestApp;
let drop: () => Promise<void>;
let deps: JobDeps;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  a = await startTestApp(db.url);
  deps = { db: a.db, clock: a.clock, mailer: createMailer(undefined, 'x'), log: { info() {}, warn() {}, error() {} }, publicUrl: a.url, config: a.config, jobs: a.jobs };
});
afterEach(() => a.clock.reset());
afterAll(async () => {
  await a?.stop();
  await drop();
});

const notificationTypes = async (c: Client, base: string) => {
  const res = await c.get(`${base}/notifications?limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.items as Array<{ type: string }>).map((n) => n.type);
};

describe('table_occupied_long', () => {
  it('one per occupation: repeated and parallel runs alert once; a new occupation alerts again later', async () => {
    const s = await companyWithStaff(a.app);
    const base = `/api/v1/companies/${s.company.id}`;
    const c = s.owner.client;
    const area = await c.post(`${base}/areas`, { name: 'Salle' });
    const table = (await c.post(`${base}/tables`, { areaId: area.body.id, label: '7', seats: 2 })).body.id as string;
    const server = s.members.server.userId;
    const open = async () => {
      const res = await c.post(`${base}/sales`, { channel: 'table', tableId: table, serverId: server, items: [] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const alerts = () => eventsOf(a.db.pool, s.company.id, 'table_occupied_long');
    const first = await open();

    a.clock.advanceMinutes(179);
    await tablesOccupiedLong.handler(deps, {});
    expect(await alerts()).toHaveLength(0);
    a.clock.advanceMinutes(2);
    await tablesOccupiedLong.handler(deps, {});
    const one = await alerts();
    expect(one).toHaveLength(1);
    expect(one[0]!.level).toBe('warning');
    expect(one[0]!.data).toMatchObject({ tableId: table, label: '7', serverId: server });
    expect(one[0]!.data.minutes).toBeGreaterThanOrEqual(181);

    await tablesOccupiedLong.handler(deps, {});
    await Promise.all([tablesOccupiedLong.handler(deps, {}), tablesOccupiedLong.handler(deps, {})]);
    expect(await alerts()).toHaveLength(1);
    await waitFor(async () => (await notificationTypes(s.members.server.client, base)).includes('table_occupied_long'), 5000, 'server notified');

    // Freed, then occupied again: a fresh occupation, alerted once it is long too.
    expect((await c.post(`${base}/sales/${first}/cancel`, {})).status).toBe(200);
    await open();
    await tablesOccupiedLong.handler(deps, {});
    expect(await alerts()).toHaveLength(1);
    a.clock.advanceMinutes(181);
    await Promise.all([tablesOccupiedLong.handler(deps, {}), tablesOccupiedLong.handler(deps, {})]);
    expect(await alerts()).toHaveLength(2);
  });
});

describe('session_long', () => {
  it('one per session open longer than cashSessionMaxHours, to its cashier and managers', async () => {
    const s = await companyWithStaff(a.app);
    const base = `/api/v1/companies/${s.company.id}`;
    const { cashier, manager, server } = s.members;
    const opened = await cashier.client.post(`${base}/cash-sessions`, { register: 'Caisse 1', openingFloat: 10000 });
    expect(opened.status).toBe(201);
    const alerts = () => eventsOf(a.db.pool, s.company.id, 'session_long');

    a.clock.advanceMinutes(11 * 60);
    await sessionsOpenLong.handler(deps, {});
    expect(await alerts()).toHaveLength(0);
    a.clock.advanceMinutes(2 * 60);
    await sessionsOpenLong.handler(deps, {});
    await Promise.all([sessionsOpenLong.handler(deps, {}), sessionsOpenLong.handler(deps, {})]);
    const got = await alerts();
    expect(got).toHaveLength(1);
    expect(got[0]!.data).toMatchObject({ cashSessionId: opened.body.id, cashierId: cashier.userId, openHours: 13 });

    await waitFor(async () => (await notificationTypes(cashier.client, base)).includes('session_long'), 5000, 'cashier notified');
    await waitFor(async () => (await notificationTypes(manager.client, base)).includes('session_long'), 5000, 'manager notified');
    expect(await notificationTypes(server.client, base)).not.toContain('session_long');
    expect((await notificationTypes(cashier.client, base)).filter((t) => t === 'session_long')).toHaveLength(1);

    // Closed sessions are never alerted.
    expect((await cashier.client.post(`${base}/cash-sessions/${opened.body.id}/close`, { countedCash: 10000 })).status).toBe(200);
    const other = await cashier.client.post(`${base}/cash-sessions`, { register: 'Caisse 2', openingFloat: 0 });
    expect((await cashier.client.post(`${base}/cash-sessions/${other.body.id}/close`, { countedCash: 0 })).status).toBe(200);
    a.clock.advanceMinutes(13 * 60);
    await sessionsOpenLong.handler(deps, {});
    expect(await alerts()).toHaveLength(1);
  });
});
