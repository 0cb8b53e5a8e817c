import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import type { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, signUp } from './support/factories.ts';

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
const companyBody = () => ({ name: `Idem ${uniq()}`, currency: 'EUR', timezone: 'Europe/Paris' });

async function companiesNamed(client: Client, name: string): Promise<string[]> {
  const me = await client.get('/api/v1/me');
  expect(me.status).toBe(200);
  return me.body.memberships.filter((m: { companyName: string }) => m.companyName === name).map((m: { companyId: string }) => m.companyId);
}

describe('Idempotency-Key on POST /companies', () => {
  it('replays the first answer for the same key and body, creating one company', async () => {
    const { client } = await signUp(app.app);
    const body = companyBody();
    const key = randomUUID();
    const first = await client.post('/api/v1/companies', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await client.post('/api/v1/companies', body, { 'idempotency-key': key });
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await companiesNamed(client, body.name)).toEqual([first.body.id]);
  });

  it('refuses the same key with another body, and creates nothing for it', async () => {
    const { client } = await signUp(app.app);
    const key = randomUUID();
    const body = companyBody();
    expect((await client.post('/api/v1/companies', body, { 'idempotency-key': key })).status).toBe(201);
    const other = { ...body, name: `${body.name} bis` };
    const res = await client.post('/api/v1/companies', other, { 'idempotency-key': key });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('idempotency.key_reused');
    expect(await companiesNamed(client, other.name)).toEqual([]);
  });

  it('keeps keys apart per user', async () => {
    const a = await signUp(app.app);
    const b = await signUp(app.app);
    const key = randomUUID();
    const body = companyBody();
    const ra = await a.client.post('/api/v1/companies', body, { 'idempotency-key': key });
    const rb = await b.client.post('/api/v1/companies', body, { 'idempotency-key': key });
    expect(ra.status).toBe(201);
    expect(rb.status).toBe(201);
    expect(rb.headers['idempotent-replayed']).toBeUndefined();
    expect(rb.body.id).not.toBe(ra.body.id);
    expect(await companiesNamed(a.client, body.name)).toEqual([ra.body.id]);
    expect(await companiesNamed(b.client, body.name)).toEqual([rb.body.id]);
  });

  it('gives ten concurrent requests with one key the same answer and one company', async () => {
    const { client } = await signUp(app.app);
    const body = companyBody();
    const key = randomUUID();
    const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = {
      'content-type': 'application/json',
      cookie,
      'x-csrf-token': client.cookies.get('comptoir_csrf')!,
      'idempotency-key': key,
    };
    const answers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(`${app.url}/api/v1/companies`, { method: 'POST', headers, body: JSON.stringify(body) });
        return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
      }),
    );
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect(a.body).toEqual(answers[0]!.body);
    }
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(9);
    expect(await companiesNamed(client, body.name)).toEqual([answers[0]!.body.id]);
  });

  it('treats a key older than 24 hours as new', async () => {
    const { client } = await signUp(app.app);
    const body = companyBody();
    const key = randomUUID();
    const first = await client.post('/api/v1/companies', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    app.clock.advanceMinutes(25 * 60);
    const later = await client.post('/api/v1/companies', body, { 'idempotency-key': key });
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.body.id).not.toBe(first.body.id);
    expect((await companiesNamed(client, body.name)).sort()).toEqual([first.body.id, later.body.id].sort());
    // The renewed key now replays its new answer.
    const replay = await client.post('/api/v1/companies', body, { 'idempotency-key': key });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(later.body.id);
  });

  it('refuses an over-long key', async () => {
    const { client } = await signUp(app.app);
    const res = await client.post('/api/v1/companies', companyBody(), { 'idempotency-key': 'k'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation', errors: [{ field: 'Idempotency-Key', code: 'invalid_format' }] });
  });
});

describe('Idempotency-Key on company sub-resources', () => {
  it('adds a member once when the request is retried', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const key = randomUUID();
    const body = { email: `member-${uniq()}@example.test`, role: 'cashier', name: 'Kofi' };
    const url = `/api/v1/companies/${company.id}/members`;
    const first = await client.post(url, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const second = await client.post(url, body, { 'idempotency-key': key });
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    // Without the key, the same request is a real second attempt and conflicts.
    expect((await client.post(url, body)).status).toBe(409);
    const list = await client.get(`${url}?limit=100`);
    expect(list.body.items.filter((m: { email: string }) => m.email === body.email)).toHaveLength(1);
  });

  it('creates one API token for concurrent retries of the same request', async () => {
    const { client } = await signUp(app.app);
    const company = await createCompany(client);
    const key = randomUUID();
    const url = `/api/v1/companies/${company.id}/api-tokens`;
    const body = { name: `Caisse ${uniq()}`, role: 'cashier' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.post(url, body, { 'idempotency-key': key })));
    for (const a of answers) {
      expect(a.status).toBe(201);
      expect(a.body.id).toBe(answers[0]!.body.id);
    }
    const list = await client.get(url);
    expect(list.body.items.filter((t: { name: string }) => t.name === body.name)).toHaveLength(1);
  });
});
