import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dropExpiredPartitions } from '../src/modules/insights/index.ts';
import { jobDepsOf, startTestApp, type TestApp } from './support/app.ts';
import { apiToken } from './support/catalog-helpers.ts';
import type { Client, Res } from './support/client.ts';
import { createTestDatabase } from './support/db.ts';
import { addMember, companyWithStaff, createCompany, signUp, waitFor } from './support/factories.ts';
import { configureProviders, MM_CREDS, type MobileMoneyStandin, startMobileMoneyStandin } from './support/pay-kit.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

/**
 * The audit trail over HTTP: every filter of GET /events alone and combined, keyset
 * pages, device/browser/OS from the caller's User-Agent, the CSV export (escaping,
 * streaming 5,000 rows in batches), payment and session trails, system_error capture
 * with the critical alert e-mail (real SMTP), log redaction, and partition retention.
 */

const SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

let a: TestApp;
let dbUrl: string;
let drop: () => Promise<void>;
let mm: MobileMoneyStandin;

beforeAll(async () => {
  const db = await createTestDatabase();
  dbUrl = db.url;
  drop = db.drop;
  mm = await startMobileMoneyStandin();
  a = await startTestApp(db.url, { MOBILE_MONEY_URL: mm.url, COMPTOIR_SECRET_KEY: SECRET_KEY });
});
afterAll(async () => {
  await a?.stop();
  await mm?.stop();
  await drop?.();
});

// ---------- helpers ----------

interface HttpRes {
  status: number;
  headers: Headers;
  body: any;
}

/** A real HTTP request to an app instance. */
async function http(base: string, method: string, path: string, body?: string | object, headers: Record<string, string> = {}): Promise<HttpRes> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
}

/** Whole hours, some days back: a fixed business instant for the test clock. */
const hoursAgo = (h: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - h * 3_600_000);
const plusMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
const nowS = (app: TestApp = a) => Math.floor(app.clock.now().getTime() / 1000);

/** Runs `fn` with the app clock at `at`, always put back. */
async function at<T>(when: Date, fn: () => Promise<T>, app: TestApp = a): Promise<T> {
  app.clock.set(when);
  try {
    return await fn();
  } finally {
    app.clock.reset();
  }
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
};

