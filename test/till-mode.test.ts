import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PIN_FAILURES, managerByPin } from '../src/modules/tenancy/index.ts';
import { inTransaction } from '../src/platform/db/tx.ts';
import { ROLES, type Role } from '../src/platform/permissions.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { stockedProduct } from './support/catalog-helpers.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { companyWithStaff, createCompany, PASSWORD, signUp } from './support/factories.ts';

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
  await drop?.();
});

const PINS: Record<Role, string> = { owner: '4711', manager: '5822', cashier: '69330', server: '704455' };
/** Nobody's PIN. */
const WRONG = '1357';

function setCookies(headers: Record<string, unknown>): string[] {
  const h = headers['set-cookie'];
  return Array.isArray(h) ? h : h ? [String(h)] : [];
}

async function eventsOf(companyId: string, type: string) {
  const { rows } = await app.db.pool.query(
    'SELECT actor_type, actor_id, level, data, subjects FROM events WHERE company_id = $1 AND type = $2 ORDER BY position',
    [companyId, type],
  );
  return rows as Array<{ actor_type: string; actor_id: string | null; level: string; data: Record<string, unknown>; subjects: Record<string, string> }>;
}

/** A device where `email` signs in with the test password. */
async function signedInDevice(email: string): Promise<Client> {
  const device = new Client(app.app);
  const res = await device.post('/api/v1/auth/login', { email, password: PASSWORD });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return device;
}

/** A company whose four staff have PINs, and a device the manager turned into a till. */
async function shop() {
  const { company, owner, members } = await companyWithStaff(app.app);
  const base = `/api/v1/companies/${company.id}`;
  for (const role of ROLES) {
    const res = await owner.client.put(`${base}/members/${members[role].userId}/pin`, { pin: PINS[role] });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
  }
  const device = await signedInDevice(members.manager.email);
  const enabled = await device.post(`${base}/till`, { label: 'Caisse 1' });
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(201);
  const sw = async (pin: string) => device.post(`${base}/till/switch`, { pin });
  return { company, owner, members, base, device, enabled, sw };
}

