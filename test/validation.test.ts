import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client, type Res } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, PASSWORD, signUp } from './support/factories.ts';

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

const uniq = () => randomBytes(4).toString('hex');
const validCompany = () => ({ name: `Valid ${uniq()}`, currency: 'XOF', timezone: 'Africa/Dakar' });

/** A well-formed problem: its fields, the media type, and no internals. */
function expectProblem(res: Res, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.body).toMatchObject({ type: `https://comptoir.dev/problems/${code}`, title: expect.any(String), status, code });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  expect(JSON.stringify(res.body)).not.toMatch(/stack|node_modules|\.ts:\d+|at .*\(/);
  for (const e of res.body.errors ?? []) expect(Object.keys(e).sort()).toEqual(['code', 'field']);
}

function fields(res: Res): string[] {
  return (res.body.errors ?? []).map((e: { field: string }) => e.field);
}

async function membershipIds(client: Client): Promise<string[]> {
  return (await client.get('/api/v1/me')).body.memberships.map((m: { companyId: string }) => m.companyId).sort();
}

describe('bad bodies name the field', () => {
  it('a missing company name', async () => {
    const { client } = await signUp(app.app);
    const { name: _omit, ...body } = validCompany();
    const res = await client.post('/api/v1/companies', body);
    expectProblem(res, 400, 'validation');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].field).toBe('name');
    expect(['required', 'invalid_type']).toContain(res.body.errors[0].code);
  });

  it('several bad fields at once, each named', async () => {
    const { client } = await signUp(app.app);
    const res = await client.post('/api/v1/companies', { name: '', currency: 12, timezone: 'Africa/Dakar' });
    expectProblem(res, 400, 'validation');
    expect(fields(res).sort()).toEqual(['currency', 'name']);
  });

  it('a malformed e-mail on registration', async () => {
    const res = await new Client(app.app).post('/api/v1/auth/register', { name: 'X', email: 'not-an-email', password: PASSWORD });
    expectProblem(res, 400, 'validation');
    expect(fields(res)).toEqual(['email']);
  });

  it('an unknown currency and a bad time zone', async () => {
    const { client } = await signUp(app.app);
    const currency = await client.post('/api/v1/companies', { ...validCompany(), currency: 'ZZZ' });
    expectProblem(currency, 400, 'validation');
    expect(currency.body.errors).toEqual([{ field: 'currency', code: 'unsupported' }]);
    const tz = await client.post('/api/v1/companies', { ...validCompany(), timezone: 'Mars/Olympus_Mons' });
    expectProblem(tz, 400, 'validation');
    expect(tz.body.errors).toEqual([{ field: 'timezone', code: 'invalid_value' }]);
    expect(await membershipIds(client)).toEqual([]);
  });

  it('settings with an unknown key or an out-of-range value on PATCH company', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const url = `/api/v1/companies/${company.id}`;
    const unknown = await client.patch(url, { settings: { coffeeBreakMinutes: 5 } });
    expectProblem(unknown, 400, 'validation');
    expect(unknown.body.errors).toEqual([{ field: 'settings.coffeeBreakMinutes', code: 'unrecognized_keys' }]);
    const negative = await client.patch(url, { settings: { holdMinutes: -5 } });
    expectProblem(negative, 400, 'validation');
    expect(fields(negative)).toEqual(['settings.holdMinutes']);
    const notInt = await client.patch(url, { settings: { holdMinutes: 2.5 } });
    expectProblem(notInt, 400, 'validation');
    const topLevel = await client.patch(url, { colour: 'red' });
    expectProblem(topLevel, 400, 'validation');
    expect(topLevel.body.errors).toEqual([{ field: 'colour', code: 'unrecognized_keys' }]);
    // Nothing changed.
    const now = await client.get(url);
    expect(now.body.settings).toEqual(company.settings);
    expect(now.body.settings.holdMinutes).toBe(15);
  });

  it('a body that is not JSON', async () => {
    const { client } = await signUp(app.app);
    const res = await client.request('POST', '/api/v1/companies', '{"name": "Oops",', { 'content-type': 'application/json' });
    expectProblem(res, 400, 'invalid_json');
    expect(await membershipIds(client)).toEqual([]);
  });

  it('a body of the wrong media type', async () => {
    const { client } = await signUp(app.app);
    const res = await client.request('POST', '/api/v1/companies', 'name=Oops', { 'content-type': 'text/csv' });
    expectProblem(res, 415, 'unsupported_media_type');
  });
});

describe('list parameters', () => {
  it('refuses a limit out of range and a forged cursor', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const url = `/api/v1/companies/${company.id}/members`;
    for (const limit of ['1000', '0', 'abc']) {
      const res = await client.get(`${url}?limit=${limit}`);
      expectProblem(res, 400, 'validation');
      expect(fields(res)).toEqual(['limit']);
    }
    const forged = Buffer.from(JSON.stringify({ admin: true })).toString('base64url');
    for (const cursor of ['not-a-cursor', forged]) {
      const res = await client.get(`${url}?cursor=${cursor}`);
      expectProblem(res, 400, 'validation');
      expect(res.body.errors).toEqual([{ field: 'cursor', code: 'invalid_format' }]);
    }
  });

  it('pages through members with chained cursors, no duplicate and none missed', async () => {
    const { client, userId } = await signUp(app.app);
    const company = await createCompany(client);
    const url = `/api/v1/companies/${company.id}/members`;
    const added: string[] = [userId];
    for (let i = 0; i < 5; i++) {
      const res = await client.post(url, { email: `page-${i}-${uniq()}@example.test`, role: 'server' });
      expect(res.status).toBe(201);
      added.push(res.body.userId);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const res: Res = await client.get(`${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      sizes.push(res.body.items.length);
      seen.push(...res.body.items.map((m: { userId: string }) => m.userId));
      cursor = res.body.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 2]);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...added].sort());
  });
});

describe('nothing is half-written', () => {
  it('a refused company leaves memberships and slugs untouched', async () => {
    const { client } = await signUp(app.app);
    const first = await createCompany(client, { slug: `taken-${uniq()}` });
    const before = await membershipIds(client);
    const clash = await client.post('/api/v1/companies', { ...validCompany(), slug: first.slug });
    expectProblem(clash, 409, 'company.slug_taken');
    const badSlug = await client.post('/api/v1/companies', { ...validCompany(), slug: 'Not A Slug' });
    expectProblem(badSlug, 400, 'validation');
    expect(badSlug.body.errors).toEqual([{ field: 'slug', code: 'invalid_format' }]);
    const badSettings = await client.post('/api/v1/companies', { ...validCompany(), settings: { holdMinutes: 0 } });
    expectProblem(badSettings, 400, 'validation');
    expect(fields(badSettings)).toEqual(['settings.holdMinutes']);
    expect(await membershipIds(client)).toEqual(before);
  });

  it('a refused member with a weak password creates no account', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const email = `weak-${uniq()}@example.test`;
    const res = await client.post(`/api/v1/companies/${company.id}/members`, { email, role: 'cashier', password: 'short' });
    expectProblem(res, 400, 'auth.weak_password');
    expect(res.body.errors).toEqual([{ field: 'password', code: 'too_short' }]);
    // The e-mail is still free: registering with it works.
    const reg = await new Client(app.app).post('/api/v1/auth/register', { name: 'Later', email, password: PASSWORD });
    expect(reg.status).toBe(201);
  });
});