async function events(client: Client, companyId: string, params: Record<string, string | number | undefined> = {}) {
  const r = await client.get(`/api/v1/companies/${companyId}/events${q(params)}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { items: any[]; nextCursor: string | null };
}
const typesOf = (items: Array<{ type: string }>) => items.map((e) => e.type);

interface Salon {
  owner: Client;
  ownerId: string;
  companyId: string;
  base: string;
  serviceId: string;
}

/** A company with a 5000 XOF service and mobile money configured (through the API). */
async function salon(app: TestApp = a): Promise<Salon> {
  const owner = await signUp(app.app, 'Aminata');
  const company = await createCompany(owner.client, { name: `Salon ${randomBytes(3).toString('hex')}`, currency: 'XOF', timezone: 'Africa/Abidjan' });
  const base = `/api/v1/companies/${company.id}`;
  const svc = await owner.client.post(`${base}/products`, { name: 'Coupe femme', kind: 'service', price: 5000 });
  expect(svc.status, JSON.stringify(svc.body)).toBe(201);
  await configureProviders(owner.client, company.id, ['mobile_money']);
  return { owner: owner.client, ownerId: owner.userId, companyId: company.id, base, serviceId: svc.body.id as string };
}

interface Journey {
  sessionId: string;
  paymentId: string;
  p: string;
}

/** Staff open a session; the client (a phone, over real HTTP) scans, identifies, picks the service and pays by mobile money. */
async function qrUntilPending(s: Salon, app: TestApp = a, ua = IPHONE_UA): Promise<Journey> {
  const created = await s.owner.post(`${s.base}/payment-sessions`, {});
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const p = `/api/v1/public/pay/${created.body.publicUrl.split('/pay/')[1]}`;
  const h = { 'user-agent': ua };
  expect((await http(app.url, 'POST', `${p}/scan`, {}, h)).status).toBe(200);
  const who = await http(app.url, 'POST', `${p}/identify`, { name: 'Fatou Diallo', phone: '+22507000002' }, h);
  expect(who.body.next, JSON.stringify(who.body)).toBe('service');
  const svc = await http(app.url, 'POST', `${p}/service`, { serviceId: s.serviceId }, h);
  expect(svc.body, JSON.stringify(svc.body)).toMatchObject({ status: 'service_selected', next: 'pay', amount: 5000 });
  const paid = await http(app.url, 'POST', `${p}/pay`, { method: 'mobile_money' }, h);
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  expect(paid.body).toMatchObject({ status: 'payment_initiated', payment: { method: 'mobile_money', status: 'pending' } });
  return { sessionId: created.body.id, paymentId: paid.body.payment.id, p };
}

/** The provider's signed confirmation of `amount` received for a payment. */
async function mmConfirms(s: Salon, paymentId: string, amount: number, app: TestApp = a) {
  const hook = mm.webhook({ reference: paymentId, status: 'succeeded', amount }, MM_CREDS.webhookSecret, nowS(app));
  const r = await http(app.url, 'POST', `/api/v1/webhooks/mobile-money/${s.companyId}`, hook.body, { 'x-signature': hook.signature });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

/** A minimal RFC 4180 parser (quoted cells, doubled quotes, commas and newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const CSV_HEADER = 'at,position,type,level,actor_type,actor_id,subjects,ip,device,browser,os,duration_ms,request_id,data';

// ---------- 1. GET /events ----------

describe('GET /events', () => {
  it('filters by type, level, subject, actor and time range, alone and combined; device/browser/OS from the User-Agent', async () => {
    const t0 = hoursAgo(5 * 24);
    const tB = plusMinutes(t0, 60);
    const tC = plusMinutes(t0, 120);
    // Phase A (t0): the company, its staff, an API token.
    const { s, manager, tokenId, token } = await at(t0, async () => {
      const s = await salon();
      const manager = await addMember(a.app, s.owner, s.companyId, 'manager');
      const tok = await s.owner.post(`${s.base}/api-tokens`, { name: 'Caisse connectée', role: 'manager' });
      expect(tok.status, JSON.stringify(tok.body)).toBe(201);
      return { s, manager, tokenId: tok.body.id as string, token: tok.body.token as string };
    });
    // Phase B (t0 + 1 h): a loss reported by the token, one by the manager (from a desktop browser).
    const productId = await at(tB, async () => {
      const bot = s.owner.withToken(token);
      const prod = await bot.post(`${s.base}/products`, { name: 'Savon', price: 1500, kind: 'good' });
      expect(prod.status, JSON.stringify(prod.body)).toBe(201);
      expect((await bot.post(`${s.base}/products/${prod.body.id}/restock`, { quantity: 10 })).status).toBe(200);
      expect((await bot.post(`${s.base}/stock-losses`, { productId: prod.body.id, quantity: 1, reason: 'broken' })).status).toBe(201);
      a.clock.advanceMinutes(1);
      const byManager = await manager.client.post(`${s.base}/stock-losses`, { productId: prod.body.id, quantity: 2, reason: 'stolen' }, { 'user-agent': DESKTOP_UA });
      expect(byManager.status, JSON.stringify(byManager.body)).toBe(201);
      return prod.body.id as string;
    });
    // Phase C (t0 + 2 h): a client pays on an iPhone by mobile money; the provider confirms.
    const j = await at(tC, async () => {
      const j = await qrUntilPending(s);
      a.clock.advanceMinutes(1);
      await mmConfirms(s, j.paymentId, 5000);
      return j;
    });
    const saleId = (await s.owner.get(`${s.base}/payment-sessions/${j.sessionId}`)).body.saleId as string;
    expect(saleId).toEqual(expect.any(String));
    const get = (params: Record<string, string | number | undefined>) => events(s.owner, s.companyId, params);

    // Everything, newest first, positions 14 → 1 without a gap.
    const all = await get({});
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((e) => e.position)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(typesOf(all.items)).toEqual([
      'payment_confirmed', 'sale_paid', 'sale_updated', 'sale_opened', 'webhook_received',
      'payment_initiated', 'service_selected', 'client_identified', 'qr_scanned',
      'loss_reported', 'loss_reported', 'token_created', 'member_added', 'company_created',
    ]);

    // type, alone and as a list
    expect(typesOf((await get({ type: 'loss_reported' })).items)).toEqual(['loss_reported', 'loss_reported']);
    expect(typesOf((await get({ type: 'token_created,member_added' })).items)).toEqual(['token_created', 'member_added']);
    expect(typesOf((await get({ type: 'daily_summary' })).items)).toEqual([]);

    // level, alone and as a list
    const warnings = await get({ level: 'warning' });
    expect(warnings.items.map((e) => [e.type, e.level, e.data.reason])).toEqual([['loss_reported', 'warning', 'stolen'], ['loss_reported', 'warning', 'broken']]);
    expect((await get({ level: 'warning,error,critical' })).items).toHaveLength(2);
    expect((await get({ level: 'error' })).items).toEqual([]);
    expect((await get({ level: 'info' })).items).toHaveLength(12);

    // subject
    const ofPayment = await get({ subject: `paymentId:${j.paymentId}` });
    expect(typesOf(ofPayment.items)).toEqual(['payment_confirmed', 'webhook_received', 'payment_initiated']);
    expect(ofPayment.items.every((e) => e.subjects.paymentId === j.paymentId)).toBe(true);
    // An upper-case id finds the same (ids are stored lower-case).
    expect(typesOf((await get({ subject: `paymentId:${j.paymentId.toUpperCase()}` })).items)).toEqual(['payment_confirmed', 'webhook_received', 'payment_initiated']);
    const ofSale = await get({ subject: `saleId:${saleId}` });
    expect(typesOf(ofSale.items)).toEqual(['payment_confirmed', 'sale_paid', 'sale_updated', 'sale_opened']);
    expect(ofSale.items.map((e) => e.subjects.saleId)).toEqual(Array(4).fill(saleId));
    expect(typesOf((await get({ subject: `paymentSessionId:${j.sessionId}` })).items)).toEqual([
      'payment_confirmed', 'webhook_received', 'payment_initiated', 'service_selected', 'client_identified', 'qr_scanned',
    ]);
    expect(typesOf((await get({ subject: `productId:${productId}` })).items)).toEqual(['loss_reported', 'loss_reported']);
    expect((await get({ subject: `paymentId:${randomUUID()}` })).items).toEqual([]);

    // actor: a user, an API token, the client, the provider
    const byManager = await get({ actorType: 'user', actorId: manager.userId });
    expect(byManager.items.map((e) => [e.type, e.actor])).toEqual([['loss_reported', { type: 'user', id: manager.userId, name: 'manager' }]]);
    expect(byManager.items[0]).toMatchObject({ userAgent: DESKTOP_UA, device: { type: null }, browser: { name: 'Chrome', version: '124.0.0.0' }, os: { name: 'Windows', version: '10' } });
    const byOwner = await get({ actorType: 'user', actorId: s.ownerId });
    expect(typesOf(byOwner.items)).toEqual(['token_created', 'member_added', 'company_created']);
    expect(byOwner.items.map((e) => e.actor.name)).toEqual(['Aminata', 'Aminata', 'Aminata']);
    const byToken = await get({ actorType: 'token', actorId: tokenId });
    expect(byToken.items.map((e) => [e.type, e.actor, e.data])).toEqual([
      ['loss_reported', { type: 'token', id: tokenId, name: 'Caisse connectée' }, { productId, quantity: 1, reason: 'broken', name: 'Savon' }],
    ]);
    expect(typesOf((await get({ actorType: 'token' })).items)).toEqual(['loss_reported']);
    // The token's id with another actor type matches nothing.
    expect((await get({ actorType: 'user', actorId: tokenId })).items).toEqual([]);
    const byClient = await get({ actorType: 'client' });
    expect(typesOf(byClient.items)).toEqual(['payment_initiated', 'service_selected', 'client_identified', 'qr_scanned']);
    for (const e of byClient.items) {
      expect(e).toMatchObject({
        actor: { type: 'client', id: null, name: null },
        ip: '127.0.0.1',
        userAgent: IPHONE_UA,
        device: { type: 'mobile', vendor: 'Apple', model: 'iPhone' },
        browser: { name: 'Mobile Safari', version: '17.4' },
        os: { name: 'iOS', version: '17.4' },
        requestId: expect.any(String),
      });
    }
    // Each step is its own request, each timed from the previous step.
    expect(new Set(byClient.items.map((e) => e.requestId)).size).toBe(4);
    for (const e of byClient.items.filter((x) => x.type !== 'qr_scanned')) expect(e.durationMs, e.type).toBeGreaterThanOrEqual(0);
    const byProvider = await get({ actorType: 'provider', actorId: 'mobile_money' });
    expect(typesOf(byProvider.items)).toEqual(['payment_confirmed', 'sale_paid', 'sale_updated', 'sale_opened', 'webhook_received']);
    expect(byProvider.items.map((e) => e.actor)).toEqual(Array(5).fill({ type: 'provider', id: 'mobile_money', name: null }));
    expect((await get({ actorType: 'provider', actorId: 'stripe' })).items).toEqual([]);
    expect((await get({ actorType: 'job' })).items).toEqual([]);

    // time range [from, to): the test clock put each phase at its instant
    const iso = (d: Date) => d.toISOString();
    expect(typesOf((await get({ from: iso(tB), to: iso(tC) })).items)).toEqual(['loss_reported', 'loss_reported']);
    expect(typesOf((await get({ from: iso(tC) })).items)).toHaveLength(9);
    expect(typesOf((await get({ to: iso(tB) })).items)).toEqual(['token_created', 'member_added', 'company_created']);
    // `to` is exclusive, `from` inclusive (the token's loss is at tB to the millisecond or just after).
    expect(typesOf((await get({ from: iso(t0), to: iso(plusMinutes(tB, 1)) })).items)).toEqual(['loss_reported', 'token_created', 'member_added', 'company_created']);
    // An offset is understood.
    expect(typesOf((await get({ from: iso(tB).replace('Z', '+00:00'), to: iso(tC).replace('Z', '+00:00') })).items)).toHaveLength(2);

    // combined
    expect(typesOf((await get({ type: 'loss_reported', actorType: 'user', from: iso(tB), to: iso(tC) })).items)).toEqual(['loss_reported']);
    expect((await get({ type: 'loss_reported', actorType: 'user', from: iso(tC) })).items).toEqual([]);
    expect(typesOf((await get({ subject: `paymentId:${j.paymentId}`, type: 'payment_confirmed,payment_initiated', actorType: 'provider' })).items)).toEqual(['payment_confirmed']);
    expect(typesOf((await get({ subject: `paymentSessionId:${j.sessionId}`, actorType: 'client', level: 'info', from: iso(tC), to: iso(plusMinutes(tC, 1)) })).items)).toEqual([
      'payment_initiated', 'service_selected', 'client_identified', 'qr_scanned',
    ]);
    expect((await get({ level: 'warning', actorType: 'client' })).items).toEqual([]);
    expect(typesOf((await get({ level: 'warning', actorType: 'token', actorId: tokenId, subject: `productId:${productId}` })).items)).toEqual(['loss_reported']);

    // A manager's API token may read the log too.
    const managerBot = await apiToken(s.owner, s.companyId, 'manager');
    const viaToken = await s.owner.withToken(managerBot).get(`${s.base}/events?type=loss_reported`);
    expect(viaToken.status).toBe(200);
    expect(typesOf(viaToken.body.items)).toEqual(['loss_reported', 'loss_reported']);
  });

  it('keyset pages: limit 2 over 5 matching events, newest first, no duplicate and no gap', async () => {
    const s = await salon();
    const prod = await s.owner.post(`${s.base}/products`, { name: 'Savon', price: 1500, kind: 'good' });
    expect((await s.owner.post(`${s.base}/products/${prod.body.id}/restock`, { quantity: 20 })).status).toBe(200);
    const start = hoursAgo(30);
    for (let i = 1; i <= 5; i++) {
      await at(plusMinutes(start, i), async () => {
        const r = await s.owner.post(`${s.base}/stock-losses`, { productId: prod.body.id, quantity: i, reason: 'broken' });
        expect(r.status).toBe(201);
      });
    }
    // Other events in between pages must not disturb the filter.
    const pages: any[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await events(s.owner, s.companyId, { type: 'loss_reported', limit: 2, cursor });
      pages.push(page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
      // A write between two pages (a newer event) does not shift the pages.
      expect((await s.owner.post(`${s.base}/stock-losses`, { productId: prod.body.id, quantity: 1, reason: 'other' })).status).toBe(201);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((e) => e.data.quantity)).toEqual([5, 4, 3, 2, 1]);
    const positions = pages.flat().map((e) => e.position);
    expect(new Set(positions).size).toBe(5);
    expect([...positions].sort((x, y) => y - x)).toEqual(positions);
    // The same five, in one page, are exactly those.
    const { rows } = await a.db.pool.query(
      `SELECT position::int FROM events WHERE company_id = $1 AND type = 'loss_reported' AND data->>'reason' = 'broken' ORDER BY position DESC`,
      [s.companyId],
    );
    expect(positions).toEqual(rows.map((r) => r.position));
    // The last page says there is no more; limit=5 exactly fits with no next cursor.
    const exact = await events(s.owner, s.companyId, { type: 'loss_reported', level: 'warning', limit: 5, to: plusMinutes(start, 10).toISOString() });
    expect(exact.items.map((e) => e.data.quantity)).toEqual([5, 4, 3, 2, 1]);
    expect(exact.nextCursor).toBeNull();
  });

  it('a bad filter → 400 naming the field', async () => {
    const s = await salon();
    const base = `/api/v1/companies/${s.companyId}`;
    const bad: Array<[string, string]> = [
      ['type=nope', 'type'],
      ['type=loss_reported,nope', 'type'],
      ['level=fatal', 'level'],
      ['subject=paymentId:not-a-uuid', 'subject'],
      [`subject=paymentId${randomUUID()}`, 'subject'],
      [`subject=shoeSize:${randomUUID()}`, 'subject'],
      [`subject=${randomUUID()}`, 'subject'],
      ['actorType=robot', 'actorType'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45T00:00:00Z', 'to'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['cursor=%%%', 'cursor'],
      [`cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('["x"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[1.5]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[1e300]').toString('base64url')}`, 'cursor'],
    ];
    for (const [query, field] of bad) {
      for (const path of ['events', 'events.csv']) {
        if (path === 'events.csv' && /^(limit|cursor)=/.test(query)) continue;
        const r = await s.owner.get(`${base}/${path}?${query}`);
        expect(r.status, `${path}?${query}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.body).toMatchObject({ status: 400, code: 'validation' });
        expect(r.body.errors.map((e: { field: string }) => e.field.split('.')[0]), `${path}?${query}`).toEqual([field]);
      }
    }
    // None of them was an unexpected error.
    expect(typesOf((await events(s.owner, s.companyId, { level: 'error,critical' })).items)).toEqual([]);
  });

  it('cashier and server → 403; another company’s member → 404 (events, CSV, trails)', async () => {
    const { company, members } = await companyWithStaff(a.app);
    const other = await signUp(a.app, 'Voisin');
    const theirs = await createCompany(other.client);
    const base = `/api/v1/companies/${company.id}`;
    const paths = ['events', 'events?type=loss_reported', 'events.csv', `payments/${randomUUID()}/trail`, `payment-sessions/${randomUUID()}/trail`];
    const cashierBot = members.owner.client.withToken(await apiToken(members.owner.client, company.id, 'cashier'));
    const theirBot = other.client.withToken(await apiToken(other.client, theirs.id, 'owner'));
    for (const path of paths) {
      for (const role of ['cashier', 'server'] as const) {
        const r = await members[role].client.get(`${base}/${path}`);
        expect(r.status, `${role} ${path}`).toBe(403);
        expect(r.body).toMatchObject({ code: 'auth.forbidden', params: { permission: 'events.read' } });
      }
      const r = await other.client.get(`${base}/${path}`);
      expect(r.status, `outsider ${path}`).toBe(404);
      expect(r.body).toMatchObject({ code: 'company.not_found' });
      // A cashier's API token is refused as well; a token of the other company is a stranger here.
      expect((await cashierBot.get(`${base}/${path}`)).status, `cashier token ${path}`).toBe(403);
      expect((await theirBot.get(`${base}/${path}`)).status, `their token ${path}`).toBe(404);
    }
    for (const role of ['owner', 'manager'] as const) expect((await members[role].client.get(`${base}/events`)).status).toBe(200);
    // The outsider's own log shows nothing of this company.
    const mine = await events(other.client, theirs.id);
    expect(mine.items.every((e) => !JSON.stringify(e).includes(company.id))).toBe(true);
  });
});