describe('staff PINs', () => {
  it('are set and cleared by owners and managers, unique in the company, and shown only as hasPin', async () => {
    const { company, owner, members } = await companyWithStaff(app.app);
    const base = `/api/v1/companies/${company.id}/members`;
    const put = (who: Client, userId: string, pin: string) => who.put(`${base}/${userId}/pin`, { pin });

    expect((await put(owner.client, members.cashier.userId, '2468')).status).toBe(204);
    const taken = await put(owner.client, members.server.userId, '2468');
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'member.pin_taken', errors: [{ field: 'pin', code: 'taken' }] });
    // The holder may keep (set again) their own.
    expect((await put(owner.client, members.cashier.userId, '2468')).status).toBe(204);
    for (const bad of ['123', '1234567', '12a4', ' 1234']) {
      const res = await put(owner.client, members.server.userId, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe('validation');
    }

    const list = await owner.client.get(base);
    const byId = Object.fromEntries(list.body.items.map((m: { userId: string }) => [m.userId, m]));
    expect(byId[members.cashier.userId]).toMatchObject({ hasPin: true });
    expect(byId[members.server.userId]).toMatchObject({ hasPin: false });
    expect(JSON.stringify(list.body)).not.toMatch(/pin_?hash|argon/i);
    const { rows } = await app.db.pool.query('SELECT pin_hash FROM memberships WHERE company_id = $1 AND user_id = $2', [company.id, members.cashier.userId]);
    expect(rows[0].pin_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].pin_hash).not.toContain('2468');

    // A manager: cashiers' and servers' PINs, and their own, not an owner's or another manager's.
    const manager = members.manager.client;
    expect((await put(manager, members.server.userId, '97531')).status).toBe(204);
    expect((await put(manager, members.manager.userId, '86420')).status).toBe(204);
    const ownerPin = await put(manager, owner.userId, '11223');
    expect(ownerPin.status).toBe(403);
    expect(ownerPin.body).toMatchObject({ code: 'member.pin_forbidden', params: { role: 'owner' } });
    const other = await companyWithStaffManager(owner.client, company.id);
    expect((await put(manager, other, '11224')).body.code).toBe('member.pin_forbidden');
    expect((await manager.delete(`${base}/${owner.userId}/pin`)).body.code).toBe('member.pin_forbidden');

    // Cashiers and servers: only their own, through /me/pin.
    const cashier = members.cashier.client;
    const denied = await put(cashier, members.server.userId, '55667');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'members.pins' } });
    expect((await cashier.put(`/api/v1/companies/${company.id}/me/pin`, { pin: '55667' })).status).toBe(204);
    expect((await cashier.put(`/api/v1/companies/${company.id}/me/pin`, { pin: '97531' })).body.code).toBe('member.pin_taken');

    // Cleared, a PIN is free again.
    expect((await owner.client.delete(`${base}/${members.server.userId}/pin`)).status).toBe(204);
    expect((await put(owner.client, owner.userId, '97531')).status).toBe(204);
    expect((await owner.client.delete(`${base}/${crypto.randomUUID()}/pin`)).body.code).toBe('member.not_found');

    const changed = await eventsOf(company.id, 'member_pin_changed');
    expect(changed.map((e) => [e.actor_id, e.data.userId, e.data.cleared])).toEqual([
      [owner.userId, members.cashier.userId, false],
      [owner.userId, members.cashier.userId, false],
      [members.manager.userId, members.server.userId, false],
      [members.manager.userId, members.manager.userId, false],
      [members.cashier.userId, members.cashier.userId, false],
      [owner.userId, members.server.userId, true],
      [owner.userId, owner.userId, false],
    ]);
  });

  it("stops a chooser who keeps hitting colleagues' PINs (each hit tells a valid PIN)", async () => {
    const { company, owner, members } = await companyWithStaff(app.app);
    const base = `/api/v1/companies/${company.id}`;
    const taken = ['1111', '2222', '3333', '4444'];
    for (const [i, pin] of taken.entries()) {
      const who = [owner, members.manager, members.cashier, members.server][i]!;
      expect((await owner.client.put(`${base}/members/${who.userId}/pin`, { pin })).status).toBe(204);
    }
    const mine = (pin: string) => members.server.client.put(`${base}/me/pin`, { pin });
    for (const pin of taken.slice(0, 2)) expect((await mine(pin)).body.code).toBe('member.pin_taken');
    // A free PIN does not wipe the count.
    expect((await mine('5555')).status).toBe(204);
    expect((await mine('3333')).body.code).toBe('member.pin_taken');
    const stopped = await mine('6666');
    expect(stopped.status).toBe(429);
    expect(stopped.body.code).toBe('member.pin_throttled');
    expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(3600);
    expect((await mine('6666')).status).toBe(429);
    // Another chooser is not affected; a day later the server may choose again.
    expect((await members.cashier.client.put(`${base}/me/pin`, { pin: '7777' })).status).toBe(204);
    app.clock.advanceMinutes(24 * 60 + 1);
    expect((await mine('6666')).status).toBe(204);
  });
});

/** Adds a second manager; answers their id. */
async function companyWithStaffManager(owner: Client, companyId: string): Promise<string> {
  const res = await owner.post(`/api/v1/companies/${companyId}/members`, {
    email: `manager2-${crypto.randomUUID().slice(0, 8)}@example.test`,
    role: 'manager',
    name: 'Second manager',
  });
  expect(res.status).toBe(201);
  return res.body.userId;
}

