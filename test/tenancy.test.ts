import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/platform/db/tx.ts';
import { append } from '../src/platform/events/append.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, companyWithStaff, createCompany, PASSWORD, signUp } from './support/factories.ts';

let app: TestApp;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase();
  drop = db.drop;
  app = await startTestApp(db.url);
});
afterAll(async () => {
  await app?.stop();
  await drop?.();
});

const DEFAULT_SETTINGS = {
  holdMinutes: 15,
      defaultTaxRate: 1800,
  largeSaleThreshold: null,
  tableLongMinutes: 180,
  cashSessionMaxHours: 12,
  requireCashSession: false,
  qrSessionMinutes: 30,
  paymentTimeoutMinutes: 60,
  dailySummaryTime: '23:00',
  auditRetentionMonths: 12,
  address: null,
  discountApprovalPercent: 20,
};

async function eventsOf(companyId: string) {
  const { rows } = await app.db.pool.query(
    'SELECT type, actor_type, actor_id, subjects, data FROM events WHERE company_id = $1 ORDER BY position',
    [companyId],
  );
  return rows as Array<{ type: string; actor_type: string; actor_id: string | null; subjects: Record<string, string>; data: Record<string, unknown> }>;
}

async function ownerCount(companyId: string): Promise<number> {
  const { rows } = await app.db.pool.query(`SELECT count(*)::int AS n FROM memberships WHERE company_id = $1 AND role = 'owner'`, [companyId]);
  return rows[0].n;
}

describe('companies', () => {
  it('derives the slug from the name, suffixes a taken derived slug and refuses a taken chosen one', async () => {
    const { client } = await signUp(app.app);
    const first = await createCompany(client, { name: 'Café Étoile' });
    expect(first.slug).toBe('cafe-etoile');
    const second = await createCompany(client, { name: 'Café  Étoile!' });
    expect(second.slug).toMatch(/^cafe-etoile-[0-9a-f]{6}$/);
    const taken = await client.post('/api/v1/companies', { name: 'Autre', slug: 'cafe-etoile', currency: 'XOF', timezone: 'UTC' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('company.slug_taken');
    const ref = `ext-${randomUUID()}`;
    await createCompany(client, { externalRef: ref });
    const dup = await client.post('/api/v1/companies', { name: 'Encore', externalRef: ref, currency: 'XOF', timezone: 'UTC' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('company.external_ref_taken');
    const me = await client.get('/api/v1/me');
    expect(me.body.memberships).toHaveLength(3);
  });

  it('returns every setting with its default and patches settings one at a time', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const url = `/api/v1/companies/${company.id}`;
    const got = await client.get(url);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: company.id, currency: 'XOF', timezone: 'Africa/Abidjan', externalRef: null });
    expect(got.body.settings).toEqual(DEFAULT_SETTINGS);
    const one = await client.patch(url, { settings: { holdMinutes: 30 } });
    expect(one.status).toBe(200);
    expect(one.body.settings).toEqual({ ...DEFAULT_SETTINGS, holdMinutes: 30 });
    const two = await client.patch(url, { settings: { largeSaleThreshold: 50_000, dailySummaryTime: '21:30' } });
    expect(two.body.settings).toEqual({ ...DEFAULT_SETTINGS, holdMinutes: 30, largeSaleThreshold: 50_000, dailySummaryTime: '21:30' });
    const bad = await client.patch(url, { settings: { dailySummaryTime: '25:00' } });
    expect(bad.status).toBe(400);
    expect((await client.get(url)).body.settings).toEqual(two.body.settings);
  });

  it('lets the currency change until money exists, then freezes it', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const url = `/api/v1/companies/${company.id}`;
    const changed = await client.patch(url, { currency: 'EUR' });
    expect(changed.status).toBe(200);
    expect(changed.body.currency).toBe('EUR');
    await inTransaction(app.db, { kind: 'company', companyId: company.id }, async (tx) => {
      append({ companyId: company.id, actor: { type: 'system' }, clock: app.clock, tx }, 'sale_opened', { saleId: randomUUID(), channel: 'counter' });
    });
    const frozen = await client.patch(url, { currency: 'USD' });
    expect(frozen.status).toBe(409);
    expect(frozen.body).toMatchObject({ code: 'company.currency_frozen', params: { currency: 'EUR' } });
    // The same currency, and other fields, still go through.
    expect((await client.patch(url, { currency: 'EUR', name: 'Renamed' })).status).toBe(200);
    expect((await client.get(url)).body).toMatchObject({ currency: 'EUR', name: 'Renamed' });
  });
});