// ---------- 2. GET /events.csv ----------

describe('GET /events.csv', () => {
  it('header, one row per matching event in position order, escaped and neutralised cells, an attachment', async () => {
    const s = await salon();
    const tricky = '=HYPERLINK("http://evil.test","clic"), savon "bio"';
    const t1 = hoursAgo(50);
    const prod = await at(t1, async () => {
      const p = await s.owner.post(`${s.base}/products`, { name: tricky, price: 1500, kind: 'good' });
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      expect((await s.owner.post(`${s.base}/products/${p.body.id}/restock`, { quantity: 10 })).status).toBe(200);
      return p.body as { id: string };
    });
    // Two losses, one sent with a request id that starts like a formula, from an iPhone.
    const rid = '-2-3-cmd-exploit';
    await at(plusMinutes(t1, 5), async () => {
      const r = await s.owner.post(`${s.base}/stock-losses`, { productId: prod.id, quantity: 1, reason: 'broken', note: 'n' }, { 'x-request-id': rid, 'user-agent': IPHONE_UA });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.headers['x-request-id']).toBe(rid);
    });
    await at(plusMinutes(t1, 10), async () => {
      expect((await s.owner.post(`${s.base}/stock-losses`, { productId: prod.id, quantity: 2, reason: 'expired' })).status).toBe(201);
    });
    const from = plusMinutes(t1, 1).toISOString();
    const to = plusMinutes(t1, 60).toISOString();
    const r = await s.owner.get(`${s.base}/events.csv?type=loss_reported&from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="events-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`);
    const text = String(r.body).replace(/^\ufeff/, '');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.split('\n');
    expect(lines[0]).toBe(CSV_HEADER);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.length === 14)).toBe(true);
    const [, first, second] = rows as [string[], string[], string[]];
    // The same two events as GET /events, oldest first.
    const api = (await events(s.owner, s.companyId, { type: 'loss_reported', from, to })).items.reverse();
    expect([first[1], second[1]]).toEqual(api.map((e) => String(e.position)));
    expect(Number(first[1])).toBeLessThan(Number(second[1]));
    expect(first.slice(0, 6)).toEqual([api[0].at, String(api[0].position), 'loss_reported', 'warning', 'user', s.ownerId]);
    expect(JSON.parse(first[6]!)).toEqual({ productId: prod.id });
    expect(first.slice(7, 12)).toEqual(['127.0.0.1', 'mobile Apple iPhone', 'Mobile Safari 17.4', 'iOS 17.4', '']);
    // A cell that would start a formula is neutralised with a leading quote.
    expect(first[12]).toBe(`'${rid}`);
    // The product name with its comma, quotes and leading '=' survives inside the quoted JSON cell.
    expect(JSON.parse(first[13]!)).toEqual({ productId: prod.id, quantity: 1, reason: 'broken', name: tricky });
    expect(JSON.parse(second[13]!)).toEqual({ productId: prod.id, quantity: 2, reason: 'expired', name: tricky });
    expect(second[12]).toBe(api[1].requestId);
    // In the raw text the data cell is quoted with doubled quotes; no cell begins with = + - @.
    expect(lines[1]!.endsWith(`,"${JSON.stringify(api[0].data).replace(/"/g, '""')}"`)).toBe(true);
    expect(lines[1]).toContain('=HYPERLINK(');
    for (const row of rows) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    // Without the type filter the other events come too, still in position order.
    const everything = parseCsv(String((await s.owner.get(`${s.base}/events.csv`)).body).replace(/^\ufeff/, '')).slice(1);
    const allApi = (await events(s.owner, s.companyId, { limit: 100 })).items.reverse();
    expect(everything.map((row) => [Number(row[1]), row[2]])).toEqual(allApi.map((e) => [e.position, e.type]));
    // Nothing matching: the header alone.
    const none = await s.owner.get(`${s.base}/events.csv?type=daily_summary`);
    expect(String(none.body).replace(/^\ufeff/, '')).toBe(`${CSV_HEADER}\n`);
    expect(none.headers['content-disposition']).toBe('attachment; filename="events-debut-maintenant.csv"');
  });

  it('streams 5,000 events inserted directly (batches of 1,000): all of them once, in order, nothing else', async () => {
    const s = await salon();
    const N = 5000;
    const when = hoursAgo(20);
    // As append.ts writes them: positions taken from the company's counter row, consecutive.
    const client = await a.db.pool.connect();
    let firstPos = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `INSERT INTO event_streams (company_id, position) VALUES ($1, $2)
         ON CONFLICT (company_id) DO UPDATE SET position = event_streams.position + EXCLUDED.position RETURNING position`,
        [s.companyId, N],
      );
      firstPos = Number(rows[0].position) - N + 1;
      await client.query(
        `INSERT INTO events (company_id, id, position, type, level, subjects, actor_type, actor_id, ip, user_agent, request_id, duration_ms, data, created_at)
         SELECT $1, gen_random_uuid(), $2::bigint + i - 1, 'low_stock', CASE WHEN i % 2 = 0 THEN 'warning' ELSE 'info' END,
                jsonb_build_object('productId', $3::text), 'job', 'bulk', NULL, NULL, 'bulk-' || i, i % 7,
                jsonb_build_object('i', i, 'name', 'Article, "n°' || i || '"', 'available', i, 'threshold', 5000),
                $4::timestamptz + make_interval(secs => i)
         FROM generate_series(1, $5::int) AS i`,
        [s.companyId, firstPos, s.serviceId, when, N],
      );
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    } finally {
      client.release();
    }
    // Over real HTTP, read as it arrives.
    const bot = await apiToken(s.owner, s.companyId, 'manager');
    const res = await fetch(`${a.url}${s.base}/events.csv?type=low_stock`, { headers: { authorization: `Bearer ${bot}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    const decoder = new TextDecoder();
    let text = '';
    let chunks = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks++;
      text += decoder.decode(chunk, { stream: true });
    }
    text += decoder.decode();
    expect(chunks).toBeGreaterThan(1);
    const rows = parseCsv(text.replace(/^\ufeff/, ''));
    expect(rows[0]!.join(',')).toBe(CSV_HEADER);
    const body = rows.slice(1);
    expect(body).toHaveLength(N);
    expect(body.map((r) => Number(r[1]))).toEqual(Array.from({ length: N }, (_, k) => firstPos + k));
    expect(body.map((r) => JSON.parse(r[13]!).i)).toEqual(Array.from({ length: N }, (_, k) => k + 1));
    // Spot checks across the batch boundaries (1000/1001, 4000/4001) and the ends.
    for (const i of [1, 1000, 1001, 2000, 4001, 5000]) {
      const row = body[i - 1]!;
      expect(row[2]).toBe('low_stock');
      expect(row[3]).toBe(i % 2 === 0 ? 'warning' : 'info');
      expect(row[0]).toBe(new Date(when.getTime() + i * 1000).toISOString());
      expect([row[4], row[5], row[11], row[12]]).toEqual(['job', 'bulk', String(i % 7), `bulk-${i}`]);
      expect(JSON.parse(row[13]!)).toEqual({ i, name: `Article, "n°${i}"`, available: i, threshold: 5000 });
    }
    // Filters still apply while streaming: level=warning is every other one; a range cuts at the right rows.
    const warn = parseCsv((await s.owner.get(`${s.base}/events.csv?type=low_stock&level=warning`)).body.replace(/^\ufeff/, '')).slice(1);
    expect(warn.map((r) => JSON.parse(r[13]!).i)).toEqual(Array.from({ length: N / 2 }, (_, k) => 2 * (k + 1)));
    const from = new Date(when.getTime() + 1500 * 1000).toISOString();
    const to = new Date(when.getTime() + 3700 * 1000).toISOString();
    const ranged = parseCsv((await s.owner.get(`${s.base}/events.csv?from=${from}&to=${to}`)).body.replace(/^\ufeff/, '')).slice(1);
    expect(ranged.map((r) => JSON.parse(r[13]!).i)).toEqual(Array.from({ length: 2200 }, (_, k) => 1500 + k));
    // The unfiltered export has them all plus the company's own events, each once.
    const whole = parseCsv((await s.owner.get(`${s.base}/events.csv`)).body.replace(/^\ufeff/, '')).slice(1);
    const { rows: count } = await a.db.pool.query('SELECT count(*)::int AS n, max(position)::int AS last FROM events WHERE company_id = $1', [s.companyId]);
    expect(whole).toHaveLength(count[0].n);
    expect(new Set(whole.map((r) => r[1])).size).toBe(count[0].n);
    expect(Number(whole[whole.length - 1]![1])).toBe(count[0].last);
    // GET /events pages through them too (first page: the newest).
    const page = await events(s.owner, s.companyId, { type: 'low_stock', limit: 3 });
    expect(page.items.map((e) => e.data.i)).toEqual([5000, 4999, 4998]);
  });
});

// ---------- 3. Trails ----------

describe('payment and session trails', () => {
  it('a mobile-money QR payment underpaid then topped up: the whole story in order, for the payment and for its session', async () => {
    const s = await salon();
    const t0 = hoursAgo(3);
    const j = await at(t0, () => qrUntilPending(s));
    await at(plusMinutes(t0, 2), () => mmConfirms(s, j.paymentId, 1000));
    await at(plusMinutes(t0, 5), () => mmConfirms(s, j.paymentId, 5000));
    // Something unrelated in the same company stays out of the trail.
    const other = await at(plusMinutes(t0, 6), () => qrUntilPending(s));

    const r = await s.owner.get(`${s.base}/payments/${j.paymentId}/trail`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.payment).toMatchObject({ id: j.paymentId, status: 'succeeded', method: 'mobile_money', amount: 5000, received: 5000, issue: null });
    const saleId = r.body.payment.saleId as string;
    expect(saleId).toEqual(expect.any(String));
    const expected = [
      'qr_scanned', 'client_identified', 'service_selected', 'payment_initiated',
      'webhook_received', 'payment_issue',
      'webhook_received', 'sale_opened', 'sale_updated', 'sale_paid', 'payment_confirmed',
    ];
    const trail = r.body.events as any[];
    expect(typesOf(trail)).toEqual(expected);
    // Oldest first by position, times never going back.
    const positions = trail.map((e) => e.position);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(trail.map((e) => e.at)).toEqual([...trail.map((e) => e.at)].sort());
    expect(trail.map((e) => e.actor.type)).toEqual(['client', 'client', 'client', 'client', 'provider', 'provider', 'provider', 'provider', 'provider', 'provider', 'provider']);
    expect(trail[0].at.slice(0, 16)).toBe(t0.toISOString().slice(0, 16));
    expect(trail[6].at.slice(0, 16)).toBe(plusMinutes(t0, 5).toISOString().slice(0, 16));
    expect(trail[0]).toMatchObject({ device: { type: 'mobile' }, os: { name: 'iOS' } });
    expect(trail[5]).toMatchObject({ level: 'warning', data: { paymentId: j.paymentId, issue: 'underpaid', received: 1000, due: 5000, currency: 'XOF' } });
    expect(trail[4].data).toMatchObject({ provider: 'mobile_money', eventType: 'succeeded', paymentId: j.paymentId });
    expect(trail[6].data).toMatchObject({ provider: 'mobile_money', eventType: 'succeeded', paymentId: j.paymentId });
    expect(trail[4].data.providerEventId).not.toBe(trail[6].data.providerEventId);
    expect(trail[10]).toMatchObject({ level: 'info', subjects: { paymentId: j.paymentId, saleId, paymentSessionId: j.sessionId }, data: { amount: 5000, currency: 'XOF', method: 'mobile_money' } });
    expect(trail.slice(7, 10).every((e) => e.subjects.saleId === saleId)).toBe(true);
    expect(JSON.stringify(trail)).not.toContain(other.sessionId);
    expect(JSON.stringify(trail)).not.toContain(other.paymentId);

    const sr = await s.owner.get(`${s.base}/payment-sessions/${j.sessionId}/trail`);
    expect(sr.status, JSON.stringify(sr.body)).toBe(200);
    expect(sr.body.session).toMatchObject({ id: j.sessionId, status: 'paid', saleId, payment: { id: j.paymentId, status: 'succeeded' } });
    expect(typesOf(sr.body.events)).toEqual(expected);
    expect(sr.body.events.map((e: { id: string }) => e.id)).toEqual(trail.map((e) => e.id));

    // The other session's trail is its own (scan → pay, nothing settled).
    const ot = await s.owner.get(`${s.base}/payment-sessions/${other.sessionId}/trail`);
    expect(typesOf(ot.body.events)).toEqual(['qr_scanned', 'client_identified', 'service_selected', 'payment_initiated']);
  });

  it('a session whose first payment failed: its trail holds both attempts; each payment trail holds its own story and the session’s steps', async () => {
    const s = await salon();
    const j = await qrUntilPending(s);
    const failed = mm.webhook({ reference: j.paymentId, status: 'failed', amount: 5000 }, MM_CREDS.webhookSecret, nowS());
    expect((await http(a.url, 'POST', `/api/v1/webhooks/mobile-money/${s.companyId}`, failed.body, { 'x-signature': failed.signature })).status).toBe(200);
    const cash = await http(a.url, 'POST', `${j.p}/pay`, { method: 'cash' }, { 'user-agent': IPHONE_UA });
    expect(cash.status, JSON.stringify(cash.body)).toBe(200);
    const cashId = cash.body.payment.id as string;
    expect((await s.owner.post(`${s.base}/payments/${cashId}/confirm`, {})).status).toBe(200);

    const session = await s.owner.get(`${s.base}/payment-sessions/${j.sessionId}/trail`);
    expect(typesOf(session.body.events)).toEqual([
      'qr_scanned', 'client_identified', 'service_selected', 'payment_initiated', 'webhook_received', 'payment_failed',
      'payment_initiated', 'sale_opened', 'sale_updated', 'sale_paid', 'payment_confirmed',
    ]);
    const first = await s.owner.get(`${s.base}/payments/${j.paymentId}/trail`);
    expect(first.body.payment).toMatchObject({ id: j.paymentId, status: 'failed' });
    // The failed attempt's trail: everything naming it or its session (the session's later steps included).
    expect(typesOf(first.body.events).slice(0, 6)).toEqual(['qr_scanned', 'client_identified', 'service_selected', 'payment_initiated', 'webhook_received', 'payment_failed']);
    const second = await s.owner.get(`${s.base}/payments/${cashId}/trail`);
    expect(second.body.payment).toMatchObject({ id: cashId, status: 'succeeded', method: 'cash' });
    const confirmed = second.body.events.find((e: { type: string }) => e.type === 'payment_confirmed');
    expect(confirmed).toMatchObject({ actor: { type: 'user', id: s.ownerId, name: 'Aminata' }, subjects: { paymentId: cashId } });
  });

  it("another company's payment or session → 404; unknown ids → 404", async () => {
    const [mine, theirs] = await Promise.all([salon(), salon()]);
    const j = await qrUntilPending(theirs);
    for (const path of [`payments/${j.paymentId}/trail`, `payment-sessions/${j.sessionId}/trail`, `payments/${randomUUID()}/trail`, `payment-sessions/${randomUUID()}/trail`]) {
      const r = await mine.owner.get(`${mine.base}/${path}`);
      expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(r.body)).not.toContain(theirs.companyId);
    }
    // Through the other company's URL with my membership: the company itself is unknown to me.
    expect((await mine.owner.get(`${theirs.base}/payments/${j.paymentId}/trail`)).status).toBe(404);
    // A malformed id → 400 naming it.
    const bad = await mine.owner.get(`${mine.base}/payments/not-a-uuid/trail`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'id', code: expect.any(String) }]);
    // Their own trail is fine.
    expect((await theirs.owner.get(`${theirs.base}/payments/${j.paymentId}/trail`)).status).toBe(200);
  });
});

// ---------- 4. system_error ----------

/** A BEFORE INSERT trigger (owner pool) that fails inserts of one company into `table` with a real database error. */
async function boobyTrap(table: 'areas' | 'payment_sessions', companyId: string, message = 'boom') {
  const fn = `insights_test_boom_${randomBytes(4).toString('hex')}`;
  await a.db.pool.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      IF NEW.company_id = '${companyId}'::uuid THEN RAISE EXCEPTION '${message.replace(/'/g, "''")} (%)', TG_TABLE_NAME; END IF;
      RETURN NEW;
    END $fn$`);
  await a.db.pool.query(`CREATE TRIGGER ${fn} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
  return async () => {
    await a.db.pool.query(`DROP TRIGGER IF EXISTS ${fn} ON ${table}`);
    await a.db.pool.query(`DROP FUNCTION IF EXISTS ${fn}()`);
  };
}

describe('system_error', () => {
  it('a database error inside POST /areas → 500 with the request id, a system_error (error) in the log, nothing half-written', async () => {
    const s = await salon();
    const bystander = await salon();
    const before = (await a.db.pool.query('SELECT count(*)::int AS n FROM events WHERE company_id = $1', [s.companyId])).rows[0].n;
    const disarm = await boobyTrap('areas', s.companyId, 'boom areas');
    let r: Res;
    const when = hoursAgo(1);
    try {
      r = await at(when, () => s.owner.post(`${s.base}/areas`, { name: 'Terrasse' }, { 'idempotency-key': 'area-terrasse-1', 'user-agent': DESKTOP_UA }));
      // The bystander's areas are not trapped.
      expect((await bystander.owner.post(`${bystander.base}/areas`, { name: 'Terrasse' })).status).toBe(201);
    } finally {
      await disarm();
    }
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.body).toEqual({ type: 'https://comptoir.dev/problems/internal', title: 'Internal Server Error', status: 500, code: 'internal', requestId: expect.any(String) });
    expect(r.headers['x-request-id']).toBe(r.body.requestId);
    // The database's message does not reach the client.
    expect(JSON.stringify(r.body)).not.toContain('boom');

    const errs = await events(s.owner, s.companyId, { type: 'system_error' });
    expect(errs.items).toHaveLength(1);
    expect(errs.items[0]).toMatchObject({
      type: 'system_error',
      level: 'error',
      requestId: r.body.requestId,
      actor: { type: 'user', id: s.ownerId, name: 'Aminata' },
      userAgent: DESKTOP_UA,
      subjects: {},
      data: { requestId: r.body.requestId, route: '/api/v1/companies/:companyId/areas', method: 'POST', message: expect.stringContaining('boom areas') },
    });
    expect(errs.items[0].at.slice(0, 13)).toBe(when.toISOString().slice(0, 13));
    expect((await events(s.owner, s.companyId, { level: 'error' })).items.map((e) => e.id)).toEqual([errs.items[0].id]);
    // Nothing else was written: no area, no other event, the idempotency key not burnt.
    expect((await a.db.pool.query('SELECT count(*)::int AS n FROM areas WHERE company_id = $1', [s.companyId])).rows[0].n).toBe(0);
    expect((await a.db.pool.query('SELECT count(*)::int AS n FROM events WHERE company_id = $1', [s.companyId])).rows[0].n).toBe(before + 1);
    expect((await s.owner.get(`${s.base}/areas`)).body.items).toEqual([]);
    // The bystander's log has no system_error.
    expect((await events(bystander.owner, bystander.companyId, { type: 'system_error' })).items).toEqual([]);
    // Trap gone: the same request (same key) now succeeds, once.
    const retry = await s.owner.post(`${s.base}/areas`, { name: 'Terrasse' }, { 'idempotency-key': 'area-terrasse-1' });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect((await s.owner.get(`${s.base}/areas`)).body.items.map((x: { name: string }) => x.name)).toEqual(['Terrasse']);
    // It shows on the dashboard's recent errors too.
    const dash = await s.owner.get(`${s.base}/dashboard/errors?hours=24`);
    expect(dash.status).toBe(200);
    expect(dash.body.items).toEqual([expect.objectContaining({ type: 'system_error', level: 'error', requestId: r.body.requestId, route: '/api/v1/companies/:companyId/areas' })]);
  });

  it('a database error in POST /payment-sessions → system_error critical, e-mailed to COMPTOIR_ALERT_EMAIL (real SMTP) with the request id', async () => {
    const smtp = await startSmtpSink();
    const alertTo = `alerts-${randomBytes(3).toString('hex')}@comptoir.test`;
    let c: TestApp | undefined;
    let disarm: (() => Promise<void>) | undefined;
    try {
      c = await startTestApp(dbUrl, { MOBILE_MONEY_URL: mm.url, COMPTOIR_SECRET_KEY: SECRET_KEY, COMPTOIR_ALERT_EMAIL: alertTo, SMTP_URL: smtp.url, COMPTOIR_JOBS: 'on' }, { pollingIntervalSeconds: 0.5 });
      const s = await salon(c);
      const company = (await s.owner.get(s.base)).body as { name: string };
      disarm = await boobyTrap('payment_sessions', s.companyId, 'boom sessions');
      const r = await s.owner.post(`${s.base}/payment-sessions`, { amount: 2500 });
      expect(r.status).toBe(500);
      expect(r.body).toMatchObject({ status: 500, code: 'internal', requestId: expect.any(String) });
      const requestId = r.body.requestId as string;
      await disarm();
      disarm = undefined;

      const errs = await events(s.owner, s.companyId, { type: 'system_error' });
      expect(errs.items.map((e) => [e.level, e.requestId, e.data])).toEqual([
        ['critical', requestId, { message: expect.stringContaining('boom sessions'), requestId, route: '/api/v1/companies/:companyId/payment-sessions', method: 'POST' }],
      ]);
      expect((await a.db.pool.query('SELECT count(*)::int AS n FROM payment_sessions WHERE company_id = $1', [s.companyId])).rows[0].n).toBe(0);

      const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(alertTo)), 15_000, 'the critical alert e-mail');
      expect(mail.text).toContain(requestId);
      expect(mail.text).toContain('/api/v1/companies/:companyId/payment-sessions');
      expect(mail.text).toContain(s.companyId);
      expect(mail.text).toMatch(/Subject: .*Comptoir/);
      expect(mail.text).toContain('boom sessions');
      expect(smtp.mails.filter((m) => m.to.includes(alertTo))).toHaveLength(1);
      // The session can be opened once the fault is gone; the company name was in the alert.
      expect((await s.owner.post(`${s.base}/payment-sessions`, { amount: 2500 })).status).toBe(201);
      expect(mail.text.replace(/=\r?\n/g, '')).toContain(company.name.split(' ')[1]!);
    } finally {
      await disarm?.();
      await c?.stop();
      await smtp.stop();
    }
  });

  it('an error-level failure sends no alert e-mail', async () => {
    const smtp = await startSmtpSink();
    const alertTo = `alerts-${randomBytes(3).toString('hex')}@comptoir.test`;
    let c: TestApp | undefined;
    let disarm: (() => Promise<void>) | undefined;
    try {
      c = await startTestApp(dbUrl, { COMPTOIR_SECRET_KEY: SECRET_KEY, COMPTOIR_ALERT_EMAIL: alertTo, SMTP_URL: smtp.url, COMPTOIR_JOBS: 'on' }, { pollingIntervalSeconds: 0.5 });
      const s = await salon(c);
      disarm = await boobyTrap('areas', s.companyId);
      expect((await s.owner.post(`${s.base}/areas`, { name: 'Bar' })).status).toBe(500);
      await disarm();
      disarm = undefined;
      expect((await events(s.owner, s.companyId, { type: 'system_error' })).items.map((e) => e.level)).toEqual(['error']);
      // A job enqueued in that transaction would be in pg-boss's table: there is none for this company.
      const { rows } = await a.db.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND data->>'to' = $1`, [alertTo]);
      expect(rows[0].n).toBe(0);
    } finally {
      await disarm?.();
      await c?.stop();
      await smtp.stop();
    }
    expect(smtp.mails.filter((m) => m.to.includes(alertTo))).toEqual([]);
  });
});