describe('members with a PIN only', () => {
  it('are added with a name and a PIN, no e-mail and no password, and can take a till', async () => {
    const { company, owner, base, sw } = await shop();
    const members = `${base}/members`;
    const added = await owner.client.post(members, { name: 'Koffi (cuisine)', role: 'server', pin: '808080' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ name: 'Koffi (cuisine)', email: null, role: 'server', hasPin: true });
    const { rows } = await app.db.pool.query('SELECT email, password_hash FROM users WHERE id = $1', [added.body.userId]);
    expect(rows[0]).toEqual({ email: null, password_hash: null });

    const refusals: Array<[Record<string, unknown>, string, string]> = [
      [{ role: 'server', name: 'Sans code' }, 'email', 'required'],
      [{ role: 'server', pin: '818181' }, 'name', 'required'],
      [{ role: 'server', name: 'Awa', pin: '828282', password: 'a-long-enough-secret-1' }, 'password', 'requires_email'],
    ];
    for (const [body, field, code] of refusals) {
      const res = await owner.client.post(members, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors).toEqual([{ field, code }]);
    }
    // A PIN someone has: nothing is added.
    const dup = await owner.client.post(members, { name: 'Double', role: 'server', pin: PINS.cashier });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('member.pin_taken');
    const list = await owner.client.get(members);
    expect(list.body.items.map((m: { name: string }) => m.name)).not.toContain('Double');
    // With an e-mail, a PIN may come too.
    const withEmail = await owner.client.post(members, { email: `awa-${company.id.slice(0, 8)}@example.test`, name: 'Awa', role: 'cashier', pin: '838383' });
    expect(withEmail.status).toBe(201);
    expect(withEmail.body).toMatchObject({ hasPin: true, role: 'cashier' });

    const password = await owner.client.put(`${members}/${added.body.userId}/password`, { password: 'a-long-enough-secret-1' });
    expect(password.status).toBe(409);
    expect(password.body.code).toBe('member.no_email');

    const taken = await sw('808080');
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body.till.acting).toEqual({ userId: added.body.userId, name: 'Koffi (cuisine)', role: 'server' });
  });
});

describe('turning a device into a till', () => {
  it('is for managers and owners signed in with a password; the device keeps no session, only the till', async () => {
    const { company, owner, members } = await companyWithStaff(app.app);
    const base = `/api/v1/companies/${company.id}`;
    for (const role of ['cashier', 'server'] as const) {
      const res = await members[role].client.post(`${base}/till`, { label: 'Caisse' });
      expect(res.status, role).toBe(403);
      expect(res.body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'till.manage' } });
    }
    const token = await owner.client.post(`${base}/api-tokens`, { name: 'bot', role: 'manager' });
    const byToken = await owner.client.withToken(token.body.token).post(`${base}/till`, { label: 'Caisse' });
    expect(byToken.status).toBe(403);
    expect(byToken.body.code).toBe('till.session_required');
    const name = (await owner.client.get(base)).body.name;
    expect((await members.cashier.client.get(`${base}/till`)).body).toEqual({ companyName: name, enabled: false, canEnable: false, till: null });
    expect((await members.manager.client.get(`${base}/till`)).body).toEqual({ companyName: name, enabled: false, canEnable: true, till: null });

    const device = await signedInDevice(members.manager.email);
    const sessionBefore = device.cookies.get('comptoir_session')!;
    const res = await device.post(`${base}/till`, { label: ' Caisse 1 ' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      enabled: true,
      till: { label: 'Caisse 1', acting: null, failuresLeft: MAX_PIN_FAILURES, maxFailures: 5, enabledBy: { userId: members.manager.userId, name: 'manager' } },
    });
    const cookies = setCookies(res.headers);
    const tillCookie = cookies.find((c) => c.startsWith('comptoir_till='))!;
    expect(tillCookie).toMatch(/HttpOnly/i);
    expect(tillCookie).toMatch(/SameSite=Strict/i);
    expect(tillCookie).toMatch(/Max-Age=57600/);
    expect(cookies.find((c) => c.startsWith('comptoir_session='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(device.cookies.has('comptoir_session')).toBe(false);
    const raw = device.cookies.get('comptoir_till')!;
    const { rows } = await app.db.pool.query('SELECT id_hash, label FROM till_devices WHERE company_id = $1', [company.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].id_hash).not.toBe(raw);
    expect(rows[0].id_hash).toMatch(/^[0-9a-f]{64}$/);

    // The pad: nobody acts. Only the till's own routes answer.
    const me = await device.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ code: 'till.pin_required', params: { companyId: company.id } });
    for (const url of [`${base}`, `${base}/sales`, `${base}/members`]) {
      const r = await device.get(url);
      expect(r.status, url).toBe(401);
      expect(r.body.code, url).toBe('till.pin_required');
    }
    const state = await device.get(`${base}/till`);
    expect(state.status).toBe(200);
    expect(state.body.till.pinHolders).toEqual([]);
    // The session the till holds no longer works as a session cookie, even replayed.
    const replay = new Client(app.app);
    replay.cookies.set('comptoir_session', sessionBefore);
    expect((await replay.get('/api/v1/me')).status).toBe(401);

    const enabled = await eventsOf(company.id, 'till_enabled');
    expect(enabled).toEqual([expect.objectContaining({ actor_id: members.manager.userId, data: { tillId: res.body.till.id, label: 'Caisse 1' } })]);
  });
});