describe('members', () => {
  it('adds existing and new accounts, refuses duplicates, changes roles and removes', async () => {
    const { client: owner, userId: ownerId } = await signUp(app.app);
    const company = await createCompany(owner);
    const base = `/api/v1/companies/${company.id}/members`;
    const existing = await signUp(app.app, 'Awa');
    const added = await owner.post(base, { email: existing.email.toUpperCase(), role: 'cashier' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ userId: existing.userId, name: 'Awa', email: existing.email, role: 'cashier' });
    expect((await existing.client.get(`/api/v1/companies/${company.id}`)).status).toBe(200);

    const email = `new-${randomUUID().slice(0, 8)}@example.test`;
    const created = await owner.post(base, { email, role: 'server', name: 'Koffi' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Koffi', email, role: 'server' });
    const { rows } = await app.db.pool.query('SELECT id FROM users WHERE email = $1', [email]);
    expect(rows).toEqual([{ id: created.body.userId }]);

    const dup = await owner.post(base, { email, role: 'manager' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('member.exists');

    const promoted = await owner.patch(`${base}/${existing.userId}`, { role: 'manager' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe('manager');
    expect((await existing.client.get(base)).status).toBe(200);

    expect((await owner.delete(`${base}/${created.body.userId}`)).status).toBe(204);
    const list = await owner.get(base);
    expect(list.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [ownerId, 'owner'],
      [existing.userId, 'manager'],
    ]);
    expect((await owner.delete(`${base}/${created.body.userId}`)).body.code).toBe('member.not_found');

    const log = await eventsOf(company.id);
    expect(log.map((e) => e.type)).toEqual(['company_created', 'member_added', 'member_added', 'member_role_changed', 'member_removed']);
    expect(log[1]).toMatchObject({ actor_type: 'user', actor_id: ownerId, subjects: { userId: existing.userId }, data: { userId: existing.userId, role: 'cashier' } });
    expect(log[3]!.data).toEqual({ userId: existing.userId, from: 'cashier', to: 'manager' });
    expect(log[4]!.data).toEqual({ userId: created.body.userId, role: 'server' });
  });

  it('never demotes or removes the last owner', async () => {
    const { client: owner, userId } = await signUp(app.app);
    const company = await createCompany(owner);
    const url = `/api/v1/companies/${company.id}/members/${userId}`;
    const demote = await owner.patch(url, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('member.last_owner');
    const remove = await owner.delete(url);
    expect(remove.status).toBe(409);
    expect(remove.body.code).toBe('member.last_owner');
    expect(await ownerCount(company.id)).toBe(1);
    // With a second owner, the first may step down.
    await addMember(app.app, owner, company.id, 'owner');
    expect((await owner.patch(url, { role: 'manager' })).status).toBe(200);
    expect(await ownerCount(company.id)).toBe(1);
  });

  it('lets exactly one of two concurrent demotions of two owners through', async () => {
    for (let i = 0; i < 10; i++) {
      const a = await signUp(app.app, 'Owner A');
      const company = await createCompany(a.client);
      const b = await addMember(app.app, a.client, company.id, 'owner');
      // An owner token acts for both: its role does not change under it.
      const token = await a.client.post(`/api/v1/companies/${company.id}/api-tokens`, { name: 'admin', role: 'owner' });
      const api = a.client.withToken(token.body.token);
      const base = `/api/v1/companies/${company.id}/members`;
      const results = await Promise.all([
        api.patch(`${base}/${a.userId}`, { role: 'manager' }),
        api.patch(`${base}/${b.userId}`, { role: 'cashier' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)!.body.code).toBe('member.last_owner');
      expect(await ownerCount(company.id)).toBe(1);
    }
  });

  it("sets a member's password and ends their sessions, but not for an account shared with another company", async () => {
    const { company, owner, members } = await companyWithStaff(app.app);
    const cashier = members.cashier;
    const url = `/api/v1/companies/${company.id}/members/${cashier.userId}/password`;
    const weak = await owner.client.put(url, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('auth.weak_password');
    const newPassword = 'a-fresh-secret-2026';
    expect((await owner.client.put(url, { password: newPassword })).status).toBe(204);
    expect((await cashier.client.get('/api/v1/me')).status).toBe(401);
    const again = new Client(app.app);
    expect((await again.post('/api/v1/auth/login', { email: cashier.email, password: PASSWORD })).status).toBe(401);
    expect((await again.post('/api/v1/auth/login', { email: cashier.email, password: newPassword })).status).toBe(200);

    const other = await signUp(app.app, 'Other owner');
    const otherCompany = await createCompany(other.client);
    expect((await other.client.post(`/api/v1/companies/${otherCompany.id}/members`, { email: cashier.email, role: 'server' })).status).toBe(201);
    const shared = await owner.client.put(url, { password: 'yet-another-secret-77' });
    expect(shared.status).toBe(409);
    expect(shared.body.code).toBe('member.password_shared_account');
    expect((await again.get('/api/v1/me')).status).toBe(200);
    // The owner of B cannot reach a member of A through their own company either.
    const foreign = await other.client.put(`/api/v1/companies/${otherCompany.id}/members/${members.server.userId}/password`, { password: 'yet-another-secret-77' });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('member.not_found');
  });
});

describe('API tokens', () => {
  it('shows the raw token once, works as a bearer with its role, and stops at revocation', async () => {
    const { client: owner, userId } = await signUp(app.app);
    const company = await createCompany(owner);
    const base = `/api/v1/companies/${company.id}/api-tokens`;
    const created = await owner.post(base, { name: 'Caisse 2', role: 'server' });
    expect(created.status).toBe(201);
    const raw: string = created.body.token;
    expect(raw).toMatch(/^cpt_/);
    expect(raw.startsWith(created.body.prefix)).toBe(true);
    expect(created.body).toMatchObject({ name: 'Caisse 2', role: 'server', revokedAt: null });

    const list = await owner.get(base);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, prefix: created.body.prefix });
    expect(list.body.items[0]).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toContain(raw);

    const bearer = owner.withToken(raw);
    expect((await bearer.get(`/api/v1/companies/${company.id}`)).status).toBe(200);
    const members = await bearer.get(`/api/v1/companies/${company.id}/members`);
    expect(members.status).toBe(403);
    expect(members.body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'members.read' } });

    expect((await owner.delete(`${base}/${created.body.id}`)).status).toBe(204);
    const after = await bearer.get(`/api/v1/companies/${company.id}`);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('auth.unauthenticated');
    expect((await owner.get(base)).body.items[0].revokedAt).not.toBeNull();
    expect((await owner.delete(`${base}/${randomUUID()}`)).body.code).toBe('token.not_found');

    const log = await eventsOf(company.id);
    expect(log.map((e) => e.type)).toEqual(['company_created', 'token_created', 'token_revoked']);
    expect(log[1]).toMatchObject({ actor_id: userId, data: { tokenId: created.body.id, name: 'Caisse 2', role: 'server' } });
  });

  it("records the token as the actor of what it does", async () => {
    const { client: owner } = await signUp(app.app);
    const company = await createCompany(owner);
    const created = await owner.post(`/api/v1/companies/${company.id}/api-tokens`, { name: 'ERP', role: 'manager' });
    const res = await owner.withToken(created.body.token).patch(`/api/v1/companies/${company.id}`, { name: 'Via ERP' });
    expect(res.status).toBe(200);
    const last = (await eventsOf(company.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'company_updated', actor_type: 'token', actor_id: created.body.id, data: { fields: ['name'] } });
  });
});