// ---------- 5. Logs ----------

describe('logs', () => {
  it('JSON lines with the request id, company and user after the guard; no phone, e-mail, token, password or card number in clear', async () => {
    const lines: string[] = [];
    // pino writes through process.stdout when its write was replaced before the logger
    // was built (otherwise it opens fd 1 directly): install the spy first.
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write);
    const phone = '+225 07 08 09 10 11';
    const email = 'aminata.kone@example.test';
    const card = '4242 4242 4242 4242';
    const password = 'Tr0ub4dor&3-horse';
    let b: TestApp | undefined;
    const secrets: string[] = [];
    let companyId = '';
    let ownerId = '';
    const guarded = new Set<string>();
    try {
      b = await startTestApp(dbUrl, { MOBILE_MONEY_URL: mm.url, COMPTOIR_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'info' });
      const app = b;
      // Sign-up and sign-in with a password and an e-mail in the body (one wrong attempt).
      const reg = await http(app.url, 'POST', '/api/v1/auth/register', { name: 'Aminata Koné', email, password });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      ownerId = reg.body.user.id;
      expect((await http(app.url, 'POST', '/api/v1/auth/login', { email, password: `${password}-wrong` })).status).toBe(401);
      const login = await fetch(`${app.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      expect(login.status).toBe(200);
      const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
      const csrf = cookies.find((c) => c.startsWith('comptoir_csrf='))!.split('=')[1]!;
      const auth = { cookie: cookies.join('; '), 'x-csrf-token': csrf };
      const company = await http(app.url, 'POST', '/api/v1/companies', { name: 'Salon Koné', currency: 'XOF', timezone: 'Africa/Abidjan' }, auth);
      expect(company.status).toBe(201);
      companyId = company.body.id;
      const base = `/api/v1/companies/${companyId}`;
      expect((await http(app.url, 'PUT', `${base}/payment-providers/mobile_money`, MM_CREDS, auth)).status).toBe(200);
      secrets.push(MM_CREDS.apiKey, MM_CREDS.webhookSecret);
      const svc = await http(app.url, 'POST', `${base}/products`, { name: 'Coupe', kind: 'service', price: 5000 }, auth);
      // An API token, shown once, then used as a bearer.
      const tok = await http(app.url, 'POST', `${base}/api-tokens`, { name: 'Caisse', role: 'manager' }, auth);
      secrets.push(tok.body.token);
      const viaToken = await http(app.url, 'GET', `${base}/events?limit=5`, undefined, { authorization: `Bearer ${tok.body.token}`, 'x-request-id': 'req-by-token-0001' });
      expect(viaToken.status).toBe(200);
      guarded.add('req-by-token-0001');
      // A QR session: its pay token in every public URL; the client's phone and e-mail in bodies.
      const created = await http(app.url, 'POST', `${base}/payment-sessions`, {}, auth);
      const payToken = created.body.publicUrl.split('/pay/')[1] as string;
      secrets.push(payToken);
      const p = `/api/v1/public/pay/${payToken}`;
      expect((await http(app.url, 'POST', `${p}/scan`, {})).status).toBe(200);
      expect((await http(app.url, 'POST', `${p}/identify`, { name: 'Aminata', phone, email })).status).toBe(200);
      expect((await http(app.url, 'POST', `${p}/service`, { serviceId: svc.body.id })).status).toBe(200);
      const paid = await http(app.url, 'POST', `${p}/pay`, { method: 'mobile_money', phone });
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      const under = mm.webhook({ reference: paid.body.payment.id, status: 'succeeded', amount: 1000 }, MM_CREDS.webhookSecret, nowS(app));
      expect((await http(app.url, 'POST', `/api/v1/webhooks/mobile-money/${companyId}`, under.body, { 'x-signature': under.signature })).status).toBe(200);
      // A cart token in a storefront URL and in a query string.
      const cartToken = randomBytes(18).toString('base64url');
      secrets.push(cartToken);
      await http(app.url, 'GET', `/api/v1/public/shops/nowhere-${randomBytes(2).toString('hex')}/carts/${cartToken}`);
      await http(app.url, 'GET', `/api/v1/public/shops/nowhere/orders/${randomUUID()}?token=${cartToken}`);
      // Searches with a phone, an e-mail and a card number in the URL (as a browser encodes them).
      for (const [k, v] of [['search', phone], ['search', email], ['search', card], ['search', phone.replace(/ /g, '')]] as const) {
        const rid = `req-search-${randomBytes(4).toString('hex')}`;
        expect((await http(app.url, 'GET', `${base}/clients${q({ [k]: v })}`, undefined, { ...auth, 'x-request-id': rid })).status).toBe(200);
        guarded.add(rid);
      }
      // A request that fails validation, with all of them in its body and URL.
      const rid400 = 'req-validation-0001';
      const invalid = await http(app.url, 'POST', `${base}/members${q({ phone, email })}`, { email: `${email}x`, role: 'boss', password, phone, card }, { ...auth, 'x-request-id': rid400 });
      expect(invalid.status).toBe(400);
      guarded.add(rid400);
      // An unexpected error whose message carries them.
      const disarm = await boobyTrap('areas', companyId, `boom ${phone} ${email} ${card}`);
      const rid500 = 'req-unexpected-0001';
      try {
        const boom = await http(app.url, 'POST', `${base}/areas`, { name: 'Terrasse' }, { ...auth, 'x-request-id': rid500 });
        expect(boom.status).toBe(500);
      } finally {
        await disarm();
      }
      guarded.add(rid500);
      await waitFor(() => lines.some((l) => l.includes(rid500) && l.includes('request completed')), 5000, 'the last request logged');
    } finally {
      await b?.stop();
      spy.mockRestore();
    }

    // Every line is JSON; every line of the app logger made while serving a request names it.
    const parsed = lines.map((l) => {
      expect(() => JSON.parse(l), l).not.toThrow();
      return JSON.parse(l) as Record<string, any>;
    });
    const appLines = parsed.filter((o) => o.logger !== 'payments');
    const payLines = parsed.filter((o) => o.logger === 'payments');
    expect(payLines.length).toBeGreaterThan(0);
    const outsideRequests = appLines.filter((o) => !o.reqId).map((o) => o.msg);
    expect(outsideRequests.every((m) => /^Server listening|closing|^event partitions/i.test(m)), outsideRequests.join(' | ')).toBe(true);
    expect(appLines.filter((o) => o.reqId).length).toBeGreaterThan(40);
    for (const o of payLines) expect(o, JSON.stringify(o)).toMatchObject({ companyId });
    // A request id given by the caller is the one logged, on each of its lines.
    for (const rid of guarded) {
      const own = appLines.filter((o) => o.reqId === rid);
      expect(own.map((o) => o.msg).filter((m) => m !== 'unhandled error'), rid).toEqual(['incoming request', 'request completed']);
      expect(own[0]!.req.requestId).toBe(rid);
      // Lines written after the guard carry the company and who acts.
      for (const o of own.filter((x) => x.msg !== 'incoming request' && x.msg !== 'request completed')) {
        expect(o, JSON.stringify(o)).toMatchObject({ companyId, ...(rid === 'req-by-token-0001' ? {} : { userId: ownerId }) });
      }
    }
    const unhandled = appLines.find((o) => o.msg === 'unhandled error');
    expect(unhandled).toMatchObject({ level: 50, reqId: 'req-unexpected-0001', companyId, userId: ownerId, err: { type: 'DatabaseError' } });
    // Masked, keeping only their last characters.
    expect(unhandled!.err.message).toBe('boom •••11 •••@example.test •••• 4242 (areas)');
    expect(unhandled!.err.stack).toContain('boom •••11 •••@example.test •••• 4242 (areas)');
    const urls = appLines.filter((o) => o.req?.url).map((o) => decodeURIComponent(o.req.url as string));
    expect(urls.filter((u) => u.includes('/clients?search='))).toEqual([
      expect.stringMatching(/search=•••11$/),
      expect.stringMatching(/search=•••@example\.test$/),
      expect.stringMatching(/search=•••• 4242$/),
      expect.stringMatching(/search=•••11$/),
    ]);
    expect(urls).toContain('/api/v1/public/pay/[redacted]/identify');
    expect(urls.some((u) => u.includes('/carts/[redacted]'))).toBe(true);
    expect(urls.some((u) => u.endsWith('?token=[redacted]'))).toBe(true);

    // Nothing in clear, however it was written or encoded.
    const forbidden = [email, 'aminata.kone', password, ...secrets];
    const digitsOf = (x: string) => x.replace(/[\s.()+-]/g, '');
    const leaks: string[] = [];
    for (const line of lines) {
      const views = [line, decodeURIComponent(line.replace(/%(?![0-9a-f]{2})/gi, '%25')), decodeURIComponent(line.replace(/\+/g, ' ').replace(/%(?![0-9a-f]{2})/gi, '%25'))];
      for (const v of views) {
        for (const f of forbidden) if (v.includes(f)) leaks.push(`${f} in ${line.slice(0, 200)}`);
        for (const n of ['0708091011', '4242424242424242', '424242424242']) if (digitsOf(v).includes(n)) leaks.push(`${n} in ${line.slice(0, 200)}`);
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
    // The system_error written for the failure is masked the same way.
    const { rows } = await a.db.pool.query(`SELECT data->>'message' AS message FROM events WHERE company_id = $1 AND type = 'system_error'`, [companyId]);
    expect(rows).toEqual([{ message: 'boom •••11 •••@example.test •••• 4242 (areas)' }]);
  });

  // Fastify logs "request completed" through reply.log: the guard gives it the same fields.
  it('the "request completed" line of a request past the guard names the company and the user', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write);
    let b: TestApp | undefined;
    try {
      b = await startTestApp(dbUrl, { COMPTOIR_SECRET_KEY: SECRET_KEY, LOG_LEVEL: 'info' });
      const s = await salon(b);
      const r = await s.owner.get(`${s.base}/events`, { 'x-request-id': 'req-completed-0001' });
      expect(r.status).toBe(200);
      const done = await waitFor(() => lines.map((l) => JSON.parse(l)).find((o) => o.reqId === 'req-completed-0001' && o.msg === 'request completed'), 5000, 'request completed');
      expect(done).toMatchObject({ companyId: s.companyId, userId: s.ownerId });
    } finally {
      await b?.stop();
      spy.mockRestore();
    }
  });
});

// ---------- 6. Retention ----------

describe('retention', () => {
  it('whole monthly partitions older than the longest company retention are dropped; each company sees only its own retention', async () => {
    // Dropping partitions affects every company of a database: this test has its own.
    const db2 = await createTestDatabase();
    const r = await startTestApp(db2.url, { COMPTOIR_SECRET_KEY: SECRET_KEY, COMPTOIR_SESSION_DAYS: '3650' });
    try {
      const now = new Date();
      const month = (offset: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
      const partName = (offset: number) => {
        const m = month(offset);
        return `events_${m.getUTCFullYear()}_${String(m.getUTCMonth() + 1).padStart(2, '0')}`;
      };
      const partitions = async () =>
        (
          await r.db.pool.query(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1`)
        ).rows.map((x) => x.name as string);
      // 14 months from now (mid-month); the partitions of the months around it, made as the maintenance job would.
      const T = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 14, 15, 12));
      await r.db.pool.query('SELECT comptoir_ensure_event_partitions($1::date, 3)', [month(12).toISOString().slice(0, 10)]);
      const before = await partitions();
      // The migration made now-1 … now+12; we added now+13 and now+14.
      expect(before).toEqual(['events_default', ...Array.from({ length: 16 }, (_, k) => partName(k - 1))].sort());

      // A company of today (its events will be 14 months old).
      const c = await at(now, async () => {
        const owner = await signUp(r.app, 'Ancien');
        return { owner, company: await createCompany(owner.client) };
      }, r);
      // Two companies created 40 days before T, each with an event 2 days before T.
      const [shortKeep, longKeep] = await at(plusMinutes(T, -40 * 24 * 60), async () => {
        const one = await signUp(r.app, 'Courte');
        const two = await signUp(r.app, 'Longue');
        return [
          { owner: one, company: await createCompany(one.client, { settings: { auditRetentionMonths: 1 } }) },
          { owner: two, company: await createCompany(two.client) },
        ];
      }, r);
      expect(shortKeep.company.settings.auditRetentionMonths).toBe(1);
      expect(longKeep.company.settings.auditRetentionMonths).toBe(12);
      await at(plusMinutes(T, -2 * 24 * 60), async () => {
        for (const x of [shortKeep, longKeep]) {
          const p = await x.owner.client.patch(`/api/v1/companies/${x.company.id}`, { settings: { holdMinutes: 20 } });
          expect(p.status, JSON.stringify(p.body)).toBe(200);
        }
      }, r);

      r.clock.set(T);
      // Through the API: one month back for the first, twelve for the second.
      const seen = async (x: typeof shortKeep) => {
        const res = await x.owner.client.get(`/api/v1/companies/${x.company.id}/events`);
        expect(res.status).toBe(200);
        return typesOf(res.body.items);
      };
      expect(await seen(shortKeep)).toEqual(['company_updated']);
      expect(await seen(longKeep)).toEqual(['company_updated', 'company_created']);
      // Asking for an older range does not bring them back; neither does the CSV.
      const from = plusMinutes(T, -60 * 24 * 60).toISOString();
      expect(typesOf((await shortKeep.owner.client.get(`/api/v1/companies/${shortKeep.company.id}/events?from=${from}`)).body.items)).toEqual(['company_updated']);
      const csv = parseCsv(String((await shortKeep.owner.client.get(`/api/v1/companies/${shortKeep.company.id}/events.csv?from=${from}`)).body).replace(/^\ufeff/, ''));
      expect(csv.slice(1).map((row) => row[2])).toEqual(['company_updated']);
      // The company of 14 months ago sees nothing of its beginnings.
      expect(await seen(c)).toEqual([]);

      // While a company keeps 24 months, nothing that recent is dropped.
      const patched = await c.owner.client.patch(`/api/v1/companies/${c.company.id}`, { settings: { auditRetentionMonths: 24 } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(await dropExpiredPartitions(jobDepsOf(r))).toEqual([]);
      expect(await partitions()).toEqual(before);
      expect(typesOf((await c.owner.client.get(`/api/v1/companies/${c.company.id}/events`)).body.items)).toEqual(['company_updated', 'company_created']);

      // Back to the default (12): the partitions ending on or before the first day of T's month − 12 go, the others stay.
      expect((await c.owner.client.patch(`/api/v1/companies/${c.company.id}`, { settings: { auditRetentionMonths: 12 } })).status).toBe(200);
      const dropped = await dropExpiredPartitions(jobDepsOf(r));
      expect([...dropped].sort()).toEqual([partName(-1), partName(0), partName(1)]);
      expect(await partitions()).toEqual(['events_default', ...Array.from({ length: 13 }, (_, k) => partName(k + 2))].sort());
      // The rows went with them (the old company_created), the recent ones stayed; the log is still append-only.
      const { rows } = await r.db.pool.query('SELECT company_id, type FROM events WHERE created_at < $1 ORDER BY position', [month(2)]);
      expect(rows).toEqual([]);
      const { rows: left } = await r.db.pool.query('SELECT type FROM events WHERE company_id = $1 ORDER BY position', [c.company.id]);
      expect(left.map((x) => x.type)).toEqual(['company_updated', 'company_updated']);
      expect(await seen(longKeep)).toEqual(['company_updated', 'company_created']);
      // A second run finds nothing more to drop; new events still land.
      expect(await dropExpiredPartitions(jobDepsOf(r))).toEqual([]);
      expect((await longKeep.owner.client.patch(`/api/v1/companies/${longKeep.company.id}`, { settings: { holdMinutes: 25 } })).status).toBe(200);
      expect(await seen(longKeep)).toEqual(['company_updated', 'company_updated', 'company_created']);
    } finally {
      await r.stop();
      await db2.drop();
    }
  });
});