describe('switching user on a till', () => {
  it('attributes every later command to the member whose PIN was typed, with their own role', async () => {
    const { company, owner, members, base, device, sw } = await shop();
    const beer = await stockedProduct(owner.client, company.id, 10, { name: 'Bière', price: 1500 });

    const t0 = Date.now();
    const asServer = await sw(PINS.server);
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(asServer.status, JSON.stringify(asServer.body)).toBe(200);
    expect(asServer.body.till).toMatchObject({ acting: { userId: members.server.userId, name: 'server', role: 'server' }, failuresLeft: 5 });
    expect(asServer.body.till.pinHolders.map((h: { name: string }) => h.name).sort()).toEqual(['Owner', 'cashier', 'manager', 'server']);
    const me = await device.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(members.server.userId);
    expect(me.body.memberships).toEqual([expect.objectContaining({ companyId: company.id, role: 'server' })]);
    expect(me.body.till).toEqual({ tillId: asServer.body.till.id, companyId: company.id });

    // The server opens a sale as the web till does (server = the user shown), cannot open the cash drawer.
    const sale = await device.post(`${base}/sales`, { channel: 'counter', serverId: me.body.user.id, items: [{ productId: beer.id, quantity: 2 }] });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    expect(sale.body).toMatchObject({ serverId: members.server.userId, serverName: 'server' });
    const drawer = { register: 'Caisse 1', openingFloat: 10_000 };
    const refused = await device.post(`${base}/cash-sessions`, drawer);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'cash_sessions.run' } });

    // The cashier takes over in one request; the drawer and the payment are theirs.
    expect((await sw(PINS.cashier)).status).toBe(200);
    const session = await device.post(`${base}/cash-sessions`, drawer);
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    const paid = await device.post(`${base}/sales/${sale.body.id}/payments`, { method: 'cash', amount: 3000, tendered: 5000 });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const { rows } = await app.db.pool.query('SELECT actor_type, actor_id FROM payments WHERE company_id = $1 AND sale_id = $2', [company.id, sale.body.id]);
    expect(rows).toEqual([{ actor_type: 'user', actor_id: members.cashier.userId }]);
    const opened = await app.db.pool.query('SELECT opened_by FROM cash_sessions WHERE company_id = $1', [company.id]);
    expect(opened.rows).toEqual([{ opened_by: members.cashier.userId }]);
    expect((await eventsOf(company.id, 'sale_opened'))[0]).toMatchObject({ actor_type: 'user', actor_id: members.server.userId });
    expect((await eventsOf(company.id, 'sale_paid'))[0]).toMatchObject({ actor_type: 'user', actor_id: members.cashier.userId });
    const switched = await eventsOf(company.id, 'till_switched');
    expect(switched.map((e) => [e.actor_id, e.data.userId, e.data.previousUserId])).toEqual([
      [members.server.userId, members.server.userId, undefined],
      [members.cashier.userId, members.cashier.userId, members.server.userId],
    ]);

    // The role is read on every request: promoted while acting, the cashier manages at once.
    expect((await device.get(`${base}/members`)).status).toBe(403);
    expect((await owner.client.patch(`${base}/members/${members.cashier.userId}`, { role: 'manager' })).status).toBe(200);
    expect((await device.get(`${base}/members`)).status).toBe(200);

    // Lock: back to the pad.
    expect((await device.post(`${base}/till/lock`)).status).toBe(204);
    expect((await device.get('/api/v1/me')).body.code).toBe('till.pin_required');
    expect((await device.get(`${base}/sales/${sale.body.id}`)).body.code).toBe('till.pin_required');
    expect((await device.get(`${base}/till`)).body.till.acting).toBeNull();
    // Signing out on a till does the same, and the till stays.
    expect((await sw(PINS.server)).status).toBe(200);
    expect((await device.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await device.get(`${base}/till`)).body).toMatchObject({ enabled: true, till: { acting: null } });
  });

  it('keeps who gets in behind a full sign-in, whatever the acting role', async () => {
    const { base, device, sw, members } = await shop();
    expect((await sw(PINS.owner)).status).toBe(200);
    expect((await device.patch(base, { name: 'Renamed on the till' })).status).toBe(200);
    expect((await device.get(`${base}/members`)).status).toBe(200);
    const attempts = [
      ['GET', `${base}/api-tokens`, undefined, 'tokens.manage'],
      ['POST', `${base}/api-tokens`, { name: 'x', role: 'owner' }, 'tokens.manage'],
      ['POST', `${base}/members`, { name: 'Nouveau', role: 'owner', pin: '909090' }, 'members.manage'],
      ['PUT', `${base}/members/${members.server.userId}/pin`, { pin: '919191' }, 'members.pins'],
      ['DELETE', `${base}/members/${members.server.userId}/pin`, undefined, 'members.pins'],
      ['PUT', `${base}/me/pin`, { pin: '929292' }, 'pin.own'],
      ['PATCH', `${base}/members/${members.server.userId}`, { role: 'owner' }, 'members.manage'],
    ] as const;
    for (const [method, url, body, permission] of attempts) {
      const res = await device.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body, `${method} ${url}`).toMatchObject({ code: 'till.full_sign_in_required', params: { permission } });
    }
    // Nor anything about no company but /me: no new company, no password change.
    const created = await device.post('/api/v1/companies', { name: 'Ailleurs', currency: 'XOF', timezone: 'UTC' });
    expect(created.status).toBe(403);
    expect(created.body.code).toBe('till.forbidden');
    const password = await device.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'another-horse-battery-7' });
    expect(password.body.code).toBe('till.forbidden');
    // A server on the till gets server permissions only.
    expect((await sw(PINS.server)).status).toBe(200);
    const rename = await device.patch(base, { name: 'By a server' });
    expect(rename.status).toBe(403);
    expect(rename.body.code).toBe('auth.forbidden');
    expect((await device.delete(`${base}/till`)).body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'till.manage' } });
  });

  it('enforces CSRF with the till token, on the pad and after a switch', async () => {
    const { base, device, sw } = await shop();
    const csrf = device.cookies.get('comptoir_csrf')!;
    device.sendCsrf = false;
    const pad = await device.post(`${base}/till/switch`, { pin: PINS.server });
    expect(pad.status).toBe(403);
    expect(pad.body.code).toBe('auth.csrf');
    const forged = await device.post(`${base}/till/switch`, { pin: PINS.server }, { 'x-csrf-token': 'forged' });
    expect(forged.body.code).toBe('auth.csrf');
    device.sendCsrf = true;
    expect((await sw(PINS.server)).status).toBe(200);
    device.sendCsrf = false;
    const sale = await device.post(`${base}/sales`, { channel: 'counter', items: [] });
    expect(sale.body.code).toBe('auth.csrf');
    expect((await device.post(`${base}/sales`, { channel: 'counter', items: [] }, { 'x-csrf-token': csrf })).status).toBe(201);
    // Failed CSRF checks count no PIN try.
    expect((await device.get(`${base}/till`)).body.till.failuresLeft).toBe(5);
  });
});

