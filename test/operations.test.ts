import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { Client } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { createCompany, signUp, waitFor } from './support/factories.ts';
import { SseClient } from './support/sse.ts';

const run = promisify(execFile);
let dbUrl: string;
let drop: () => Promise<void>;
const apps: TestApp[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  drop = db.drop;
});
afterAll(async () => {
  for (const a of apps) {
    a.app.server.closeAllConnections();
    await a.stop();
  }
  await drop();
});

/** The `comptoir` command against the test database (DATABASE_URL set: nothing embedded). */
async function comptoir(...args: string[]) {
  const env = { ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'silent' };
  return run(process.execPath, ['bin/comptoir.js', ...args], { env, timeout: 60_000 });
}

describe('comptoir CLI', () => {
  it('migrates, seeds the demo once, creates users and companies, runs a job', async () => {
    expect((await comptoir('migrate')).stdout).toContain('migrations are current');
    const seeded = await comptoir('seed', '--demo');
    expect(seeded.stdout).toContain('owner@demo.comptoir.local');
    expect((await comptoir('seed', '--demo')).stdout).toContain('already exists');

    const user = JSON.parse((await comptoir('create-user', '--email', 'cli@example.test', '--name', 'Cli', '--password', 'a-long-password-1')).stdout);
    expect(user.email).toBe('cli@example.test');
    const company = JSON.parse((await comptoir('create-company', '--name', 'Maquis CLI', '--owner', 'cli@example.test', '--currency', 'EUR', '--timezone', 'Europe/Paris')).stdout);
    expect(company).toMatchObject({ slug: 'maquis-cli', currency: 'EUR', timezone: 'Europe/Paris' });
    expect((await comptoir('add-member', '--company', 'maquis-cli', '--email', 'owner@demo.comptoir.local', '--role', 'manager')).stdout).toContain('manager');
    await expect(comptoir('create-user', '--email', 'weak@example.test', '--name', 'W', '--password', 'short')).rejects.toThrow(/weak_password/);
    expect((await comptoir('jobs:run', 'platform.maintenance')).stdout).toContain('job platform.maintenance done');

    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const { rows } = await db.query(
      `SELECT c.slug, m.role, u.email FROM memberships m JOIN companies c ON c.id = m.company_id JOIN users u ON u.id = m.user_id
       WHERE c.slug = 'maquis-cli' ORDER BY m.role DESC`,
    );
    await db.end();
    expect(rows).toEqual([
      { slug: 'maquis-cli', role: 'owner', email: 'cli@example.test' },
      { slug: 'maquis-cli', role: 'manager', email: 'owner@demo.comptoir.local' },
    ]);
  }, 120_000);
});

describe('API rate limit', () => {
  it('answers 429 problem+json with Retry-After past the per-IP limit; health stays open', async () => {
    const app = await startTestApp(dbUrl, { COMPTOIR_RATE_LIMIT: '3' });
    apps.push(app);
    const c = new Client(app.app);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.get('/api/v1/me')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await c.get('/api/v1/me');
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await c.get('/api/v1/health')).status).toBe(200);
  });
});

describe('stream heartbeat', () => {
  it('sends a comment line on the heartbeat period', async () => {
    const app = await startTestApp(dbUrl, {}, { heartbeatMs: 100 });
    apps.push(app);
    const owner = await signUp(app.app);
    const company = await createCompany(owner.client);
    const stream = await SseClient.open(`${app.url}/api/v1/companies/${company.id}/stream`, {
      cookie: `comptoir_session=${owner.client.cookies.get('comptoir_session')}`,
    });
    expect(stream.status).toBe(200);
    await waitFor(() => stream.comments >= 2, 5000, 'two heartbeats');
    stream.close();
  });
});

describe('scaling out', () => {
  it('starts two instances with jobs at the same moment (queue set-up is serialised)', async () => {
    const both = await Promise.all([
      startTestApp(dbUrl, { COMPTOIR_JOBS: 'on' }),
      startTestApp(dbUrl, { COMPTOIR_JOBS: 'on' }),
    ]);
    apps.push(...both);
    for (const a of both) expect((await new Client(a.app).get('/api/v1/ready')).body).toEqual({ status: 'ready' });
  });
});

describe('storefront rate limits', () => {
  it('limits one cart token beyond 60 calls a minute with 429 and Retry-After', async () => {
    const app = await startTestApp(dbUrl, { COMPTOIR_RATE_LIMIT: '1000' });
    apps.push(app);
    const owner = await signUp(app.app);
    const company = await createCompany(owner.client);
    const c = new Client(app.app);
    const cart = await c.post(`/api/v1/public/shops/${company.slug}/carts`);
    expect(cart.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await c.get(`/api/v1/public/shops/${company.slug}/carts/${cart.body.token}`)).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const limited = await c.get(`/api/v1/public/shops/${company.slug}/carts/${cart.body.token}`);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another cart of the same shop is not affected.
    const other = await c.post(`/api/v1/public/shops/${company.slug}/carts`);
    expect((await c.get(`/api/v1/public/shops/${company.slug}/carts/${other.body.token}`)).status).toBe(200);
  });
});


describe('storefront rate limits per IP on cart routes', () => {
  it('limits one address across many carts, and not another address', async () => {
    const app = await startTestApp(dbUrl, { COMPTOIR_RATE_LIMIT: '12' });
    apps.push(app);
    const owner = await signUp(app.app);
    const company = await createCompany(owner.client);
    const shop = `/api/v1/public/shops/${company.slug}`;
    const from = (ip: string) => ({
      get: (url: string) => app.app.inject({ method: 'GET', url, remoteAddress: ip }),
      post: (url: string) => app.app.inject({ method: 'POST', url, remoteAddress: ip }),
    });
    const a = from('127.0.0.9');
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) tokens.push(JSON.parse((await a.post(`${shop}/carts`)).body).token);
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await a.get(`${shop}/carts/${tokens[i % 4]}`)).statusCode);
    expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
    const limited = await a.get(`${shop}/carts/${tokens[0]}`);
    expect(limited.statusCode).toBe(429);
    expect(JSON.parse(limited.body).code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await from('127.0.0.10').get(`${shop}/carts/${tokens[0]}`)).statusCode).toBe(200);
  });
});