describe('wrong PINs', () => {
  it('count down, reset on a right PIN, and the 5th in a row locks the till out until a manager signs in again', async () => {
    const { company, base, device, sw, members } = await shop();
    const tillId = (await device.get(`${base}/till`)).body.till.id as string;
    for (let left = 4; left >= 2; left--) {
      const res = await sw(WRONG);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'till.wrong_pin', params: { failuresLeft: left } });
    }
    expect((await sw(PINS.cashier)).status).toBe(200);
    expect((await device.get(`${base}/till`)).body.till.failuresLeft).toBe(5);
    // Wrong PINs while someone acts count too (and leave them acting until the lock-out).
    for (let left = 4; left >= 1; left--) expect((await sw(WRONG)).body.params.failuresLeft).toBe(left);
    expect((await device.get('/api/v1/me')).body.user.id).toBe(members.cashier.userId);
    const { rows: before } = await app.db.pool.query('SELECT session_hash FROM till_devices WHERE id = $1', [tillId]);
    const raw = device.cookies.get('comptoir_till')!;
    const locked = await sw(WRONG);
    expect(locked.status).toBe(401);
    expect(locked.body).toMatchObject({ code: 'till.locked', params: { companyId: company.id } });
    expect(setCookies(locked.headers).find((c) => c.startsWith('comptoir_till='))).toMatch(/Expires=Thu, 01 Jan 1970/);

    // The cookie, kept anyway, opens nothing; even the right PIN.
    const stale = new Client(app.app);
    stale.cookies.set('comptoir_till', raw);
    stale.sendCsrf = false;
    for (const [method, url] of [['GET', '/api/v1/me'], ['GET', `${base}/till`], ['POST', `${base}/till/switch`], ['GET', `${base}/sales`]] as const) {
      const res = await stale.request(method, url, method === 'POST' ? { pin: PINS.manager } : undefined);
      expect(res.status, url).toBe(401);
      expect(res.body.code, url).toBe('till.locked');
    }
    const { rows } = await app.db.pool.query('SELECT acting_user_id, locked_at, session_hash FROM till_devices WHERE id = $1', [tillId]);
    expect(rows[0]).toMatchObject({ acting_user_id: null, session_hash: null });
    expect(rows[0].locked_at).not.toBeNull();
    const sessions = await app.db.pool.query('SELECT 1 FROM auth_sessions WHERE id_hash = $1', [before[0].session_hash]);
    expect(sessions.rowCount).toBe(0);
    const out = await eventsOf(company.id, 'till_locked_out');
    expect(out).toEqual([expect.objectContaining({ level: 'warning', data: { tillId, label: 'Caisse 1', failures: 5 } })]);

    // A manager signs in on the device with their password, and makes it a till again.
    const relogin = await stale.post('/api/v1/auth/login', { email: members.manager.email, password: PASSWORD });
    expect(relogin.status).toBe(200);
    expect(stale.cookies.has('comptoir_till')).toBe(false);
    stale.sendCsrf = true;
    const again = await stale.post(`${base}/till`, { label: 'Caisse 1' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const back = await stale.post(`${base}/till/switch`, { pin: PINS.server });
    expect(back.status).toBe(200);
    expect(back.body.till).toMatchObject({ acting: { userId: members.server.userId }, failuresLeft: 5 });
  });

  it('cannot slip past the count in parallel', async () => {
    const { base, device, sw } = await shop();
    const tillId = (await device.get(`${base}/till`)).body.till.id as string;
    const raw = device.cookies.get('comptoir_till')!;
    const csrf = device.cookies.get('comptoir_csrf')!;
    // Twelve clients holding the same cookie fire wrong PINs at once: four are told how
    // many tries are left, the fifth locks the till, the rest find it locked.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const c = new Client(app.app);
        c.cookies.set('comptoir_till', raw);
        c.cookies.set('comptoir_csrf', csrf);
        return c.post(`${base}/till/switch`, { pin: `${2000 + i}` });
      }),
    );
    const codes = results.map((r) => r.body.code);
    expect(codes.filter((c) => c === 'till.wrong_pin')).toHaveLength(MAX_PIN_FAILURES - 1);
    expect(codes.filter((c) => c === 'till.locked')).toHaveLength(12 - (MAX_PIN_FAILURES - 1));
    expect(results.filter((r) => r.body.code === 'till.wrong_pin').map((r) => r.body.params.failuresLeft).sort()).toEqual([1, 2, 3, 4]);
    const { rows } = await app.db.pool.query('SELECT locked_at FROM till_devices WHERE id = $1', [tillId]);
    expect(rows[0].locked_at).not.toBeNull();
    expect((await sw(PINS.owner)).body.code).toBe('till.locked');
  });

  it("count on the till for a manager's approval PIN too, and off a till per person", async () => {
    const { company, base, device, members } = await shop();
    const tillId = (await device.get(`${base}/till`)).body.till.id as string;
    const approve = (pin: string, tillOf?: string) =>
      inTransaction(app.db, { kind: 'company', companyId: company.id }, (tx) =>
        managerByPin({ companyId: company.id, actor: { type: 'user', id: members.cashier.userId }, clock: app.clock, tx, tillId: tillOf }, pin),
      );
    expect(await approve(PINS.manager, tillId)).toMatchObject({ userId: members.manager.userId });
    // A cashier's PIN is no approval, and counts as a wrong one.
    expect(await approve(PINS.cashier, tillId)).toBeNull();
    for (let i = 0; i < 3; i++) expect(await approve(WRONG, tillId)).toBeNull();
    await expect(approve(WRONG, tillId)).rejects.toMatchObject({ code: 'till.locked' });
    expect((await device.get(`${base}/till`)).body.code).toBe('till.locked');
    await expect(approve(PINS.manager, tillId)).rejects.toMatchObject({ code: 'till.locked' });

    // Off a till: five wrong tries per person in 15 minutes, then 429.
    for (let i = 0; i < 5; i++) expect(await approve(WRONG)).toBeNull();
    await expect(approve(PINS.manager)).rejects.toMatchObject({ code: 'pin.throttled', status: 429 });
    app.clock.advanceMinutes(16);
    expect(await approve(PINS.manager)).toMatchObject({ userId: members.manager.userId });
  });
});

describe('the till is bound to its company and to its manager', () => {
  it('is useless for another company, even one its members belong to', async () => {
    const { company, base, device, sw, members } = await shop();
    // Company B, where the till's manager and server are members too.
    const b = await signUp(app.app, 'Owner B');
    const companyB = await createCompany(b.client);
    for (const [who, role] of [[members.manager, 'manager'], [members.server, 'server']] as const) {
      expect((await b.client.post(`/api/v1/companies/${companyB.id}/members`, { email: who.email, role })).status).toBe(201);
    }
    expect((await b.client.put(`/api/v1/companies/${companyB.id}/members/${members.server.userId}/pin`, { pin: PINS.server })).status).toBe(204);
    const baseB = `/api/v1/companies/${companyB.id}`;
    const pad = await device.get(`${baseB}/till`);
    expect(pad.status).toBe(404);
    expect(pad.body.code).toBe('company.not_found');
    expect((await device.post(`${baseB}/till/switch`, { pin: PINS.server })).body.code).toBe('company.not_found');
    expect((await sw(PINS.server)).status).toBe(200);
    for (const url of [baseB, `${baseB}/sales`, `${baseB}/till`]) {
      const res = await device.get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.code).toBe('company.not_found');
    }
    expect((await device.post(`${baseB}/sales`, { channel: 'counter', items: [] })).body.code).toBe('company.not_found');
    expect((await device.get('/api/v1/me')).body.memberships.map((m: { companyId: string }) => m.companyId)).toEqual([company.id]);
    expect((await device.get(`${base}/sales`)).status).toBe(200);
  });

  it("ends with the manager's session, their role, its time limit, or a manager on the till", async () => {
    // A password change by the manager (other devices signed out) ends the till.
    const one = await shop();
    expect((await one.sw(PINS.server)).status).toBe(200);
    const elsewhere = await signedInDevice(one.members.manager.email);
    expect((await elsewhere.post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'another-horse-battery-7' })).status).toBe(204);
    const ended = await one.device.get('/api/v1/me');
    expect(ended.status).toBe(401);
    expect(ended.body.code).toBe('auth.unauthenticated');
    expect((await app.db.pool.query('SELECT 1 FROM till_devices WHERE company_id = $1', [one.company.id])).rowCount).toBe(0);

    // The enabling manager demoted: the till is over.
    const two = await shop();
    expect((await two.sw(PINS.server)).status).toBe(200);
    expect((await two.owner.client.patch(`${two.base}/members/${two.members.manager.userId}`, { role: 'cashier' })).status).toBe(200);
    expect((await two.device.get('/api/v1/me')).body.code).toBe('auth.unauthenticated');

    // After TILL_LIFETIME_HOURS.
    const three = await shop();
    expect((await three.sw(PINS.server)).status).toBe(200);
    app.clock.advanceMinutes(15 * 60);
    expect((await three.device.get('/api/v1/me')).status).toBe(200);
    app.clock.advanceMinutes(61);
    expect((await three.device.get('/api/v1/me')).body.code).toBe('auth.unauthenticated');
    // The next till of the company clears it away, with the session it held.
    const { rows: old } = await app.db.pool.query('SELECT session_hash FROM till_devices WHERE company_id = $1', [three.company.id]);
    const next = await signedInDevice(three.members.manager.email);
    expect((await next.post(`${three.base}/till`, { label: 'Caisse 2' })).status).toBe(201);
    expect((await app.db.pool.query('SELECT 1 FROM auth_sessions WHERE id_hash = $1', [old[0].session_hash])).rowCount).toBe(0);
    expect((await app.db.pool.query('SELECT label FROM till_devices WHERE company_id = $1', [three.company.id])).rows).toEqual([{ label: 'Caisse 2' }]);
    app.clock.reset();

    // A manager acting on the till ends till mode; a cashier may not.
    const four = await shop();
    expect((await four.sw(PINS.cashier)).status).toBe(200);
    expect((await four.device.delete(`${four.base}/till`)).status).toBe(403);
    expect((await four.sw(PINS.owner)).status).toBe(200);
    const off = await four.device.delete(`${four.base}/till`);
    expect(off.status).toBe(204);
    expect(four.device.cookies.has('comptoir_till')).toBe(false);
    expect((await four.device.get('/api/v1/me')).body.code).toBe('auth.unauthenticated');
    expect((await eventsOf(four.company.id, 'till_disabled'))).toEqual([expect.objectContaining({ actor_id: four.owner.userId })]);
    // Not a till: nothing to switch, lock or end.
    for (const [method, url] of [['POST', `${four.base}/till/switch`], ['POST', `${four.base}/till/lock`], ['DELETE', `${four.base}/till`]] as const) {
      const res = await four.owner.client.request(method, url, method === 'POST' ? { pin: PINS.owner } : undefined);
      expect(res.status, url).toBe(409);
      expect(res.body.code).toBe('till.not_enabled');
    }
  });
});
